"""Write-audit-publish: build a new warehouse file, audit it, and only then swap it in atomically.

1. write: ingest the documents into a fresh DuckDB file ``<warehouse dir>/build/<warehouse name>``
   (same file name as the published one, because dbt-duckdb names the catalog after the file stem and
   the staging views refer to it) and ``dbt build`` it (models and dbt tests);
2. audit: run the GX checkpoints (``yibao.checks``) on it; a critical failure stops here;
3. publish: ``os.replace`` the new file over the published one: one atomic rename on the same file
   system. A reader that holds the old file open keeps reading the old inode (Linux), and a reader that
   opens the path afterwards gets the new file: old or new, never a mix. The published file is never
   written in place, so a failed build leaves it untouched.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from yibao.checks import CheckReport, run_checks, summary_lines

logger = logging.getLogger(__name__)


def _echo(msg: str) -> None:
    print(msg, file=sys.stderr)


def candidate_path(db_path: Path) -> Path:
    """Where the new warehouse is built: ``build/`` next to the published file, same file name.

    Parameters
    ----------
    db_path:
        The published warehouse file.
    """
    db_path = Path(db_path).resolve()
    return db_path.parent / "build" / db_path.name


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()


def audit_and_publish(candidate: Path, db_path: Path, echo: Callable[[str], None] = _echo,
                      build_docs: bool = True) -> tuple[bool, CheckReport]:
    """Run the checks on ``candidate`` and, when no critical check fails, rename it over ``db_path``.

    Parameters
    ----------
    candidate:
        The freshly built warehouse file.
    db_path:
        The published warehouse file (replaced only on success).
    echo:
        Where progress and the summary go.
    build_docs:
        Write the GX Data Docs site to data/quality/.
    """
    report = run_checks(candidate, build_docs=build_docs)
    for line in summary_lines(report):
        echo(line)
    if not report.ok:
        echo(f"not published: {len(report.critical)} critical check(s) failed; "
             f"{db_path} is unchanged")
        for failure in report.critical:
            echo(f"  failed: {failure}")
        return False, report
    db_path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, db_path)
    echo(f"published {db_path}")
    return True, report


def publish_build(paths, db_path: Path, echo: Callable[[str], None] = _echo, interim: Path | None = None) -> int:
    """The whole write-audit-publish job; returns the exit status (0 published, non-zero refused).

    Parameters
    ----------
    paths:
        Files and folders of documents to ingest.
    db_path:
        The published warehouse (``data/warehouse.duckdb``).
    echo:
        Where progress lines go.
    interim:
        Folder of the extraction cache (default: the CLI's ``data/interim``).
    """
    from yibao.cli import DEFAULT_INTERIM, run_ingest, summary_lines
    from yibao.dbt_runner import run_dbt

    db_path = Path(db_path).resolve()
    candidate = candidate_path(db_path)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    _remove_db(candidate)
    if db_path.exists():
        # start from the published warehouse, so documents staged earlier (by `yibao ingest` from other
        # folders) stay; the staging is keyed by content hash, so unchanged documents are not touched
        shutil.copyfile(db_path, candidate)
    done, rejected = run_ingest(paths, candidate, interim=interim or DEFAULT_INTERIM, echo=echo)
    for line in summary_lines(done, rejected):
        echo(line)
    if not done:
        echo(f"not published: no document was staged; {db_path} is unchanged")
        return 3
    code = run_dbt(["build"], db_path=candidate, stream=sys.stderr)
    if code != 0:
        echo(f"not published: dbt build failed (exit {code}); {db_path} is unchanged")
        return 2
    ok, _ = audit_and_publish(candidate, db_path, echo=echo)
    if not ok:
        return 4
    return 1 if rejected else 0
