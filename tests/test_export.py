"""Tests for yibao.export (export_marts) and the `yibao export` command."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click
import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from yibao.cli_query import register
from yibao.export import export_marts, list_marts, render_readme
from yibao.query import WarehouseNotFound

WAREHOUSE_SQL = """
create schema marts;
create schema raw;
create table marts.bureau_year_summary (
    bureau_id varchar,
    bureau_name varchar,
    fiscal_year integer,
    total_expenditure_wan decimal(18, 2)
);
insert into marts.bureau_year_summary values
    ('bj-city', '北京市医疗保障局', 2022, 12000.50),
    ('bj-city', '北京市医疗保障局', 2023, 13000.25),
    ('sh-city', '上海市医疗保障局, 本级', 2023, 15000.75);
comment on table marts.bureau_year_summary is 'One row per bureau and fiscal year. From 部门决算 documents.';
comment on column marts.bureau_year_summary.bureau_id is 'Key of the bureau';
comment on column marts.bureau_year_summary.total_expenditure_wan is '本年支出合计, in 万元 | total';
create table marts.three_public_trend (
    bureau_id varchar,
    fiscal_year integer,
    three_public_total_wan double
);
insert into marts.three_public_trend values ('bj-city', 2022, 30.5), ('bj-city', 2023, 28.0);
create view marts.bureaus as select distinct bureau_id, bureau_name from marts.bureau_year_summary;
create table raw.raw_amounts (x varchar);
insert into raw.raw_amounts values ('raw row');
create table main.secret (x varchar);
"""

MANIFEST = {
    "nodes": {
        "model.yibao.three_public_trend": {
            "resource_type": "model",
            "name": "three_public_trend",
            "alias": "three_public_trend",
            "schema": "marts",
            "description": "One row per bureau and fiscal year: 三公经费 totals.",
            "columns": {
                "bureau_id": {"name": "bureau_id", "description": "Key of the bureau (from the manifest)"},
                "three_public_total_wan": {
                    "name": "three_public_total_wan",
                    "description": "三公经费合计, 万元",
                },
            },
        },
        "model.yibao.bureau_year_summary": {
            "resource_type": "model",
            "name": "bureau_year_summary",
            "schema": "marts",
            "description": "Manifest text that the DuckDB comment overrides.",
            "columns": {"bureau_id": {"description": "Manifest text that the DuckDB comment overrides"}},
        },
    }
}

EXPECTED_ROWS = {"bureau_year_summary": 3, "bureaus": 2, "three_public_trend": 2}


@pytest.fixture
def warehouse(tmp_path) -> Path:
    """A warehouse with two marts tables (one commented), a marts view, and raw/main tables."""
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(WAREHOUSE_SQL)
    return path


@pytest.fixture
def manifest(tmp_path) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(MANIFEST, ensure_ascii=False), encoding="utf-8")
    return path


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_csv_writes_every_mart(warehouse, manifest, tmp_path):
    before = _sha256(warehouse)
    out = tmp_path / "export"
    written = export_marts(warehouse, out, "csv", manifest_path=manifest)
    assert [p.name for p in written] == [
        "bureau_year_summary.csv",
        "bureaus.csv",
        "three_public_trend.csv",
        "README.md",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        p.name for p in written
    )  # nothing from raw or main
    for name, rows in EXPECTED_ROWS.items():
        frame = pd.read_csv(out / f"{name}.csv")
        assert len(frame) == rows, name
    summary = pd.read_csv(out / "bureau_year_summary.csv")
    assert summary.columns.tolist() == ["bureau_id", "bureau_name", "fiscal_year", "total_expenditure_wan"]
    assert "上海市医疗保障局, 本级" in summary["bureau_name"].tolist()  # quoted comma, Chinese intact
    assert summary["total_expenditure_wan"].sum() == pytest.approx(40001.50)
    assert _sha256(warehouse) == before


def test_export_parquet_keeps_types(warehouse, tmp_path):
    out = tmp_path / "export"
    written = export_marts(warehouse, out, "parquet", manifest_path=tmp_path / "no-manifest.json")
    assert {p.suffix for p in written} == {".parquet", ".md"}
    table = pq.read_table(out / "bureau_year_summary.parquet")
    assert table.num_rows == 3
    assert str(table.schema.field("total_expenditure_wan").type) == "decimal128(18, 2)"
    assert str(table.schema.field("fiscal_year").type) == "int32"
    assert pq.read_table(out / "three_public_trend.parquet").num_rows == 2


def test_readme_lists_columns_types_and_descriptions(warehouse, manifest, tmp_path):
    out = tmp_path / "export"
    export_marts(warehouse, out, "csv", manifest_path=manifest)
    readme = (out / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Marts export")
    for name, rows in EXPECTED_ROWS.items():
        assert f"## {name}" in readme
        assert f"File: `{name}.csv` ({rows} rows)" in readme
    # from DuckDB comments (they win over the manifest)
    assert "One row per bureau and fiscal year. From 部门决算 documents." in readme
    assert "| bureau_id | VARCHAR | Key of the bureau |" in readme
    assert "| total_expenditure_wan | DECIMAL(18,2) | 本年支出合计, in 万元 \\| total |" in readme
    assert "Manifest text that the DuckDB comment overrides" not in readme
    # from the manifest where DuckDB has no comment
    assert "One row per bureau and fiscal year: 三公经费 totals." in readme
    assert "| three_public_total_wan | DOUBLE | 三公经费合计, 万元 |" in readme
    # blank where neither has one
    assert "| fiscal_year | INTEGER |  |" in readme
    assert "raw_amounts" not in readme and "secret" not in readme


def test_readme_descriptions_blank_without_comments_or_manifest(tmp_path):
    path = tmp_path / "plain.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create schema marts; create table marts.t (value_wan double); insert into marts.t values (1.5)"
        )
    export_marts(path, tmp_path / "out", manifest_path=tmp_path / "none.json")
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "| value_wan | DOUBLE |  |" in readme
    assert "File: `t.csv` (1 row)" in readme


def test_list_marts_reads_only_marts(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = list_marts(con)
    assert [m.name for m in marts] == ["bureau_year_summary", "bureaus", "three_public_trend"]
    assert [c.name for c in marts[2].columns] == ["bureau_id", "fiscal_year", "three_public_total_wan"]


def test_render_readme_without_marts():
    assert "no tables in schema `marts`" in render_readme([], "csv", Path("warehouse.duckdb"))


def test_export_missing_warehouse(tmp_path):
    with pytest.raises(WarehouseNotFound, match="warehouse not found"):
        export_marts(tmp_path / "missing.duckdb", tmp_path / "out")


def test_export_unknown_format(warehouse, tmp_path):
    with pytest.raises(ValueError, match="unknown export format"):
        export_marts(warehouse, tmp_path / "out", "xlsx")


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def group():
        """Test group."""

    return register(group)


def test_cli_export(cli, warehouse, tmp_path):
    out = tmp_path / "cli-export"
    result = CliRunner().invoke(
        cli, ["export", "--db", str(warehouse), "--format", "parquet", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == str(out / "README.md")
    assert (out / "three_public_trend.parquet").is_file()


def test_cli_export_default_output_dir(cli, warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["export"], env={"YIBAO_DB_PATH": str(warehouse)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "export" / "bureau_year_summary.csv").is_file()


def test_cli_export_missing_warehouse_exits_1(cli, tmp_path):
    result = CliRunner().invoke(
        cli, ["export", "--db", str(tmp_path / "missing.duckdb"), "--output", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "warehouse not found" in result.stderr
