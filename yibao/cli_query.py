"""The ``yibao query`` and ``yibao export`` commands: thin click wrappers over yibao.query and yibao.export.

``yibao/cli.py`` adds them to the main group with ``register(cli)``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click
import duckdb

from yibao.export import DEFAULT_EXPORT_DIR, export_marts
from yibao.query import (
    DEFAULT_TIMEOUT_SECONDS,
    DIALECTS,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    WarehouseNotFound,
    format_csv,
    format_json,
    format_table,
    run_query,
)

DEFAULT_DB_PATH = "data/warehouse.duckdb"
DB_PATH_ENVVAR = "YIBAO_DB_PATH"

#: Exit status of a refused query or a syntax error (the same as a click usage error).
EXIT_REFUSED = 2
#: Exit status when the warehouse is missing or DuckDB fails.
EXIT_FAILED = 1

_db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=DB_PATH_ENVVAR,
    default=DEFAULT_DB_PATH,
    show_default=True,
    help=f"DuckDB warehouse file (or set {DB_PATH_ENVVAR}).",
)


def _fail(message: str, status: int) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(status)


def _duckdb_failure(error: duckdb.Error, db_path: Path) -> str:
    text = " ".join(str(error).split())
    if isinstance(error, duckdb.IOException) and "lock" in text.lower():
        return (
            f"error: the warehouse {db_path} is locked by another process that has it open for writing "
            f"(a running `make build` or dbt run?); wait for it to finish. DuckDB says: {text}"
        )
    return f"error: {text}"


@click.command(name="query")
@click.argument("sql")
@click.option(
    "--dialect",
    type=click.Choice(DIALECTS, case_sensitive=False),
    default="duckdb",
    show_default=True,
    help="SQL dialect the query is written in; it is translated to DuckDB.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "csv", "json", "parquet"], case_sensitive=False),
    default="table",
    show_default=True,
    help="Output format; parquet needs --output.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the result to this file instead of standard output.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT_SECONDS,
    show_default=True,
    help="Stop the query after this many seconds.",
)
@_db_option
def query_command(
    sql: str, dialect: str, output_format: str, output: Path | None, timeout: float, db_path: Path
) -> None:
    """Run one read-only SQL query over the marts and print the result.

    SQL is a single SELECT (WITH, UNION, INTERSECT, EXCEPT and VALUES are fine) over tables in schema
    marts; bare table names mean marts.<name>. Use - to read the query from standard input.
    Anything else (DDL, DML, ATTACH, COPY, PRAGMA, INSTALL/LOAD, file-reading functions, several
    statements, other schemas) is refused with a one-line reason and exit status 2.

    \b
    Examples:
      yibao query "select bureau, fiscal_year, total_expenditure_wan from bureau_year_summary"
      yibao query --dialect mysql "select * from `bureau_year_summary` limit 0, 10"
      yibao query --format parquet --output out.parquet "select * from marts.three_public_trend"
    """
    output_format = output_format.lower()
    if output_format == "parquet" and output is None:
        raise click.UsageError("--format parquet needs --output FILE")
    if sql == "-":
        sql = sys.stdin.read()
    try:
        result = run_query(
            sql, db_path, dialect.lower(), as_arrow=output_format == "parquet", timeout_seconds=timeout
        )
    except QueryRefused as refused:
        _fail(f"refused: {refused.reason}", EXIT_REFUSED)
    except QuerySyntaxError as error:
        _fail(str(error), EXIT_REFUSED)
    except (WarehouseNotFound, QueryTimeout) as error:
        _fail(f"error: {error}", EXIT_FAILED)
    except duckdb.Error as error:
        _fail(_duckdb_failure(error, db_path), EXIT_FAILED)

    if output_format == "parquet":
        import pyarrow.parquet as pq

        output.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(result, output)
        click.echo(f"wrote {result.num_rows} rows to {output}", err=True)
        return
    render = {"table": format_table, "csv": format_csv, "json": format_json}[output_format]
    text = render(result)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {len(result)} rows to {output}", err=True)


@click.command(name="export")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "parquet"], case_sensitive=False),
    default="csv",
    show_default=True,
    help="File format of the exported marts.",
)
@click.option(
    "--output",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_EXPORT_DIR,
    show_default=True,
    help="Directory to write the files and README.md into.",
)
@_db_option
def export_command(output_format: str, out_dir: Path, db_path: Path) -> None:
    """Export every mart to a CSV or Parquet file, with a README.md of their columns.

    The warehouse is opened read-only. Column descriptions come from the DuckDB comments that dbt
    writes with persist_docs, else from dbt_project/target/manifest.json.
    """
    try:
        written = export_marts(db_path, out_dir, fmt=output_format.lower())
    except WarehouseNotFound as missing:
        _fail(f"error: {missing}", EXIT_FAILED)
    except duckdb.Error as error:
        _fail(_duckdb_failure(error, db_path), EXIT_FAILED)
    for path in written:
        click.echo(str(path))


def register(cli_group: click.Group) -> click.Group:
    """Add the ``query`` and ``export`` commands to ``cli_group`` and return it.

    Parameters
    ----------
    cli_group:
        The main ``yibao`` click group.
    """
    cli_group.add_command(query_command)
    cli_group.add_command(export_command)
    return cli_group
