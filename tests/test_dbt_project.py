"""dbt build on a small hand-written fixture, then the mart values it must produce.

The fixture (tests/fixtures/dbt_documents.jsonl, tests/fixtures/dbt_facts.jsonl) holds three documents of
two invented bureaus in the fact-contract shape. It exercises:

* an exact duplicate fact (本年支出合计 500 twice on line 10): collapsed, not summed;
* conflicting statements (基本支出 300 at lines 12 and 40 vs 310 at line 80 → 300 by majority;
  公用经费 50 at line 14 vs 55 at line 90 → a tie, the earliest line wins);
* a fact whose bureau and fiscal year are null (人员经费, line 14): taken from its document;
* function lines the seed does not know (数字医保专项) or cannot place (a bare 行政运行): kept, code null;
* a prior-year figure in a later document (2021 三公经费 2 in the 2022 document's 附表), and a
  prior-year figure that the prior year's own document states differently (公务接待 2.5 vs 2);
* a project stated twice (narrative and table: the table row, with more fields, wins) and a project
  with a zero budget (computed execution rate null, not 0 or 100);
* figures that no document states (机关运行经费, 政府采购): null in the marts, never 0.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import pathlib

import duckdb
import pytest

from ingest.schema import KIND_TABLE, TABLES, ddl
from yibao.dbt_runner import run_dbt

FIXTURES = pathlib.Path(__file__).parent / "fixtures"


def _columns(table: str) -> list[str]:
    lines = [line.strip() for line in TABLES[table].strip().splitlines()]
    return [line.split()[0] for line in lines if line and not line.startswith("--")]


def _load_fixture(db_path: pathlib.Path) -> None:
    """Create raw.* with the loaders' DDL and insert the fixture rows."""
    con = duckdb.connect(str(db_path))
    try:
        for statement in ddl():
            con.execute(statement)
        doc_ids: dict[str, str] = {}
        n_facts: dict[str, int] = {}
        facts = [json.loads(line) for line in (FIXTURES / "dbt_facts.jsonl").read_text().splitlines() if line]
        documents = [
            json.loads(line) for line in (FIXTURES / "dbt_documents.jsonl").read_text().splitlines() if line
        ]
        for document in documents:
            doc_ids[document["doc"]] = hashlib.sha256(document["doc"].encode()).hexdigest()
        for number, fact in enumerate(facts):
            fact["doc_id"] = doc_ids[fact["doc"]]
            fact["fact_id"] = hashlib.sha256(f"{number}:{json.dumps(fact)}".encode()).hexdigest()[:32]
            table = KIND_TABLE[fact["kind"]]
            columns = _columns(table)
            con.execute(
                f"insert into raw.{table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                [fact.get(column) for column in columns],
            )
            n_facts[fact["doc"]] = n_facts.get(fact["doc"], 0) + 1
        for document in documents:
            con.execute(
                "insert into raw.raw_documents (doc_id, doc, path, bureau, fiscal_year, doc_type, province, city,"
                " admin_level, size_bytes, n_lines, n_facts, loaded_at) values (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    doc_ids[document["doc"]],
                    document["doc"],
                    f"fixtures/{document['doc']}",
                    document["bureau"],
                    document["fiscal_year"],
                    document["doc_type"],
                    document["province"],
                    document["city"],
                    document["admin_level"],
                    1000,
                    200,
                    n_facts.get(document["doc"], 0),
                    datetime.datetime(2024, 1, 1),
                ],
            )
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory):
    """A DuckDB file with the fixture in raw.* and every dbt model built on it (read-only connection)."""
    # the stem "warehouse" matches the published file, as the runner's docstring asks
    db_path = tmp_path_factory.mktemp("dbt") / "warehouse.duckdb"
    _load_fixture(db_path)
    output = io.StringIO()
    code = run_dbt(["build"], db_path, stream=output)
    assert code == 0, output.getvalue()[-5000:]
    con = duckdb.connect(str(db_path), read_only=True)
    yield con
    con.close()


def _one(con: duckdb.DuckDBPyConnection, sql: str, *params) -> dict:
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, f"{sql} {params}: {len(rows)} rows"
    names = [column[0] for column in con.description]
    return dict(zip(names, rows[0]))


def test_every_mart_is_in_schema_marts(warehouse):
    tables = {
        row[0]
        for row in warehouse.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    assert {
        "bureau_year_summary",
        "function_spending",
        "project_outcomes",
        "indicator_results",
        "three_public_trend",
    } <= tables


def test_bureau_year_summary_picks_one_value_per_figure(warehouse):
    row = _one(
        warehouse,
        "select * from marts.bureau_year_summary where bureau = '甲县医疗保障局' and fiscal_year = 2022",
    )
    assert row["total_income_wan"] == 520.0
    assert row["total_expenditure_wan"] == 500.0  # line 10 stated twice: collapsed, not 1000
    assert row["basic_expenditure_wan"] == 300.0  # 300 at two lines beats 310 at one
    assert row["project_expenditure_wan"] == 200.0
    assert row["project_share_pct"] == 40.0
    assert row["personnel_expenditure_wan"] == 250.0  # bureau/year null on the fact: taken from its document
    assert row["public_expenditure_wan"] == 50.0  # 50 (line 14) vs 55 (line 90): tie, earliest line
    assert row["three_public_budget_wan"] == 4.0
    assert row["three_public_actual_wan"] == 3.0
    assert row["staff_authorized"] == 20
    assert row["staff_actual"] == 18
    assert row["self_eval_score"] == 92.0
    assert row["self_eval_grade"] == "良好"  # the statement with a grade wins
    assert row["warning_n_conflicting_metrics"] == 2
    assert row["province"] == "测试省" and row["admin_level"] == "县"


def test_unknown_figures_stay_null_never_zero(warehouse):
    row = _one(
        warehouse,
        "select * from marts.bureau_year_summary where bureau = '甲县医疗保障局' and fiscal_year = 2022",
    )
    assert row["operating_cost_wan"] is None
    assert row["procurement_wan"] is None
    other = _one(warehouse, "select * from marts.bureau_year_summary where bureau = '乙市丙区医疗保障局'")
    assert other["total_expenditure_wan"] == 80.0
    assert other["personnel_expenditure_wan"] is None
    assert other["project_expenditure_wan"] is None
    assert other["project_share_pct"] is None
    assert other["staff_authorized"] is None
    # attributes the loader did not give come from the name: 乙市丙区 → 市辖区 of 乙市
    assert other["bureau_short_name"] == "丙区"
    assert other["admin_level"] == "市辖区"
    assert other["prefecture_city"] == "乙市"


def test_bureau_years_come_from_documents(warehouse):
    years = warehouse.execute(
        "select bureau, fiscal_year from marts.bureau_year_summary order by bureau, fiscal_year"
    ).fetchall()
    assert years == [("乙市丙区医疗保障局", 2022), ("甲县医疗保障局", 2021), ("甲县医疗保障局", 2022)]
    row = _one(
        warehouse,
        "select * from marts.bureau_year_summary where bureau = '甲县医疗保障局' and fiscal_year = 2021",
    )
    assert row["total_expenditure_wan"] == 450.0
    assert row["basic_expenditure_wan"] is None


def test_function_spending_shares_and_unknown_classes(warehouse):
    health = _one(
        warehouse,
        "select * from marts.function_spending where bureau = '甲县医疗保障局' and function_class_code = '210'",
    )
    assert health["amount_wan"] == 400.0
    assert health["bureau_total_wan"] == 500.0  # 50 + 400 + 50: the 类 lines only
    assert health["share_of_total_pct"] == 80.0
    unknown = _one(
        warehouse,
        "select * from marts.function_spending where function_class_name_path like '%数字医保专项'",
    )
    assert unknown["function_class_code"] is None
    assert unknown["is_known_class"] is False
    assert unknown["class_level"] == "项"
    assert unknown["amount_wan"] == 100.0
    ambiguous = _one(
        warehouse, "select * from marts.function_spending where function_class_name_path = '行政运行'"
    )
    assert ambiguous["function_class_code"] is None
    assert ambiguous["class_level"] is None
    known = _one(
        warehouse,
        "select * from marts.function_spending where function_class_name_path"
        " = '卫生健康支出/医疗保障管理事务/行政运行'",
    )
    assert known["function_class_code"] == "2101501"


def test_three_public_trend_uses_prior_year_figures(warehouse):
    total = _one(
        warehouse,
        "select * from marts.three_public_trend where bureau = '甲县医疗保障局' and fiscal_year = 2022"
        " and three_public_item = '三公经费合计' and measure = 'actual'",
    )
    assert total["amount_wan"] == 3.0
    assert total["prior_year_amount_wan"] == 2.0  # only the 2022 document's 附表 states it
    assert total["change_wan"] == 1.0
    assert total["change_pct"] == 50.0
    assert total["stated_change_pct"] == 50.0
    reception = _one(
        warehouse,
        "select * from marts.three_public_trend where bureau = '甲县医疗保障局' and fiscal_year = 2022"
        " and three_public_item = '公务接待' and measure = 'actual'",
    )
    # 2021: the 2021 document's own 2.5 wins over the 2022 document's prior-year 2
    assert reception["prior_year_amount_wan"] == 2.5
    assert reception["change_wan"] == 0.5
    budget = _one(
        warehouse,
        "select * from marts.three_public_trend where bureau = '甲县医疗保障局' and fiscal_year = 2022"
        " and three_public_item = '三公经费合计' and measure = 'budget_initial'",
    )
    assert budget["prior_year_amount_wan"] is None and budget["change_pct"] is None


def test_project_outcomes(warehouse):
    relief = _one(warehouse, "select * from marts.project_outcomes where project = '医疗救助项目'")
    assert relief["budget_initial_wan"] == 100.0  # the table row (more fields) beats the narrative
    assert relief["actual_wan"] == 90.0
    assert relief["execution_rate_pct"] == 90.0
    assert relief["execution_rate_computed_pct"] == 90.0
    assert relief["score"] == 95.0
    publicity = _one(warehouse, "select * from marts.project_outcomes where project = '宣传经费'")
    assert publicity["execution_rate_pct"] == 100.0
    assert publicity["execution_rate_computed_pct"] is None  # a rate over a zero budget is undefined


def test_indicator_results(warehouse):
    rows = dict(
        warehouse.execute("select indicator, achieved from marts.indicator_results").fetchall()
    )
    assert rows == {"参保群众满意度": True, "资金审批时效": False, "社会稳定": None}
    timing = _one(warehouse, "select * from marts.indicator_results where indicator = '资金审批时效'")
    assert (timing["comparator"], timing["target_value"], timing["unit"]) == ("≤", 30.0, "天")


def test_conflicting_statements_stay_reachable(warehouse):
    line = _one(
        warehouse,
        "select * from core.fct_budget_lines where item = '基本支出' and fiscal_year = 2022"
        " and bureau_id = md5('甲县医疗保障局')",
    )
    assert line["has_conflicting_statements"] is True
    assert line["alternative_values_wan"] == "300.0; 310.0"
    assert line["_line"] == 12
    statements = warehouse.execute(
        "select _line, value_wan, is_chosen_statement from intermediate.int_amounts_deduplicated"
        " where budget_line_id = ? order by _line",
        [line["budget_line_id"]],
    ).fetchall()
    assert statements == [(12, 300.0, True), (40, 300.0, False), (80, 310.0, False)]
