"""Issue 3: a dozen mart values checked by hand against the sample documents (the line is in each comment).

The warehouse is built from the real documents by the real chain (ingest → dbt build), so these values
pass only if extraction, dedup rules and marts all agree with what the documents say.
"""

from __future__ import annotations

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def _summary(con, bureau, column):
    return con.execute(f"select {column} from marts.bureau_year_summary where bureau = ?", [bureau]).fetchone()[0]


# (bureau, column, value, where the document says it)
SUMMARY = [
    ("浏阳市医疗保障局", "total_expenditure_wan", 9568.14),   # 000 L152 部门整体支出规模为 9568.14 万元
    ("浏阳市医疗保障局", "project_share_pct", 92.57),          # 000 L162 项目支出…占总支出的 92.57%
    ("浏阳市医疗保障局", "three_public_budget_wan", 3.0),      # 000 L219 “三公”经费预算为 3 万元
    ("浏阳市医疗保障局", "three_public_actual_wan", 1.62),     # 000 L226 “三公”经费实际支出 1.62 万元
    ("浏阳市医疗保障局", "self_eval_score", 98.0),             # 000 L737 得分为 98 分，等级为“优秀”
    ("广元市医疗保障局", "total_income_wan", 2280.97),         # 002 L65 本年度收入合计2280.97万元
    ("广元市医疗保障局", "basic_expenditure_wan", 603.98),     # 002 L74 基本支出 603.98
    ("广元市医疗保障局", "project_expenditure_wan", 1565.91),  # 002 L74 项目支出1565.91 万元
    ("广元市医疗保障局", "procurement_wan", 407.45),           # 002 L148 政府采购支出总额407.45万元
    ("衡阳县医疗保障局", "staff_authorized", 27),              # 004 L10 编制人数27人
    ("衡阳县医疗保障局", "staff_actual", 22),                  # 004 L10 在职22人
    ("长沙市天心区医疗保障局", "staff_actual", 13),            # 003 L8 局在职人员共13人
    ("长沙市天心区医疗保障局", "total_expenditure_wan", 693.22),  # 003 L60-61 部门决算数 693.22 (支出合计)
    ("南昌市东湖区医疗保障局", "total_expenditure_wan", 465.73),  # 001 L117-119 支出总计 / 本年支出合计 465.73 万元
]


@pytest.mark.parametrize("bureau, column, value", SUMMARY)
def test_bureau_year_summary_value(con, bureau, column, value):
    assert _summary(con, bureau, column) == pytest.approx(value)


def test_grade_and_place(con):
    # 000 L737 等级为“优秀”; the place words of the bureau name and the prefecture it belongs to
    row = con.execute("select self_eval_grade, province, admin_level from marts.bureau_year_summary "
                      "where bureau = '浏阳市医疗保障局'").fetchone()
    assert row == ("优秀", "湖南", "县级市")


def test_project_outcome(con):
    # 000 L1169 年度资金总额 1013.08 1013.08 757.18 10 74.74% 8 (城乡困难居民资助参保, 附件3-2)
    row = con.execute("select budget_initial_wan, budget_final_wan, actual_wan, execution_rate_pct "
                      "from marts.project_outcomes where project = '城乡困难居民资助参保'").fetchone()
    assert row == pytest.approx((1013.08, 1013.08, 757.18, 74.74))


def test_unknown_is_null_never_zero(con):
    # 003 states no 本年收入合计 anywhere: the mart must say unknown, not 0
    assert _summary(con, "长沙市天心区医疗保障局", "total_income_wan") is None


def test_marts_hold_every_seed_bureau_year(con):
    rows = set(con.execute("select bureau, fiscal_year from marts.bureau_year_summary").fetchall())
    assert rows >= {("浏阳市医疗保障局", 2021), ("南昌市东湖区医疗保障局", 2022), ("广元市医疗保障局", 2021),
                    ("长沙市天心区医疗保障局", 2021), ("衡阳县医疗保障局", 2023)}
