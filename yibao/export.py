"""Export every table of schema ``marts`` to CSV or Parquet files, with a README of their columns."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from yibao.query import MARTS_SCHEMA, WarehouseNotFound

logger = logging.getLogger(__name__)

DEFAULT_EXPORT_DIR = Path("data/export")
#: Where dbt writes its manifest, relative to the repository root.
DEFAULT_MANIFEST = Path(__file__).resolve().parents[1] / "dbt_project" / "target" / "manifest.json"
FORMATS = ("csv", "parquet")


@dataclass
class MartColumn:
    """One column of a mart, as listed in the export README."""

    name: str
    data_type: str
    description: str = ""


@dataclass
class Mart:
    """One table of schema ``marts``, as listed in the export README."""

    name: str
    description: str = ""
    row_count: int = 0
    columns: list[MartColumn] = field(default_factory=list)


def export_marts(
    db_path: str | Path,
    out_dir: str | Path = DEFAULT_EXPORT_DIR,
    fmt: str = "csv",
    manifest_path: str | Path | None = None,
) -> list[Path]:
    """Write every table of schema ``marts`` to ``out_dir`` as ``<table>.<fmt>``, plus ``README.md``.

    The warehouse is opened read-only. Descriptions come from DuckDB comments (dbt-duckdb writes them
    when ``persist_docs`` is on), else from the dbt manifest, else they stay blank.

    Parameters
    ----------
    db_path:
        Path of the DuckDB warehouse file.
    out_dir:
        Directory to write into; created when missing.
    fmt:
        ``csv`` (UTF-8, header row) or ``parquet``.
    manifest_path:
        dbt ``manifest.json`` to read descriptions from; defaults to ``dbt_project/target/manifest.json``.

    Returns
    -------
    list[Path]
        The data files in table-name order, then the README.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    db_path = Path(db_path)
    if not db_path.is_file():
        raise WarehouseNotFound(f"warehouse not found: {db_path} (run `make build` to create it)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(Path(manifest_path) if manifest_path else DEFAULT_MANIFEST)

    written: list[Path] = []
    with duckdb.connect(str(db_path), read_only=True) as con:
        marts = list_marts(con, manifest)
        for mart in marts:
            target = out_dir / f"{mart.name}.{fmt}"
            options = "format parquet" if fmt == "parquet" else "format csv, header true"
            con.execute(
                f"copy (select * from {MARTS_SCHEMA}.{_quote_identifier(mart.name)}) "
                f"to {_quote_literal(str(target))} ({options})"
            ).fetchall()
            written.append(target)
            logger.info("exported %s.%s (%d rows) to %s", MARTS_SCHEMA, mart.name, mart.row_count, target)
    readme = out_dir / "README.md"
    readme.write_text(render_readme(marts, fmt, db_path), encoding="utf-8")
    written.append(readme)
    return written


def list_marts(con: duckdb.DuckDBPyConnection, manifest: dict | None = None) -> list[Mart]:
    """Return the tables and views of schema ``marts`` with their columns, types and descriptions.

    Parameters
    ----------
    con:
        An open connection to the warehouse.
    manifest:
        A parsed dbt manifest, used where DuckDB has no comment.
    """
    relations = con.execute(
        "select table_name, comment from duckdb_tables() where schema_name = ? "
        "union all "
        "select view_name, comment from duckdb_views() where schema_name = ? and not internal "
        "order by 1",
        [MARTS_SCHEMA, MARTS_SCHEMA],
    ).fetchall()
    column_rows = con.execute(
        "select table_name, column_name, data_type, comment from duckdb_columns() "
        "where schema_name = ? order by table_name, column_index",
        [MARTS_SCHEMA],
    ).fetchall()
    marts = []
    for name, comment in relations:
        node = _manifest_node(manifest, name)
        node_columns = {k.lower(): v for k, v in (node or {}).get("columns", {}).items()}
        columns = [
            MartColumn(
                name=column,
                data_type=data_type,
                description=(column_comment or "").strip()
                or (node_columns.get(column.lower()) or {}).get("description", "").strip(),
            )
            for table, column, data_type, column_comment in column_rows
            if table == name
        ]
        ((row_count,),) = con.execute(
            f"select count(*) from {MARTS_SCHEMA}.{_quote_identifier(name)}"
        ).fetchall()
        description = (comment or "").strip() or (node or {}).get("description", "").strip()
        marts.append(Mart(name=name, description=description, row_count=row_count, columns=columns))
    return marts


def render_readme(marts: list[Mart], fmt: str, db_path: Path) -> str:
    """Return the README.md text that lists each exported mart and its columns.

    Parameters
    ----------
    marts:
        The marts, as returned by :func:`list_marts`.
    fmt:
        The export format, for the file names.
    db_path:
        The warehouse the marts come from.
    """
    lines = [
        "# Marts export",
        "",
        (
            f"Every table of schema `{MARTS_SCHEMA}` in `{db_path.name}`, one {fmt.upper()} file each "
            "(written by `yibao export`)."
        ),
        "",
    ]
    if not marts:
        lines += [f"The warehouse has no tables in schema `{MARTS_SCHEMA}` yet.", ""]
    for mart in marts:
        lines += [f"## {mart.name}", ""]
        if mart.description:
            lines += [_one_line(mart.description), ""]
        rows = "row" if mart.row_count == 1 else "rows"
        lines += [
            f"File: `{mart.name}.{fmt}` ({mart.row_count} {rows})",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        lines += [
            f"| {_cell(c.name)} | {_cell(c.data_type)} | {_cell(c.description)} |" for c in mart.columns
        ]
        lines.append("")
    return "\n".join(lines)


def _read_manifest(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        logger.warning("cannot read dbt manifest %s: %s", path, error)
        return None


def _manifest_node(manifest: dict | None, relation: str) -> dict | None:
    """Find the dbt model whose relation is ``relation``, preferring one built in schema marts."""
    if not manifest:
        return None
    candidates = [
        node
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") in {"model", "seed", "snapshot"}
        and (node.get("alias") or node.get("name", "")).lower() == relation.lower()
    ]
    candidates.sort(key=lambda node: str(node.get("schema", "")).lower() != MARTS_SCHEMA)
    return candidates[0] if candidates else None


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")
