"""`yibao report`: the dashboard page, without a browser (the browser test is test_report_browser.py)."""

from __future__ import annotations

import csv
import html
import io
import re
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from yibao import cli_report
from yibao.report import build_report

from .conftest import ROOT

EVIL = "<script>alert(1)</script>"
EVIL_BUREAU = f"{EVIL}医疗保障局"
GOOD_BUREAU = "浏阳市医疗保障局"

SECTION_HEADINGS = (
    "一、支出结构：基本支出与项目支出、按功能分类",
    "二、三公经费趋势",
    "三、预算执行：年初预算 → 全年预算 → 决算",
    "四、项目执行率与自评得分",
    "五、绩效指标完成情况",
    "六、勾稽核对发现",
)

# The marts' columns and types, as the final selects of dbt_project/models/marts/*.sql give them
# (test_fixture_columns_exist_in_the_models checks that they still do).
MART_COLUMNS = {
    "bureau_year_summary": """
        bureau_id varchar, bureau varchar, bureau_short_name varchar, province varchar,
        prefecture_city varchar, admin_level varchar, fiscal_year integer,
        total_income_wan double, total_expenditure_wan double, basic_expenditure_wan double,
        project_expenditure_wan double, project_share_pct double, personnel_expenditure_wan double,
        public_expenditure_wan double, three_public_budget_wan double, three_public_actual_wan double,
        operating_cost_wan double, procurement_wan double, staff_authorized integer, staff_actual integer,
        self_eval_score double, self_eval_grade varchar, warning_n_conflicting_metrics integer,
        _n_documents integer, _source_docs varchar""",
    "function_spending": """
        bureau_id varchar, bureau varchar, fiscal_year integer, function_class_id varchar,
        function_class_code varchar, function_class_name_path varchar, class_level varchar,
        lei_name varchar, kuan_name varchar, xiang_name varchar, is_known_class boolean,
        measure varchar, scope varchar, amount_wan double, bureau_total_wan double,
        share_of_total_pct double, stated_pct double, stated_pct_basis varchar,
        has_conflicting_statements boolean, _doc varchar, _line integer""",
    "three_public_trend": """
        bureau_id varchar, bureau varchar, fiscal_year integer, three_public_item varchar,
        is_subtotal boolean, sort_order integer, measure varchar, scope varchar, amount_wan double,
        prior_year_amount_wan double, change_wan double, change_pct double, stated_change_pct double,
        has_conflicting_statements boolean, _item_as_stated varchar, _doc varchar, _line integer""",
    "project_outcomes": """
        project_outcome_id varchar, bureau_id varchar, bureau varchar, fiscal_year integer, project varchar,
        budget_initial_wan double, budget_final_wan double, actual_wan double, execution_rate_pct double,
        execution_rate_computed_pct double, score double, max_score double, grade varchar,
        warning_execution_rate_mismatch boolean, has_conflicting_statements boolean, _doc varchar,
        _line integer""",
    "indicator_results": """
        indicator_result_id varchar, bureau_id varchar, bureau varchar, fiscal_year integer, scope varchar,
        level1 varchar, level2 varchar, indicator varchar, target_text varchar, actual_text varchar,
        target_value double, actual_value double, unit varchar, comparator varchar, achieved boolean,
        weight double, score double, warning_score_above_weight boolean, _doc varchar, _line integer""",
}

# issue 4's table (rule, bureau, year, both sides' values, difference, document and line of each side);
# the page shows whatever columns it has, so this shape is only an example.
FINDINGS_COLUMNS = """
    rule_id varchar, rule_title varchar, severity varchar, bureau varchar, fiscal_year integer,
    left_label varchar, left_value_wan double, right_label varchar, right_value_wan double,
    difference_wan double, left_doc varchar, left_line integer, right_doc varchar, right_line integer"""

ROWS = {
    "bureau_year_summary": [
        dict(bureau=GOOD_BUREAU, fiscal_year=2020, basic_expenditure_wan=700.5,
             project_expenditure_wan=8000.0,
             total_expenditure_wan=8700.5, project_share_pct=91.95),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, basic_expenditure_wan=711.01,
             project_expenditure_wan=8857.13,
             total_expenditure_wan=9568.14, project_share_pct=92.57),
        dict(bureau=EVIL_BUREAU, fiscal_year=2021, basic_expenditure_wan=431.73, project_expenditure_wan=None,
             total_expenditure_wan=465.73, project_share_pct=None),
    ],
    "function_spending": [
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, class_level="类", lei_name="卫生健康支出",
             function_class_code="210", measure="actual", scope="all", amount_wan=9231.89,
             share_of_total_pct=96.49),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, class_level="类", lei_name="社会保障和就业支出",
             function_class_code="208", measure="actual", scope="all", amount_wan=143.0,
             share_of_total_pct=1.49),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, class_level="类", lei_name="卫生健康支出",
             function_class_code="210", measure="budget_initial", scope="all", amount_wan=9000.0,
             share_of_total_pct=100.0),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, class_level="项", lei_name="卫生健康支出",
             function_class_code="2101301", measure="actual", scope="all", amount_wan=8000.0,
             share_of_total_pct=None),
        dict(bureau=EVIL_BUREAU, fiscal_year=2021, class_level="类", lei_name=f"{EVIL}支出",
             function_class_code=None, measure="actual", scope="fiscal", amount_wan=385.61,
             share_of_total_pct=None),
    ],
    "three_public_trend": [
        dict(bureau=GOOD_BUREAU, fiscal_year=2020, three_public_item="三公经费合计", is_subtotal=True,
             sort_order=6, measure="actual", amount_wan=0.15),
        dict(bureau=GOOD_BUREAU, fiscal_year=2020, three_public_item="公务接待", is_subtotal=False,
             sort_order=5, measure="actual", amount_wan=0.15),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, three_public_item="三公经费合计", is_subtotal=True,
             sort_order=6, measure="actual", amount_wan=1.62, prior_year_amount_wan=0.15),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, three_public_item="三公经费合计", is_subtotal=True,
             sort_order=6, measure="budget_initial", amount_wan=3.0),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, three_public_item="公务接待", is_subtotal=False,
             sort_order=5, measure="actual", amount_wan=1.62, prior_year_amount_wan=0.15),
        dict(bureau=EVIL_BUREAU, fiscal_year=2021, three_public_item="因公出国（境）", is_subtotal=False,
             sort_order=1, measure="actual", amount_wan=0.0),
        dict(bureau=EVIL_BUREAU, fiscal_year=2021, three_public_item="公务接待", is_subtotal=False,
             sort_order=5, measure="actual", amount_wan=1.0),
    ],
    "project_outcomes": [
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, project="城乡困难居民医疗救助", budget_initial_wan=7510.02,
             budget_final_wan=7510.02, actual_wan=7657.81, execution_rate_pct=101.97,
             execution_rate_computed_pct=101.97, score=99.0, max_score=100.0,
             warning_execution_rate_mismatch=False, _doc="000_a.txt", _line=512),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, project="城乡困难居民资助参保", budget_initial_wan=1013.08,
             budget_final_wan=1013.08, actual_wan=757.18, execution_rate_pct=None,
             execution_rate_computed_pct=74.74, score=9.0, max_score=10.0,
             warning_execution_rate_mismatch=None, _doc="000_a.txt", _line=600),
        dict(bureau=EVIL_BUREAU, fiscal_year=2021, project=f"{EVIL}项目", budget_initial_wan=None,
             budget_final_wan=15.0, actual_wan=15.0, execution_rate_pct=100.0,
             execution_rate_computed_pct=100.0,
             score=None, max_score=None, _doc="001_b.txt", _line=77),
    ],
    "indicator_results": [
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, scope="部门整体", level1="产出指标", level2="时效指标",
             indicator="政府采购执行率", target_text="10", actual_text="6.45", achieved=False, weight=3.0,
             score=2.0, _doc="000_a.txt", _line=870),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, scope="部门整体", level1="产出指标", level2="数量指标",
             indicator="参保率", target_text="≥95%", actual_text="96.2%", achieved=True, weight=5.0, score=5.0,
             _doc="000_a.txt", _line=880),
        dict(bureau=GOOD_BUREAU, fiscal_year=2021, scope="部门整体", level1="效益指标", level2="社会效益指标",
             indicator="群众满意", target_text="提高", actual_text="有所提高", achieved=None, _doc="000_a.txt",
             _line=890),
        dict(bureau=EVIL_BUREAU, fiscal_year=2021, scope=f"{EVIL}项目", level1="满意度指标", level2=None,
             indicator=f"{EVIL}满意度", target_text="≥98%", actual_text="95%", achieved=False, weight=10.0,
             score=8.0, _doc="001_b.txt", _line=376),
    ],
}

FINDINGS = [
    dict(rule_id="T02", rule_title="本年支出合计 = 基本支出 + 项目支出", severity="warning", bureau=GOOD_BUREAU,
         fiscal_year=2021, left_label="本年支出合计", left_value_wan=9568.14, right_label="基本支出 + 项目支出",
         right_value_wan=9568.24, difference_wan=-0.1, left_doc="000_a.txt", left_line=120,
         right_doc="000_a.txt", right_line=131),
    dict(rule_id="D01", rule_title="同一数字两处不同", severity="warning", bureau=EVIL_BUREAU, fiscal_year=2021,
         left_label=EVIL, left_value_wan=15.0, right_label="表格", right_value_wan=16.0, difference_wan=-1.0,
         left_doc="001_b.txt", left_line=40, right_doc="001_b.txt", right_line=210),
]


def make_warehouse(path: Path, *, findings: bool = True, empty: bool = False) -> Path:
    """A small DuckDB file with a ``marts`` schema shaped like the real marts.

    Parameters
    ----------
    path:
        The file to create.
    findings:
        Also create ``marts.reconciliation_findings``.
    empty:
        Create the tables without rows.
    """
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    tables = dict(MART_COLUMNS, **({"reconciliation_findings": FINDINGS_COLUMNS} if findings else {}))
    for name, cols in tables.items():
        con.execute(f"create table marts.{name} ({cols})")
        if empty:
            continue
        rows = FINDINGS if name == "reconciliation_findings" else ROWS[name]
        for row in rows:
            row = dict(row)
            if "bureau" in row and "bureau_id" in cols:
                row["bureau_id"] = f"id-{row['bureau']}"
            keys = list(row)
            con.execute(f"insert into marts.{name} ({', '.join(keys)}) values ({', '.join('?' * len(keys))})",
                        [row[k] for k in keys])
    con.close()
    return path


@pytest.fixture
def page(tmp_path) -> str:
    """The page over the full fixture warehouse."""
    db = make_warehouse(tmp_path / "wh.duckdb")
    return build_report(db, tmp_path / "report").read_text(encoding="utf-8")


class PageParser(HTMLParser):
    """Collects the data tables (headers, cell texts), the CSV links and the headings of the page."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict] = {}
        self.links: dict[str, str] = {}
        self.headings: list[str] = []
        self.scripts = 0
        self._table = None
        self._cell = None
        self._heading = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self._table = self.tables.setdefault(a["data-name"], {"header": [], "rows": []})
        elif tag == "tr" and self._table is not None:
            self._table["rows"].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = [tag, ""]
        elif tag == "a" and "data-table" in a:
            self.links[a["data-table"]] = a["href"]
        elif tag == "h2":
            self._heading = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            kind, text = self._cell
            if kind == "th":
                self._table["header"].append(text)
            else:
                self._table["rows"][-1].append(text)
            self._cell = None
        elif tag == "table":
            self._table["rows"] = [r for r in self._table["rows"] if r]
            self._table = None
        elif tag == "h2" and self._heading is not None:
            self.headings.append(self._heading)
            self._heading = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data
        if self._heading is not None:
            self._heading += data


def parse(page: str) -> PageParser:
    p = PageParser()
    p.feed(page)
    return p


def csv_rows(href: str) -> list[list[str]]:
    """The rows of a CSV data: URI."""
    prefix = "data:text/csv;charset=utf-8,"
    assert href.startswith(prefix)
    text = urllib.parse.unquote(href[len(prefix):])
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_page_has_no_remote_references(page):
    refs = re.findall(r"""\b(?:src|href|action|data)\s*=\s*["']?\s*([^"'\s>]+)""", page, flags=re.I)
    assert refs, "the page has links (the CSV downloads and the table of contents)"
    for ref in refs:
        assert not re.match(r"(?:https?:)?//", ref, flags=re.I), ref
        assert ref.startswith(("#", "data:")), ref
    assert not re.search(r"https?://", page), "no http(s) URL anywhere in the page"
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", page, flags=re.I)
    assert "Content-Security-Policy" in page and "default-src 'none'" in html.unescape(page)


def test_page_is_chinese_and_self_contained(page):
    assert '<html lang="zh-CN">' in page
    fonts = ('"Noto Sans CJK SC"', '"Source Han Sans SC"', '"Microsoft YaHei"', '"PingFang SC"', "sans-serif")
    for font in fonts:
        assert font in page
    assert "<style>" in page and page.count("<svg class=\"chart\"") == 7


def test_page_has_every_section_heading(page):
    assert parse(page).headings == list(SECTION_HEADINGS)


def test_malicious_bureau_name_is_escaped(page):
    assert EVIL not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;医疗保障局" in page
    parsed = parse(page)
    assert parsed.scripts == 1, "only the page's own self-check script"
    # the name arrives intact as text in the tables and in the CSV
    assert any(EVIL_BUREAU in row for row in parsed.tables["spending_basic_project"]["rows"])
    assert [EVIL_BUREAU] == [r[0] for r in csv_rows(parsed.links["spending_basic_project"])[1:]
                             if r[0] == EVIL_BUREAU]


def _same(shown: str, raw: str) -> bool:
    """A table cell as displayed against the CSV's raw value."""
    if shown == "—":
        return raw == ""
    if (shown, raw) in (("是", "true"), ("否", "false")):
        return True
    try:
        return abs(float(shown.replace(",", "").rstrip("%")) - float(raw)) < 0.006
    except ValueError:
        return shown == raw.removeprefix("'")


def test_csv_links_hold_the_table_data(page):
    parsed = parse(page)
    expected = {"spending_basic_project", "spending_function_classes", "three_public_trend",
                "budget_execution",
                "project_outcomes", "indicator_achievement", "indicators_missed", "reconciliation_findings"}
    assert set(parsed.tables) == expected
    assert set(parsed.links) == expected
    for name, table in parsed.tables.items():
        rows = csv_rows(parsed.links[name])
        assert rows[0] == table["header"], name
        assert len(rows) - 1 == len(table["rows"]) > 0, name
        for shown_row, raw_row in zip(table["rows"], rows[1:]):
            assert len(shown_row) == len(raw_row), name
            for shown, raw in zip(shown_row, raw_row):
                assert _same(shown, raw), (name, shown, raw)


def test_sections_show_the_fixture_figures(page):
    t = parse(page).tables
    split = {(r[0], r[1]): r for r in t["spending_basic_project"]["rows"]}
    assert split[(GOOD_BUREAU, "2021")][2:4] == ["711.01", "8,857.13"]
    assert split[(EVIL_BUREAU, "2021")][3] == "—", "a null shows as —"
    assert split[(EVIL_BUREAU, "2021")][4] == "34.00", "total minus the known parts"
    three = {(r[0], r[1]): r for r in t["three_public_trend"]["rows"]}
    assert three[(GOOD_BUREAU, "2021")][6:10] == ["1.62", "3.00", "年初预算", "980.00%"]
    assert three[(EVIL_BUREAU, "2021")][6] == "1.00", "合计 summed from the items when not stated"
    budget = {(r[0], r[1], r[2]): r for r in t["budget_execution"]["rows"]}
    assert budget[(GOOD_BUREAU, "2021", "功能分类合计")][5:9] == ["9,000.00", "—", "9,374.89", "104.17%"]
    assert budget[(GOOD_BUREAU, "2021", "项目合计")][4:9] == ["2", "8,523.10", "8,523.10", "8,414.99", "98.73%"]
    assert budget[(EVIL_BUREAU, "2021", "项目合计")][5] == "—", "not summed when a project lacks it"
    achievement = {(r[0], r[1]): r[2:] for r in t["indicator_achievement"]["rows"]}
    assert achievement[(GOOD_BUREAU, "2021")] == ["1", "1", "1", "3"]
    missed = t["indicators_missed"]["rows"]
    assert sorted((r[5], r[10], r[11]) for r in missed) == [(f"{EVIL}满意度", "001_b.txt", "376"),
                                                           ("政府采购执行率", "000_a.txt", "870")]
    findings = t["reconciliation_findings"]["rows"]
    assert {(r[0], r[10], r[11], r[12], r[13]) for r in findings} == {
        ("T02", "000_a.txt", "120", "000_a.txt", "131"), ("D01", "001_b.txt", "40", "001_b.txt", "210")}


def test_missing_findings_mart_is_noted_not_fatal(tmp_path):
    db = make_warehouse(tmp_path / "wh.duckdb", findings=False)
    page = build_report(db, tmp_path / "out").read_text(encoding="utf-8")
    assert "不可用：仓库中尚无 marts.reconciliation_findings" in page
    assert page.count('<svg class="chart"') == 6
    assert parse(page).headings == list(SECTION_HEADINGS)


def test_empty_marts_show_no_data(tmp_path):
    db = make_warehouse(tmp_path / "wh.duckdb", empty=True)
    page = build_report(db, tmp_path / "out").read_text(encoding="utf-8")
    assert '<svg class="chart"' not in page
    assert page.count("无数据") >= 8
    assert "不可用" not in page
    assert parse(page).links == {}


def test_a_missing_mart_is_noted_per_section(tmp_path):
    db = make_warehouse(tmp_path / "wh.duckdb")
    con = duckdb.connect(str(db))
    con.execute("drop table marts.project_outcomes")
    con.close()
    page = build_report(db, tmp_path / "out").read_text(encoding="utf-8")
    assert page.count('class="unavailable"') == 2, "budget execution and projects read project_outcomes"
    assert parse(page).headings == list(SECTION_HEADINGS)


def test_warehouse_is_opened_read_only(tmp_path):
    db = make_warehouse(tmp_path / "wh.duckdb")
    reader = duckdb.connect(str(db), read_only=True)  # another reader holds the file
    try:
        assert build_report(db, tmp_path / "out").exists()
    finally:
        reader.close()


def test_fixture_columns_exist_in_the_models():
    """The fixture is shaped like the marts: every column it has is selected by the model's SQL."""
    for name, cols in MART_COLUMNS.items():
        sql = (ROOT / "dbt_project" / "models" / "marts" / f"{name}.sql").read_text(encoding="utf-8")
        # the final select casts every column: cast(<expr> as <type>) as <name>
        casts = re.findall(r"\bas\s+(\w+)\s*\)\s*as\s+(\w+)", sql, flags=re.I)
        model_cols = {alias: typ for typ, alias in casts}
        for col in cols.split(","):
            col_name, col_type = col.split()
            assert col_name in model_cols, f"{name}.{col_name} is no longer selected by {name}.sql"
            assert model_cols[col_name].lower() == col_type.lower(), f"{name}.{col_name} type changed"


def test_cli_report(tmp_path):
    from click import Group

    group = Group("yibao")
    cli_report.register(group)
    db = make_warehouse(tmp_path / "wh.duckdb")
    result = CliRunner().invoke(group, ["report", "--db", str(db), "--output", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").exists()
    assert "dashboard written to" in result.output
    missing = CliRunner().invoke(group, ["report", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 1 and "no warehouse" in missing.output
    assert group.commands["report"].help
