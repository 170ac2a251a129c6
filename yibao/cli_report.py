"""``yibao report``: the dashboard page over the marts (a thin click layer over ``yibao.report``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click


def _default_db() -> Path:
    """The published warehouse: ``$YIBAO_DB_PATH`` or ``data/warehouse.duckdb``."""
    return Path(os.environ.get("YIBAO_DB_PATH", "data/warehouse.duckdb"))


@click.command("report")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("data/report"),
              show_default=True, help="Folder of the dashboard page (index.html).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Warehouse to read, opened read-only (default: $YIBAO_DB_PATH or data/warehouse.duckdb).")
def report(output: Path, db_path: Path | None) -> None:
    """Write the dashboard page (charts and tables of the marts, offline, one HTML file) to data/report/."""
    import duckdb

    from yibao.report import build_report

    db_path = db_path or _default_db()
    if not db_path.exists():
        click.echo(f"no warehouse at {db_path}: run `yibao build` first", err=True)
        sys.exit(1)
    try:
        page = build_report(db_path, output)
    except duckdb.Error as exc:
        click.echo(f"cannot read {db_path}: {exc}", err=True)
        sys.exit(1)
    click.echo(f"dashboard written to {page} (open it in a browser; it needs no network)", err=True)


def register(cli_group: click.Group) -> None:
    """Add ``report`` to the ``yibao`` command group.

    Parameters
    ----------
    cli_group:
        The click group of the ``yibao`` command.
    """
    cli_group.add_command(report)
