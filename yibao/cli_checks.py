"""Click commands of the quality gate: ``yibao check``; ``publish_build`` is what ``yibao build`` calls."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from yibao.publish import publish_build  # noqa: F401 - re-exported for yibao.cli

__all__ = ["publish_build", "register"]


@click.command("check")
@click.option("--db", "db_path", type=click.Path(path_type=Path), default=None,
              help="Warehouse to check (default: $YIBAO_DB_PATH or data/warehouse.duckdb).")
@click.option("--no-docs", is_flag=True, help="Do not rewrite the Data Docs site in data/quality/.")
def check(db_path, no_docs):
    """Run the GX checks and summarise the reconciliation findings; non-zero exit on critical failures."""
    from yibao.checks import run_checks, summary_lines
    from yibao.cli import default_db

    db_path = db_path or default_db()
    if not Path(db_path).exists():
        click.echo(f"no warehouse at {db_path}: run `yibao build` first", err=True)
        sys.exit(2)
    report = run_checks(Path(db_path), build_docs=not no_docs)
    for line in summary_lines(report):
        click.echo(line)
    if not report.ok:
        click.echo(f"{len(report.critical)} critical check(s) failed", err=True)
        sys.exit(1)


def register(cli_group: click.Group) -> None:
    """Add the quality-gate commands to the ``yibao`` group.

    Parameters
    ----------
    cli_group:
        The click group of the command-line tool.
    """
    cli_group.add_command(check)
