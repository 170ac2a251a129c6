"""Run the dbt project in ``dbt_project/`` against a given DuckDB file.

dbt runs in a child process, so that its global state, its logging and its DuckDB connection (and the
file lock that comes with it) end with the command. The child gets ``--project-dir`` and
``--profiles-dir`` set to the dbt project and ``YIBAO_DB_PATH`` set to the warehouse file, and its
output is streamed line by line to our stdout.

Two things to know when choosing ``db_path``:

* dbt-duckdb names the database after the file's stem, and view bodies refer to it. Build into a file
  whose stem is the stem of the published file (``data/build/warehouse.duckdb`` → renamed to
  ``data/warehouse.duckdb``), or the staging views of the renamed file point at a catalog that no
  longer exists.
* dbt re-parses the whole project (about 10 s) whenever the profile changes, and the path is part of
  the profile. A fixed build path keeps partial parsing, and ``dbt build`` on the seeds under 30 s.
"""

from __future__ import annotations

import logging
import os
import pathlib
import shutil
import subprocess
import sys
from collections.abc import Sequence

logger = logging.getLogger(__name__)

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DB_PATH_ENV_VAR = "YIBAO_DB_PATH"


def dbt_executable() -> list[str]:
    """Return the command that starts dbt: the ``dbt`` script next to this interpreter, else on PATH."""
    local = pathlib.Path(sys.executable).with_name("dbt")
    if local.exists():
        return [str(local)]
    found = shutil.which("dbt")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from dbt.cli.main import cli; sys.exit(cli())"]


def run_dbt(
    args: Sequence[str],
    db_path: pathlib.Path,
    project_dir: pathlib.Path | None = None,
    stream=None,
) -> int:
    """Run one dbt command against a DuckDB file and return dbt's exit code.

    Parameters
    ----------
    args:
        The dbt command and its arguments, e.g. ``["build"]`` or ``["docs", "generate"]``.
        ``--project-dir`` and ``--profiles-dir`` are added; do not pass them.
    db_path:
        The DuckDB file dbt reads ``raw.*`` from and writes the models to; made absolute and passed
        to the profile through ``YIBAO_DB_PATH``.
    project_dir:
        The dbt project (default: ``dbt_project/`` of this repository); its ``profiles.yml`` is used.
    stream:
        Where dbt's output goes, line by line (default: ``sys.stdout``).
    """
    project = pathlib.Path(project_dir or DBT_PROJECT_DIR).resolve()
    out = stream if stream is not None else sys.stdout
    env = dict(os.environ)
    env[DB_PATH_ENV_VAR] = str(pathlib.Path(db_path).resolve())
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    cmd = [*dbt_executable(), *args, "--project-dir", str(project), "--profiles-dir", str(project)]
    logger.info("running %s with %s=%s", " ".join(cmd), DB_PATH_ENV_VAR, env[DB_PATH_ENV_VAR])
    with subprocess.Popen(
        cmd,
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        bufsize=1,
    ) as proc:
        if proc.stdout is None:  # cannot happen with stdout=PIPE; keeps type checkers honest
            raise RuntimeError("dbt's output pipe was not opened")
        for line in proc.stdout:
            out.write(line)
        out.flush()
        code = proc.wait()
    if code != 0:
        logger.error("dbt %s failed with exit code %d", " ".join(args), code)
    return code
