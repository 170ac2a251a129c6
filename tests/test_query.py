"""Tests for yibao.query (the safe query checker, runner and formatter) and the `yibao query` command."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import click
import duckdb
import pyarrow.parquet as pq
import pytest
import sqlglot
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from yibao import query as q
from yibao.cli_query import register
from yibao.query import (
    ALLOWED_TABLE_FUNCTIONS,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    WarehouseNotFound,
    check_query,
    connect_read_only,
    display_width,
    format_table,
    run_query,
    verify_with_duckdb,
)

SENTINEL_MAIN = "LEAK-MAIN-7c1f"
SENTINEL_RAW = "LEAK-RAW-93ab"
SENTINEL_FILE = "LEAK-FILE-5d20"

WAREHOUSE_SQL = f"""
create schema marts;
create schema raw;
create table marts.bureau_year_summary (
    bureau_id varchar,
    bureau varchar,
    province varchar,
    admin_level varchar,
    fiscal_year integer,
    total_expenditure_wan decimal(18, 2),
    basic_wan double,
    project_wan double
);
insert into marts.bureau_year_summary values
    ('bj-city', '北京市医疗保障局', '北京市', '省级', 2022, 12000.50, 8000.25, 4000.25),
    ('bj-city', '北京市医疗保障局', '北京市', '省级', 2023, 13000.25, 9000.00, 4000.25),
    ('bj-haidian', '海淀区医疗保障局', '北京市', '区县级', 2023, 800.00, 500.00, 300.00),
    ('sh-city', '上海市医疗保障局', '上海市', '省级', 2023, 15000.75, 10000.75, 5000.00),
    ('gd-gz', '广州市医疗保障局', '广东省', '市级', 2023, 9000.00, 6000.00, 3000.00);
create table marts.three_public_trend (
    bureau_id varchar,
    fiscal_year integer,
    three_public_total_wan double,
    official_reception_wan double,
    vehicle_wan double,
    overseas_trip_wan double
);
insert into marts.three_public_trend values
    ('bj-city', 2022, 30.5, 10.0, 20.5, 0.0),
    ('bj-city', 2023, 28.0, 8.0, 20.0, 0.0),
    ('sh-city', 2023, 41.0, 11.0, 25.0, 5.0);
create table raw.raw_amounts (x varchar, value_wan double);
insert into raw.raw_amounts values ('{SENTINEL_RAW}', 987654321);
create table main.secret (x varchar);
insert into main.secret values ('{SENTINEL_MAIN}');
create macro main.leak() as (select max(x) from main.secret);
create macro main.leak_table() as table select * from main.secret;
"""


#: Seconds before a generated query is interrupted (recursive CTEs can be endless).
PROPERTY_TIMEOUT = 0.25

#: Macros the warehouse fixture defines in main; they read main.secret.
USER_MACROS = {"leak", "leak_table"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relations(path: Path) -> list[tuple]:
    with connect_read_only(path) as con:
        return con.execute(
            "select schema_name, table_name, estimated_size from duckdb_tables() order by all"
        ).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Iterator[Path]:
    """A small warehouse file: two marts, plus raw and main tables that must stay out of reach."""
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(WAREHOUSE_SQL)
    # Keep one locked-down connection open: later connections in this process share its database
    # instance, which makes each run_query() a few milliseconds instead of ~100.
    with connect_read_only(path):
        yield path


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> Path:
    """A CSV file outside the warehouse that no query may read."""
    path = tmp_path_factory.mktemp("outside") / "secret.csv"
    path.write_text(f"x\n{SENTINEL_FILE}\n", encoding="utf-8")
    return path


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def group():
        """Test group."""

    return register(group)


# --------------------------------------------------------------------------------------------------
# dialects


def test_mysql_backticks_and_limit_offset(warehouse):
    sql = (
        "SELECT `bureau`, `fiscal_year`, `total_expenditure_wan` FROM `bureau_year_summary` "
        "ORDER BY `total_expenditure_wan` DESC LIMIT 1, 2"
    )
    duck = check_query(sql, "mysql")
    assert "LIMIT 2 OFFSET 1" in duck
    assert 'marts."bureau_year_summary"' in duck
    df = run_query(sql, warehouse, "mysql")
    assert df["bureau"].tolist() == ["北京市医疗保障局", "北京市医疗保障局"]
    assert df["fiscal_year"].tolist() == [2023, 2022]


def test_postgres_casts_and_ilike(warehouse):
    sql = (
        "select bureau_id, fiscal_year::text as year_text, total_expenditure_wan::int as total_int "
        "from marts.bureau_year_summary where bureau_id ilike 'BJ-%' order by bureau_id, fiscal_year"
    )
    duck = check_query(sql, "postgres")
    assert "CAST(fiscal_year AS TEXT)" in duck
    assert "ILIKE 'BJ-%'" in duck
    df = run_query(sql, warehouse, "postgres")
    assert df["bureau_id"].tolist() == ["bj-city", "bj-city", "bj-haidian"]
    assert df["year_text"].tolist() == ["2022", "2023", "2023"]
    assert df["total_int"].tolist() == [12001, 13000, 800]


def test_oracle_nvl_and_fetch_first(warehouse):
    sql = (
        "select bureau_id, nvl(official_reception_wan, 0) as reception from three_public_trend "
        "order by three_public_total_wan desc fetch first 1 rows only"
    )
    assert "LIMIT 1" in check_query(sql, "oracle")
    df = run_query(sql, warehouse, "oracle")
    assert df.to_dict("records") == [{"bureau_id": "sh-city", "reception": 11.0}]


def test_tsql_top_and_brackets(warehouse):
    sql = "select top 2 [bureau_id], [fiscal_year] from [marts].[three_public_trend] order by [fiscal_year]"
    df = run_query(sql, warehouse, "tsql")
    assert len(df) == 2
    assert df["fiscal_year"].tolist()[0] == 2022


def test_bare_names_are_qualified_to_marts():
    assert check_query("select * from bureau_year_summary") == "SELECT * FROM marts.bureau_year_summary"


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("with t as (select 1 as x) select * from t", [(1,)]),
        (
            "with recursive n as (select 1 as x union all select x + 1 from n where x < 3) select * from n",
            [(1,), (2,), (3,)],
        ),
        ("values (1, 'a'), (2, 'b')", [(1, "a"), (2, "b")]),
        ("select * from range(3) as r(i)", [(0,), (1,), (2,)]),
        ("select * from generate_series(1, 2) as g(i)", [(1,), (2,)]),
        ("select * from unnest(['北京', '上海']) as u(city)", [("北京",), ("上海",)]),
        (
            "select fiscal_year from three_public_trend intersect select fiscal_year from bureau_year_summary order by 1",
            [(2022,), (2023,)],
        ),
        (
            "select bureau_id from bureau_year_summary except select bureau_id from three_public_trend order by 1",
            [("bj-haidian",), ("gd-gz",)],
        ),
        (
            "with bureau_year_summary as (select 'cte wins' as x) select * from bureau_year_summary",
            [("cte wins",)],
        ),
        (
            (
                "select count(*) from bureau_year_summary b join three_public_trend t "
                "on t.bureau_id = b.bureau_id and t.fiscal_year = b.fiscal_year"
            ),
            [(3,)],
        ),
        ("(select 1 as x)", [(1,)]),
        ("select 1;", [(1,)]),
    ],
)
def test_accepted_queries_run(warehouse, sql, expected):
    df = run_query(sql, warehouse)
    assert [tuple(row) for row in df.itertuples(index=False, name=None)] == expected


def test_pivot_with_explicit_values_runs(warehouse):
    sql = (
        "select * from (pivot bureau_year_summary on fiscal_year in (2022, 2023) "
        "using sum(basic_wan) group by bureau_id) order by bureau_id"
    )
    df = run_query(sql, warehouse)
    assert df.columns.tolist() == ["bureau_id", "2022", "2023"]


# --------------------------------------------------------------------------------------------------
# refusals

REFUSED = [
    # DML and DDL
    (
        "insert into marts.bureau_year_summary (bureau) values ('x')",
        "duckdb",
        r"^INSERT is not allowed: it modifies data",
    ),
    (
        "update marts.bureau_year_summary set fiscal_year = 2000",
        "duckdb",
        r"^UPDATE is not allowed: it modifies data",
    ),
    ("delete from marts.bureau_year_summary", "duckdb", r"^DELETE is not allowed: it modifies data"),
    (
        "merge into marts.a using marts.b on a.x = b.x when matched then delete",
        "duckdb",
        r"^MERGE is not allowed",
    ),
    ("create table marts.t as select 1", "duckdb", r"^CREATE is not allowed: it changes the schema"),
    ("create or replace view marts.v as select 1", "duckdb", r"^CREATE is not allowed"),
    ("drop table marts.bureau_year_summary", "duckdb", r"^DROP is not allowed: it changes the schema"),
    ("alter table marts.bureau_year_summary add column y int", "duckdb", r"^ALTER is not allowed"),
    ("truncate marts.bureau_year_summary", "duckdb", r"^TRUNCATE is not allowed: it deletes data"),
    ("replace into bureau_year_summary values (1)", "mysql", r"^REPLACE is not allowed: it modifies data"),
    (
        "select * into marts.copy from marts.bureau_year_summary",
        "duckdb",
        r"^SELECT INTO is not allowed: it creates a table",
    ),
    ("select * into new_table from bureau_year_summary", "tsql", r"^SELECT INTO is not allowed"),
    (
        "with gone as (delete from marts.bureau_year_summary returning *) select * from gone",
        "postgres",
        r"^DELETE is not allowed",
    ),
    ("with x as (select 1) insert into marts.t select * from x", "postgres", r"^INSERT is not allowed"),
    # databases, files, settings, extensions
    ("attach '/tmp/other.duckdb' as other", "duckdb", r"^ATTACH is not allowed: it opens another database"),
    ("detach raw", "duckdb", r"^DETACH is not allowed"),
    (
        "copy marts.bureau_year_summary to '/tmp/out.csv'",
        "duckdb",
        r"^COPY is not allowed: it reads or writes files",
    ),
    ("copy (select 1) to '/tmp/x.csv'", "duckdb", r"^COPY is not allowed"),
    ("export database '/tmp/dump'", "duckdb", r"^EXPORT is not allowed: EXPORT DATABASE writes files"),
    ("import database '/tmp/dump'", "duckdb", r"^IMPORT is not allowed: IMPORT DATABASE reads files"),
    ("pragma table_info('raw.raw_amounts')", "duckdb", r"^PRAGMA is not allowed"),
    ("set enable_external_access = true", "duckdb", r"^SET is not allowed: it changes settings"),
    ("reset threads", "duckdb", r"^RESET is not allowed: it changes settings"),
    ("install httpfs", "duckdb", r"^INSTALL is not allowed: it downloads an extension"),
    ("load httpfs", "duckdb", r"^LOAD is not allowed: it loads an extension"),
    ("force install httpfs", "duckdb", r"^FORCE is not allowed"),
    ("call pragma_table_info('raw.raw_amounts')", "duckdb", r"^CALL is not allowed"),
    ("use raw", "duckdb", r"^USE is not allowed: it changes the default"),
    ("checkpoint", "duckdb", r"^CHECKPOINT is not allowed: it writes to the database file"),
    ("vacuum", "duckdb", r"^VACUUM is not allowed"),
    ("begin transaction", "duckdb", r"^BEGIN is not allowed: transaction control"),
    ("explain select 1", "duckdb", r"^EXPLAIN is not allowed"),
    ("describe raw.raw_amounts", "duckdb", r"^DESCRIBE is not allowed"),
    ("show tables", "duckdb", r"^SHOW is not allowed"),
    ("summarize marts.bureau_year_summary", "duckdb", r"^SUMMARIZE is not allowed"),
    ("select * from (describe raw.raw_amounts)", "duckdb", r"^DESCRIBE is not allowed"),
    (
        "pivot marts.bureau_year_summary on province using sum(basic_wan)",
        "duckdb",
        r"^PIVOT at the top level",
    ),
    # table functions
    (
        "select * from read_csv('/etc/passwd')",
        "duckdb",
        r"^table function read_csv is not allowed: it reads files",
    ),
    (
        "select * from read_csv_auto('a.csv')",
        "duckdb",
        r"^table function read_csv_auto is not allowed: it reads files",
    ),
    (
        "select * from read_parquet('a.parquet')",
        "duckdb",
        r"^table function read_parquet is not allowed: it reads files",
    ),
    (
        "select * from read_json('a.json')",
        "duckdb",
        r"^table function read_json is not allowed: it reads files",
    ),
    ("select * from read_json_auto('a.json')", "duckdb", r"^table function read_json_auto is not allowed"),
    (
        "select * from read_text('/etc/hostname')",
        "duckdb",
        r"^table function read_text is not allowed: it reads files",
    ),
    (
        "select * from read_blob('/etc/hostname')",
        "duckdb",
        r"^table function read_blob is not allowed: it reads files",
    ),
    (
        "select * from parquet_scan('a.parquet')",
        "duckdb",
        r"^table function parquet_scan is not allowed: it reads files",
    ),
    ("select * from glob('/etc/*')", "duckdb", r"^table function glob is not allowed: it reads files"),
    (
        "select * from sniff_csv('a.csv')",
        "duckdb",
        r"^table function sniff_csv is not allowed: it reads files",
    ),
    (
        "select * from iceberg_scan('s3://b/t')",
        "duckdb",
        r"^table function iceberg_scan is not allowed: it reads files",
    ),
    (
        "select * from delta_scan('s3://b/t')",
        "duckdb",
        r"^table function delta_scan is not allowed: it reads files",
    ),
    (
        "select * from sqlite_scan('a.db', 't')",
        "duckdb",
        r"^table function sqlite_scan is not allowed: it reads files",
    ),
    (
        "select * from postgres_scan('dbname=x', 'public', 't')",
        "duckdb",
        r"^table function postgres_scan is not allowed",
    ),
    (
        "select * from query('select * from main.secret')",
        "duckdb",
        r"^table function query is not allowed: it runs other SQL",
    ),
    (
        "select * from query_table('raw.raw_amounts')",
        "duckdb",
        r"^table function query_table is not allowed: it runs other SQL",
    ),
    (
        "select * from duckdb_tables()",
        "duckdb",
        r"^table function duckdb_tables is not allowed: it reads the catalog",
    ),
    (
        "select * from pragma_table_info('raw.raw_amounts')",
        "duckdb",
        r"^table function pragma_table_info is not allowed",
    ),
    (
        "select * from leak_table()",
        "duckdb",
        r"^table function leak_table is not allowed: it is not a marts table",
    ),
    ("select * from main.leak_table()", "duckdb", r"^qualified table function"),
    (
        "select * from marts.bureau_year_summary b, lateral read_csv('a.csv')",
        "duckdb",
        r"^table function read_csv is not allowed",
    ),
    (
        "select * from marts.bureau_year_summary b, lateral leak_table()",
        "duckdb",
        r"^table function leak_table is not allowed",
    ),
    ("select * from '/etc/passwd'", "duckdb", r"^reading the file '/etc/passwd' is not allowed"),
    ("select * from 'data.parquet'", "duckdb", r"^reading the file 'data.parquet' is not allowed"),
    ("select * from 'https://example.com/x.csv'", "duckdb", r"^reading the file 'https://example.com/x.csv'"),
    ("select * from secret@remote_db", "oracle", r"^database link 'secret@remote_db' is not allowed"),
    (
        "select * from openrowset('SQLNCLI', 'Server=x', 'select 1')",
        "tsql",
        r"^table function openrowset is not allowed: it reads files",
    ),
    (
        "select * from lateral raw.raw_amounts",
        "postgres",
        r"^'LATERAL raw.raw_amounts' is not allowed; LATERAL takes a subquery",
    ),
    # scalar functions
    ("select getenv('HOME')", "duckdb", r"^function getenv is not allowed"),
    (
        "select current_setting('enable_external_access')",
        "duckdb",
        r"^function current_setting is not allowed",
    ),
    ("select read_text('x')", "duckdb", r"^function read_text is not allowed: it reads files"),
    (
        "select pg_get_viewdef('raw.v')",
        "duckdb",
        r"^function pg_get_viewdef is not allowed: it reads the catalog",
    ),
    ("select main.leak()", "duckdb", r"^qualified function call 'main.leak\(\)' is not allowed"),
    ("select load_file('/etc/passwd')", "mysql", r"^function load_file is not allowed: it reads files"),
    (
        "select pg_read_file('/etc/passwd')",
        "postgres",
        r"^function pg_read_file is not allowed: it reads files",
    ),
    # other schemas and catalogs
    ("select * from raw.raw_amounts", "duckdb", r"^schema raw is not allowed: only tables in schema marts"),
    ("select * from main.secret", "duckdb", r"^schema main is not allowed"),
    ("select * from information_schema.tables", "duckdb", r"^schema information_schema is not allowed"),
    ("select * from pg_catalog.pg_class", "duckdb", r"^schema pg_catalog is not allowed"),
    ("select * from staging.stg_budget_docs__amounts", "duckdb", r"^schema staging is not allowed"),
    (
        "select * from warehouse.raw.raw_amounts",
        "duckdb",
        r"^three-part name 'warehouse.raw.raw_amounts' points into another catalog",
    ),
    (
        "select * from other.marts.bureau_year_summary",
        "duckdb",
        r"^three-part name .* points into another catalog",
    ),
    (
        "select * from marts.bureau_year_summary b join raw.raw_amounts r on true",
        "duckdb",
        r"^schema raw is not allowed",
    ),
    ("select (select max(x) from main.secret)", "duckdb", r"^schema main is not allowed"),
    (
        "select * from bureau_year_summary where bureau in (select x from raw.raw_amounts)",
        "duckdb",
        r"^schema raw",
    ),
    ("with c as (select * from raw.raw_amounts) select * from c", "duckdb", r"^schema raw is not allowed"),
    ("select 1 union all select count(*) from main.secret", "duckdb", r"^schema main is not allowed"),
    ("select * from `raw`.`raw_amounts`", "mysql", r"^schema raw is not allowed"),
    ("select * from [raw].[raw_amounts]", "tsql", r"^schema raw is not allowed"),
    ("select * from raw.raw_amounts where rownum < 3", "oracle", r"^schema raw is not allowed"),
    # sqlglot drops a WITH nested in a set operation; the second check of the generated SQL notices
    (
        "select 1 as x union all with secret as (select 2) select * from secret union select * from secret",
        "duckdb",
        r"^cannot translate this query to DuckDB faithfully",
    ),
    # statements
    ("select 1; select 2", "duckdb", r"^several statements \(2\); send one query at a time"),
    (
        "select * from bureau_year_summary; drop table marts.bureau_year_summary",
        "duckdb",
        r"^several statements \(2\)",
    ),
    ("select 1;\nselect 2;\nselect 3;", "postgres", r"^several statements \(3\)"),
    ("", "duckdb", r"^empty query"),
    (" ; ; ", "duckdb", r"^empty query"),
    ("-- just a comment", "duckdb", r"^empty query"),
]


@pytest.mark.parametrize(
    "sql, dialect, reason", REFUSED, ids=[f"{i:02d}-{r[0][:40]}" for i, r in enumerate(REFUSED)]
)
def test_refused_with_reason(sql, dialect, reason):
    with pytest.raises(QueryRefused, match=reason) as refused:
        check_query(sql, dialect)
    assert "\n" not in refused.value.reason


def test_refusal_count_covers_the_issue():
    """Issue 5 asks for at least twenty refused statements, each with its reason."""
    assert len(REFUSED) >= 20
    assert len({reason for _, _, reason in REFUSED}) >= 20


@pytest.mark.parametrize(
    "sql, line, col, near",
    [
        ("select a,\n  from bureau_year_summary where (", 2, 34, "("),
        ("select * frm bureau_year_summary", 1, 32, "bureau_year_summary"),
        ("select 1,\n  '北京 from t", 2, 3, "'"),
    ],
)
def test_syntax_error_shows_position(sql, line, col, near):
    with pytest.raises(QuerySyntaxError) as error:
        check_query(sql)
    message = str(error.value)
    assert (error.value.line, error.value.col) == (line, col)
    assert f"line {line}, column {col}" in message
    source_line, caret_line = message.splitlines()[1:3]
    assert source_line.strip() == sql.splitlines()[line - 1].strip()
    assert caret_line.strip().startswith("^")
    assert near in message


def test_unknown_dialect_is_a_value_error():
    with pytest.raises(ValueError, match="unknown dialect"):
        check_query("select 1", "sqlite2")


# --------------------------------------------------------------------------------------------------
# CTE scoping: a CTE name can never shadow its way into main


@pytest.mark.parametrize(
    "sql",
    [
        "select * from (with secret as (select 'ok' as x) select * from secret) union all select * from secret",
        "with recursive secret as (select * from secret) select * from secret",
        "with recursive secret as (select * from secret union all select 'ok') select * from secret",
        "with a as (select * from secret), secret as (select 'ok' as x) select * from a",
        "select (with secret as (select 'ok') select * from secret), (select count(*) from secret)",
    ],
)
def test_out_of_scope_cte_names_are_qualified(warehouse, sql):
    duck = check_query(sql)
    assert "marts.secret" in duck
    with pytest.raises((QueryRefused, duckdb.CatalogException)):
        run_query(sql, warehouse)


# --------------------------------------------------------------------------------------------------
# defence in depth: DuckDB's own parse, then the locked-down connection


@pytest.mark.parametrize(
    "duck_sql, reason",
    [
        ("select * from main.secret", r"^schema main is not allowed"),
        ("select * from secret", r"^table secret is not qualified"),
        (
            "with secret as (select 1) select * from secret",
            r"^CTE name secret is also the name of a table outside",
        ),
        ("select leak()", r"^function leak is not allowed: it is a user-defined macro"),
        ("select * from read_csv('x.csv')", r"^table function read_csv is not allowed"),
        ("select * from warehouse.main.secret", r"^three-part name"),
        ("select getenv('HOME')", r"^function getenv is not allowed"),
        ("select 1; select 2", r"^several statements"),
        ("create table marts.t (x int)", r"^DuckDB cannot run this as a single plain SELECT"),
        ("select * from (show tables)", r"^table source of kind SHOW_REF is not allowed"),
    ],
)
def test_duckdb_parse_check_refuses(warehouse, duck_sql, reason):
    with connect_read_only(warehouse) as con, pytest.raises(QueryRefused, match=reason):
        verify_with_duckdb(con, duck_sql)


@pytest.mark.parametrize(
    "sql, error",
    [
        ("select * from read_csv('{file}')", duckdb.PermissionException),
        ("select * from read_text('{file}')", duckdb.PermissionException),
        ("select * from '{file}'", duckdb.PermissionException),
        ("select * from glob('{dir}/*')", duckdb.PermissionException),
        ("copy marts.three_public_trend to '{dir}/out.csv'", duckdb.PermissionException),
        ("attach '{dir}/other.duckdb' as other", duckdb.PermissionException),
        ("set enable_external_access = true", duckdb.InvalidInputException),
        ("create table marts.t (x int)", duckdb.Error),
        ("insert into marts.three_public_trend (bureau_id) values ('x')", duckdb.Error),
        ("install httpfs", duckdb.Error),
    ],
)
def test_connection_blocks_what_slips_past_the_checks(warehouse, secret_file, monkeypatch, sql, error):
    """Even with both SQL checks switched off, the connection cannot touch files or write."""
    monkeypatch.setattr(q, "check_query", lambda sql, dialect="duckdb": sql)
    monkeypatch.setattr(q, "verify_with_duckdb", lambda con, sql: None)
    before, relations = _sha256(warehouse), _relations(warehouse)
    with pytest.raises(error):
        run_query(sql.format(file=secret_file, dir=secret_file.parent), warehouse)
    assert _sha256(warehouse) == before
    assert _relations(warehouse) == relations
    assert not (secret_file.parent / "out.csv").exists()
    assert not (secret_file.parent / "other.duckdb").exists()


def test_missing_warehouse(tmp_path):
    with pytest.raises(WarehouseNotFound, match="warehouse not found"):
        run_query("select 1", tmp_path / "none.duckdb")


def test_endless_query_is_interrupted(warehouse):
    sql = "with recursive n as (select 1 as x union all select x + 1 from n) select count(*) from n"
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match="query stopped after 0.5 seconds"):
        run_query(sql, warehouse, timeout_seconds=0.5)
    assert time.monotonic() - started < 10


def test_run_query_as_arrow(warehouse):
    table = run_query(
        "select bureau, fiscal_year from bureau_year_summary order by 2, 1", warehouse, as_arrow=True
    )
    assert table.num_rows == 5
    assert table.column("bureau")[0].as_py() == "北京市医疗保障局"


# --------------------------------------------------------------------------------------------------
# property: whatever is accepted reads only marts and never writes

CTE_NAMES = ["c", "secret", "bureau_year_summary", "raw_amounts", "duckdb_tables", "t"]
SAFE_TABLE_SOURCES = [
    "bureau_year_summary",
    "marts.bureau_year_summary",
    "three_public_trend",
    "MARTS.three_public_trend",
    '"marts"."three_public_trend"',
    "range(3)",
    "generate_series(1, 2)",
    "unnest([1, 2])",
    "(values (1), (2))",
]
UNSAFE_TABLE_SOURCES = [
    "raw.raw_amounts",
    "raw_amounts",
    "main.secret",
    "secret",
    '"secret"',
    "c",
    "t",
    "information_schema.tables",
    "pg_catalog.pg_class",
    "pg_class",
    "duckdb_tables",
    "sqlite_master",
    "warehouse.main.secret",
    "system.main.duckdb_tables",
    "temp.main.secret",
    "read_csv('{file}')",
    "read_text('{file}')",
    "'{file}'",
    "query_table('main.secret')",
    "query('select * from main.secret')",
    "duckdb_tables()",
    "glob('*')",
    "leak_table()",
    "main.leak_table()",
]
TABLE_SOURCES = st.one_of(st.sampled_from(SAFE_TABLE_SOURCES), st.sampled_from(UNSAFE_TABLE_SOURCES))
SAFE_SELECT_ITEMS = ["*", "1", "'中文'", "x", "bureau", "count(*)", "upper('a')", "(select max(x) from c)"]
UNSAFE_SELECT_ITEMS = [
    "getenv('HOME')",
    "current_setting('threads')",
    "leak()",
    "main.leak()",
    "read_text('{file}')",
    "(select max(x) from secret)",
    "(select count(*) from raw.raw_amounts)",
    "(select max(value_wan) from raw_amounts)",
    "version()",
]
SELECT_ITEMS = st.one_of(
    st.sampled_from(SAFE_SELECT_ITEMS),
    st.sampled_from(SAFE_SELECT_ITEMS),
    st.sampled_from(UNSAFE_SELECT_ITEMS),
)
STATEMENT_TEMPLATES = [
    "{q};",
    "insert into raw.raw_amounts {q}",
    "create table main.copied as {q}",
    "create or replace table marts.bureau_year_summary as {q}",
    "{q}; drop table main.secret",
    "delete from main.secret",
    "update marts.three_public_trend set fiscal_year = 0",
    "copy ({q}) to '{out}'",
    "attach '{out}' as o",
    "with w as ({q}) insert into main.secret select * from w",
    "with w as (delete from main.secret returning *) {q}",
    "{q} into main.copied",
    "pragma table_info('main.secret')",
    "set enable_external_access = true",
    "install httpfs",
    "load httpfs",
    "checkpoint",
    "export database '{out}'",
    "explain {q}",
    "describe {q}",
]


@st.composite
def select_queries(draw, sources, items, inner=None):
    """``select <items> from <source> [where x in (select x from <source>)]``."""
    chosen = draw(st.lists(items, min_size=1, max_size=3))
    if inner is not None and draw(st.booleans()):
        source = f"({draw(inner)}) as sub"
    else:
        source = draw(sources)
    query = f"select {', '.join(chosen)} from {source}"
    if draw(st.booleans()):
        other = f"({draw(inner)})" if inner is not None and draw(st.booleans()) else draw(sources)
        query += f" where x in (select x from {other})"
    return query


def query_strategy(sources, items):
    """Random compositions: subqueries, set operations, CTEs (also recursive, also reusing names)."""
    names = st.sampled_from(CTE_NAMES)

    def extend(inner):
        return st.one_of(
            select_queries(sources, items, inner),
            st.builds(
                lambda a, op, b: f"{a} {op} {b}",
                inner,
                st.sampled_from(["union", "union all", "intersect", "except"]),
                inner,
            ),
            st.builds(lambda n, body, main: f"with {n} as ({body}) {main}", names, inner, inner),
            st.builds(
                lambda n, m, b1, b2, main: f"with {n} as ({b1}), {m} as ({b2}) {main}",
                names,
                names,
                inner,
                inner,
                inner,
            ),
            st.builds(
                lambda n, anchor, step: (
                    f"with recursive {n} as ({anchor} union all {step}) select * from {n}"
                ),
                names,
                inner,
                inner,
            ),
            st.builds(lambda body: f"select * from ({body})", inner),
        )

    return st.recursive(select_queries(sources, items), extend, max_leaves=5)


QUERIES = query_strategy(TABLE_SOURCES, SELECT_ITEMS)
STATEMENTS = st.one_of(
    QUERIES,
    QUERIES,
    st.builds(
        lambda template, query: template.replace("{q}", query), st.sampled_from(STATEMENT_TEMPLATES), QUERIES
    ),
)
#: Only bare names that are CTEs or must become marts tables: exercises the CTE scoping rules.
SCOPING_QUERIES = query_strategy(
    st.sampled_from(["secret", "c", "t", "raw_amounts", "bureau_year_summary", "(select 'ok' as x)"]),
    st.sampled_from(["*", "x", "'ok' as x", "(select max(x) from secret)", "(select max(x) from c)"]),
)


def _assert_only_marts(duck_sql: str) -> None:
    tree = sqlglot.parse_one(duck_sql, read="duckdb")
    assert isinstance(tree, (exp.Select, exp.SetOperation, exp.Values, exp.Subquery))
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for node in tree.walk():
        assert not isinstance(
            node, (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Copy, exp.Into)
        )
        if isinstance(node, exp.Table):
            if isinstance(node.this, exp.Func):
                assert (
                    isinstance(node.this, exp.GenerateSeries)
                    or node.this.name.lower() in ALLOWED_TABLE_FUNCTIONS
                )
            else:
                assert not node.catalog
                assert node.db.lower() == "marts" or (not node.db and node.name.lower() in ctes), node.sql()


def _assert_no_leak_without_duckdb_check(warehouse: Path, duck_sql: str) -> None:
    """The sqlglot check alone (DuckDB's parse check skipped) must already keep main and raw out.

    User-defined macros are the exception: only the DuckDB check, which sees the catalog, knows them.
    """
    tree = sqlglot.parse_one(duck_sql, read="duckdb")
    if any(
        isinstance(f, exp.Anonymous) and f.name.lower() in USER_MACROS for f in tree.find_all(exp.Anonymous)
    ):
        return
    with connect_read_only(warehouse) as con:
        timer = threading.Timer(PROPERTY_TIMEOUT, con.interrupt)
        timer.start()
        try:
            rows = con.sql(duck_sql).fetchall()
        except duckdb.PermissionException as error:
            raise AssertionError(f"checker accepted a file access: {duck_sql}") from error
        except duckdb.Error:
            return
        finally:
            timer.cancel()
    text = repr(rows)
    for sentinel in (SENTINEL_MAIN, SENTINEL_RAW, SENTINEL_FILE, "987654321"):
        assert sentinel not in text, duck_sql


def _check_read_only(warehouse: Path, secret_file: Path, statement: str, dialect: str) -> None:
    out_file = secret_file.parent / "written.out"
    sql = statement.replace("{file}", str(secret_file)).replace("{out}", str(out_file))
    before = _sha256(warehouse)
    try:
        duck_sql = check_query(sql, dialect)
    except (QueryRefused, QuerySyntaxError) as error:
        event(f"check: {type(error).__name__}")
        return
    _assert_only_marts(duck_sql)
    relations = _relations(warehouse)
    _assert_no_leak_without_duckdb_check(warehouse, duck_sql)
    try:
        result = run_query(sql, warehouse, dialect, timeout_seconds=PROPERTY_TIMEOUT)
    except QueryRefused:
        event("run: refused by DuckDB's parse check")
    except QueryTimeout:
        event("run: timed out")  # an endless recursive CTE
    except duckdb.PermissionException as error:  # the checker let a file access through
        raise AssertionError(f"checker accepted a file access: {duck_sql}") from error
    except duckdb.Error as error:
        event(f"run: {type(error).__name__}")  # allowed but failing (unknown marts table, type mismatch …)
    else:
        event("run: rows returned")
        text = result.to_json(force_ascii=False)
        for sentinel in (SENTINEL_MAIN, SENTINEL_RAW, SENTINEL_FILE, "987654321"):
            assert sentinel not in text, duck_sql
    assert _sha256(warehouse) == before
    assert _relations(warehouse) == relations
    assert not out_file.exists()


PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@PROPERTY_SETTINGS
@given(statement=STATEMENTS, dialect=st.sampled_from(["duckdb", "duckdb", "duckdb", "postgres", "mysql"]))
def test_property_accepted_statements_read_only_marts_and_never_write(
    warehouse, secret_file, statement, dialect
):
    """Mixed statements (DML, DDL, table functions, other schemas …): accepted ones stay in the marts."""
    _check_read_only(warehouse, secret_file, statement, dialect)


@PROPERTY_SETTINGS
@given(statement=SCOPING_QUERIES)
def test_property_cte_names_never_reach_outside_marts(warehouse, secret_file, statement):
    """CTEs named like tables in main/raw, used in and out of scope: nothing from main or raw comes back."""
    _check_read_only(warehouse, secret_file, statement, "duckdb")


# --------------------------------------------------------------------------------------------------
# formatting


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("北京") == 4
    assert display_width("ＡＢ") == 4  # fullwidth forms
    assert display_width("e\u0301") == 1  # combining accent


def test_format_table_aligns_chinese_and_right_aligns_numbers(warehouse):
    df = run_query(
        "select bureau, admin_level, fiscal_year, total_expenditure_wan, basic_wan "
        "from bureau_year_summary order by fiscal_year, bureau_id",
        warehouse,
    )
    df.loc[0, "basic_wan"] = None
    text = format_table(df)
    lines = text.rstrip("\n").splitlines()
    assert lines[-1] == "(5 rows)"
    table = lines[:-1]

    def separators(line: str) -> list[int]:
        """Display columns at which each ' | ' (or '-+-') starts."""
        positions, width = [], 0
        for i, char in enumerate(line):
            if line[i : i + 3] in (" | ", "-+-"):
                positions.append(width)
            width += display_width(char)
        return positions

    expected = separators(table[0])
    assert len(expected) == 4
    for line in table[1:]:
        assert separators(line) == expected, line
    header = table[0]
    assert header.startswith("bureau ")
    assert header.split(" | ")[2] == "fiscal_year"
    first_row = table[2].split(" | ")
    assert first_row[0].startswith("北京市医疗保障局")
    assert first_row[2] == "       2022"  # numbers right-aligned under the header
    assert table[2].endswith("NULL")


def test_format_table_cuts_long_cells_and_escapes_newlines():
    import pandas as pd

    df = pd.DataFrame({"note": ["第一行\n第二行", "长" * 100]})
    lines = format_table(df, max_cell_width=20).splitlines()
    assert lines[2] == "第一行\\n第二行"
    assert lines[3].endswith("…")
    assert display_width(lines[3]) <= 20


# --------------------------------------------------------------------------------------------------
# CLI


def test_cli_query_prints_table(cli, warehouse):
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "--db",
            str(warehouse),
            "select bureau, fiscal_year from bureau_year_summary where bureau_id = 'gd-gz'",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "广州市医疗保障局 |        2023" in result.stdout
    assert result.stdout.rstrip().endswith("(1 row)")


def test_cli_query_uses_env_db_path(cli, warehouse):
    result = CliRunner().invoke(
        cli, ["query", "select count(*) as n from three_public_trend"], env={"YIBAO_DB_PATH": str(warehouse)}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].strip() == "3"


def test_cli_query_mysql_dialect_csv(cli, warehouse):
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "--db",
            str(warehouse),
            "--dialect",
            "mysql",
            "--format",
            "csv",
            "select `bureau_id`, `fiscal_year` from `bureau_year_summary` order by `fiscal_year`, `bureau_id` limit 1, 2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["bureau_id,fiscal_year", "bj-city,2023", "bj-haidian,2023"]


def test_cli_query_json_keeps_chinese(cli, warehouse):
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "--db",
            str(warehouse),
            "--format",
            "json",
            "select bureau, total_expenditure_wan from bureau_year_summary where bureau_id = 'bj-haidian'",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "海淀区医疗保障局" in result.stdout  # not \\u escaped
    assert json.loads(result.stdout) == [{"bureau": "海淀区医疗保障局", "total_expenditure_wan": 800.0}]


def test_cli_query_parquet_needs_output(cli, warehouse, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["query", "--db", str(warehouse), "--format", "parquet", "select 1"])
    assert result.exit_code == 2
    assert "--output" in result.output
    target = tmp_path / "out.parquet"
    result = runner.invoke(
        cli,
        [
            "query",
            "--db",
            str(warehouse),
            "--format",
            "parquet",
            "--output",
            str(target),
            "select * from three_public_trend",
        ],
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(target).num_rows == 3


def test_cli_query_from_stdin(cli, warehouse):
    result = CliRunner().invoke(
        cli, ["query", "--db", str(warehouse), "--format", "csv", "-"], input="select 42 as answer\n"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["answer", "42"]


@pytest.mark.parametrize(
    "sql, message",
    [
        ("drop table marts.bureau_year_summary", "refused: DROP is not allowed: it changes the schema"),
        ("select * from raw.raw_amounts", "refused: schema raw is not allowed"),
        ("select * from read_csv('/etc/passwd')", "refused: table function read_csv is not allowed"),
        ("select 1; select 2", "refused: several statements (2)"),
    ],
)
def test_cli_query_refused_exits_2(cli, warehouse, sql, message):
    result = CliRunner().invoke(cli, ["query", "--db", str(warehouse), sql])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_query_syntax_error_exits_2(cli, warehouse):
    result = CliRunner().invoke(cli, ["query", "--db", str(warehouse), "select (1 from bureau_year_summary"])
    assert result.exit_code == 2
    assert "syntax error at line 1, column" in result.stderr
    assert "^" in result.stderr


def test_cli_query_missing_warehouse_exits_1(cli, tmp_path):
    result = CliRunner().invoke(cli, ["query", "--db", str(tmp_path / "missing.duckdb"), "select 1"])
    assert result.exit_code == 1
    assert "warehouse not found" in result.stderr


def test_cli_query_timeout_exits_1(cli, warehouse):
    sql = "with recursive n as (select 1 as x union all select x + 1 from n) select count(*) from n"
    result = CliRunner().invoke(cli, ["query", "--db", str(warehouse), "--timeout", "0.3", sql])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: query stopped after 0.3 seconds")


def test_cli_query_duckdb_error_exits_1(cli, warehouse):
    result = CliRunner().invoke(
        cli, ["query", "--db", str(warehouse), "select no_such_column from three_public_trend"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("error: Binder Error")


@pytest.mark.parametrize("command", ["query", "export"])
def test_commands_have_help(cli, command):
    assert cli.commands[command].help
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "--db" in result.output
    assert "--format" in result.output
