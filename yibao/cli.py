"""``yibao``: the command-line tool that drives the warehouse (a thin click layer over the libraries)."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import click

from ingest.document import DocumentError
from ingest.extract import Extraction, extract_path, fact_json, iter_documents
from ingest.facts import FACT_MODELS
from ingest.loaders.base import ExtractionError

DEFAULT_RAW = Path("data/raw")
DEFAULT_INTERIM = Path("data/interim")


def default_db() -> Path:
    """The published warehouse: ``$YIBAO_DB_PATH`` or ``data/warehouse.duckdb``."""
    return Path(os.environ.get("YIBAO_DB_PATH", "data/warehouse.duckdb"))


def _err(msg: str) -> None:
    click.echo(msg, err=True)


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log the document inconsistencies found while extracting.")
def cli(verbose: bool) -> None:
    """yibao: extract Chinese public-finance disclosures into a DuckDB warehouse and query it."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s", stream=sys.stderr)


def _extract_all(paths, interim: Path | None):
    """Yield (path, Extraction | None, error | None) for every document under ``paths``."""
    for path in iter_documents(paths):
        try:
            yield path, extract_path(path, interim), None
        except (DocumentError, ExtractionError) as exc:
            yield path, None, str(exc)
        except Exception as exc:  # pragma: no cover - a bug must still name the file
            yield path, None, f"{path.name}: unexpected error: {type(exc).__name__}: {exc}"


def _kind_counts(extractions: list[Extraction]) -> dict[str, int]:
    total = {k: 0 for k in FACT_MODELS}
    for ex in extractions:
        for k, n in ex.counts().items():
            total[k] += n
    return total


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True,
              help="jsonl: one fact per line in the shape of the fact contract; table: a readable summary.")
def extract(paths, fmt):
    """Print the facts of each document (files or folders); progress and errors go to stderr."""
    rejected = 0
    for path, ex, error in _extract_all(paths, None):
        if error:
            rejected += 1
            _err(f"rejected: {error}")
            continue
        counts = ", ".join(f"{k} {n}" for k, n in ex.counts().items() if n)
        _err(f"{path.name}: {ex.meta.bureau or '?'} {ex.meta.fiscal_year or '?'} "
             f"[{ex.meta.doc_type or '?'}] {len(ex.facts)} facts ({counts})")
        if fmt == "jsonl":
            for fact in ex.facts:
                click.echo(fact_json(fact))
        else:
            for fact in ex.facts:
                d = fact.model_dump()
                what = {k: v for k, v in d.items() if k not in ("doc", "bureau", "fiscal_year", "kind", "snippet")}
                click.echo(f"{fact.kind:10} " + " ".join(f"{k}={v}" for k, v in what.items() if v is not None))
    if rejected:
        sys.exit(1)


def run_ingest(paths, db_path: Path, interim: Path | None = DEFAULT_INTERIM, echo=_err) -> tuple[list, list]:
    """Stage the documents under ``paths`` into ``db_path``; returns (extractions, rejections).

    Parameters
    ----------
    paths:
        Files and folders of documents.
    db_path:
        The DuckDB file to stage into.
    interim:
        Folder of the per-document extraction cache.
    echo:
        Where progress lines go.
    """
    from ingest.stage import connect, record_rejection, stage_extraction

    con = connect(db_path)
    done, rejected = [], []
    try:
        for path, ex, error in _extract_all(paths, interim):
            if error:
                rejected.append((path, error))
                record_rejection(con, path, error)
                echo(f"rejected: {error}")
                continue
            state = stage_extraction(con, ex, path)
            done.append(ex)
            echo(f"{path.name}: {state}, {ex.meta.bureau or '?'} {ex.meta.fiscal_year or '?'}, {len(ex.facts)} facts"
                 + (f", {len(ex.findings)} inconsistencies" if ex.findings else ""))
    finally:
        con.close()
    return done, rejected


def summary_lines(done, rejected) -> list[str]:
    """The ingest summary: documents staged and rejected, facts per kind, each rejected file's reason.

    Parameters
    ----------
    done:
        The staged extractions.
    rejected:
        (path, reason) of the rejected files.
    """
    counts = _kind_counts(done)
    lines = [f"documents: {len(done)} staged, {len(rejected)} rejected",
             "facts: " + ", ".join(f"{k} {n}" for k, n in counts.items()) + f" (total {sum(counts.values())})"]
    lines += [f"  rejected {path.name}: {reason}" for path, reason in rejected]
    return lines


def _summary(done, rejected) -> None:
    for line in summary_lines(done, rejected):
        _err(line)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="DuckDB file (default: $YIBAO_DB_PATH or data/warehouse.duckdb).")
def ingest(paths, db_path):
    """Stage documents (default: data/raw/) and their facts into DuckDB raw.* tables."""
    done, rejected = run_ingest(paths or [DEFAULT_RAW], db_path or default_db())
    _summary(done, rejected)
    if rejected:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Published warehouse (default: $YIBAO_DB_PATH or data/warehouse.duckdb).")
@click.option("--skip-dbt", is_flag=True, help="Only stage the documents into the warehouse; no dbt, no checks.")
def build(paths, db_path, skip_dbt):
    """The main job: ingest the documents (default: data/raw/), build the dbt models, run the checks, and
    publish the warehouse atomically only when no critical check failed (write-audit-publish)."""
    started = time.monotonic()
    db_path = db_path or default_db()
    if skip_dbt:
        done, rejected = run_ingest(paths or [DEFAULT_RAW], db_path)
        _summary(done, rejected)
        sys.exit(1 if rejected else 0)
    from yibao.cli_checks import publish_build

    status = publish_build(paths or [DEFAULT_RAW], db_path)
    _err(f"build finished in {time.monotonic() - started:.1f} s")
    sys.exit(status)


@cli.command()
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Warehouse the docs describe (default: $YIBAO_DB_PATH or data/warehouse.duckdb).")
@click.option("--output", type=click.Path(path_type=Path), default=Path("data/docs"), show_default=True,
              help="Folder of the generated dbt docs site.")
def docs(db_path, output):
    """Generate the dbt docs site (models, columns, lineage) into data/docs/."""
    import shutil

    from yibao.dbt_runner import DBT_PROJECT_DIR, run_dbt

    db_path = (db_path or default_db()).resolve()
    if not db_path.exists():
        _err(f"no warehouse at {db_path}: run `yibao build` first")
        sys.exit(1)
    code = run_dbt(["docs", "generate"], db_path=db_path)
    if code != 0:
        _err("dbt docs generate failed")
        sys.exit(code)
    output.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "manifest.json", "catalog.json"):
        shutil.copy(DBT_PROJECT_DIR / "target" / name, output / name)
    _err(f"docs site written to {output / 'index.html'} (serve the folder, e.g. python -m http.server -d {output})")


# the commands that live in their own modules
from yibao import cli_checks, cli_query, cli_report  # noqa: E402

for _module in (cli_query, cli_checks, cli_report):
    _module.register(cli)
