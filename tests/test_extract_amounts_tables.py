"""Money figures stated in tables (ingest.loaders.amounts_tables).

The seed tests score the table figures against the reference facts; the other tests build small documents of
other bureaus, years, units and layouts and check that the changed figures come out, proving that nothing is
keyed on the samples.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.document import document_from_text, read_document
from ingest.loaders.amounts_tables import column_kind, table_amounts
from ingest.loaders.base import DocMeta, FactLoader

ROOT = Path(__file__).parents[1]
SHARED = ROOT / ".." / "shared"
SEEDS = sorted((ROOT / "data" / "raw").glob("*.txt"))


def _score_module():
    spec = importlib.util.spec_from_file_location("score_facts", SHARED / "tools" / "score_facts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _TableAmounts(FactLoader):
    """The table figures alone, run through the base chain (not registered: ``kind`` is set afterwards)."""

    def extract(self) -> list[dict]:
        return table_amounts(self.doc, self.meta)


_TableAmounts.kind = "amount"


def _find(cands, item, measure, year=None, fy=None):
    out = [c for c in cands if c["item"] == item and c["measure"] == measure
           and (year is None or c.get("year", fy) == year)]
    return out


def _one(cands, item, measure, year=None, fy=None):
    hits = _find(cands, item, measure, year, fy)
    assert len(hits) == 1, f"{item}/{measure}/{year}: {hits or cands}"
    return hits[0]


# ------------------------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_scores():
    if not SEEDS or not (SHARED / "gold").is_dir():
        pytest.skip("seeds or gold facts not available")
    sf = _score_module()
    gold_all, extracted, gold_tables = [], [], []
    for path in SEEDS:
        gold_file = SHARED / "gold" / (path.stem + ".jsonl")
        if not gold_file.exists():
            continue
        gold = [json.loads(x) for x in gold_file.read_text(encoding="utf-8").splitlines() if x.strip()]
        amounts = [g for g in gold if g["kind"] == "amount"]
        doc = read_document(path)
        in_rows = {c.line for t in doc.tables for r in t.rows if len(r.cells) > 1 for c in r.cells}
        gold_tables += [g for g in amounts if g["line"] in in_rows]
        gold_all += amounts
        meta = DocMeta(bureau=gold[0]["bureau"], fiscal_year=gold[0]["fiscal_year"])
        extracted += [f.model_dump() for f in _TableAmounts(doc, meta).extract_transform_load()]
    table_report, _, _ = sf.score(gold_tables, extracted)
    all_report, _, _ = sf.score(gold_all, extracted)
    return table_report["amount"], all_report["amount"]


def test_seed_table_amounts_recall(seed_scores):
    tables, _ = seed_scores
    assert tables["recall"] >= 0.90, tables
    for name, acc in tables["fields"].items():
        assert acc >= 0.90, (name, tables)


def test_seed_table_amounts_precision(seed_scores):
    # every table figure must be a figure of the reference (restatements of prose figures included)
    _, everything = seed_scores
    assert everything["precision"] >= 0.90, everything
    assert everything["fields"]["category"] >= 0.90


# ------------------------------------------------------------------------------- PDF-style tables

PDF_BASE = """附件 1

部门整体支出绩效自评基础数据表
填报单位：{bureau} 单位：{unit}

财政供养人员情况

编制数
{fy}年实际

在职人数
控制率

38 36 95%

经费控制情况 {py}年{h1} {fy}年{h2} {fy}年{h3}
{rows}
厉行节约保障措施
"""


def _pdf_doc(bureau="长沙市民政局", fy=2024, unit="万元", rows=None, h=("决算数", "预算数", "决算数")):
    rows = rows or [
        "三公经费 2.5 6 4.25",
        "1、公务用车购置和维护经费 1.2 2 1.8",
        "3、公务接待 1.3 4 2.45",
        "公用经费 51.7 60 58.06",
    ]
    text = PDF_BASE.format(bureau=bureau, fy=fy, py=fy - 1, unit=unit, rows="\n\n".join(rows),
                           h1=h[0], h2=h[1], h3=h[2])
    return document_from_text(text, "pdf.txt")


def test_pdf_table_years_and_measures_from_header():
    cands = table_amounts(_pdf_doc(), DocMeta(fiscal_year=2024))
    assert _one(cands, "三公经费", "actual", 2023, 2024)["value_wan"] == 2.5
    assert _one(cands, "三公经费", "budget_initial", 2024, 2024)["value_wan"] == 6
    assert _one(cands, "三公经费", "actual", 2024, 2024)["value_wan"] == 4.25
    c = _one(cands, "公务接待费", "actual", 2024, 2024)
    assert c["value_wan"] == 2.45 and c["category"] == "three_public" and c["scope"] == "fiscal"
    assert _one(cands, "公用经费", "budget_initial", 2024, 2024)["category"] == "nature"
    # the staff counts under 编制数 / 在职人数 / 控制率 are no money
    assert not [c for c in cands if c["value_wan"] in (38, 36)]


def test_pdf_table_rows_reordered_and_other_year():
    rows = ["公用经费 10 20 30", "3、公务接待 0.4 0.5 0.6", "三公经费 0.4 0.5 0.6"]
    cands = table_amounts(_pdf_doc(bureau="某县卫生健康委员会", fy=2019, rows=rows), DocMeta(fiscal_year=2019))
    assert _one(cands, "公用经费", "actual", 2018, 2019)["value_wan"] == 10
    assert _one(cands, "公务接待费", "budget_initial", 2019, 2019)["value_wan"] == 0.5
    later = _one(cands, "三公经费", "actual", 2019, 2019)["line"]
    assert later > _one(cands, "公用经费", "actual", 2019, 2019)["line"]


def test_pdf_table_in_yuan():
    rows = ["三公经费 25000 60000 42500", "公用经费 517000 600000 580600"]
    cands = table_amounts(_pdf_doc(unit="元", rows=rows), DocMeta(fiscal_year=2024))
    assert _one(cands, "三公经费", "actual", 2024, 2024)["value_wan"] == pytest.approx(4.25)
    assert _one(cands, "公用经费", "budget_initial", 2024, 2024)["value_wan"] == pytest.approx(60)


def test_pdf_table_columns_in_another_order():
    # the columns are read from the header, not assumed: actual first, then the budget
    cands = table_amounts(_pdf_doc(h=("决算数", "决算数", "预算数")), DocMeta(fiscal_year=2024))
    assert _one(cands, "三公经费", "actual", 2024, 2024)["value_wan"] == 6
    assert _one(cands, "三公经费", "budget_initial", 2024, 2024)["value_wan"] == 4.25


PROJECT_PDF = """{fy}年项目支出绩效自评表
单位：万元

项目支

出名称
{name}

主管部门 {bureau} 实施单位 {bureau}

项目资金

（万元）

年初预

算数

全年

预算数
全年执行

数
分值 执行率

(%)
得分

年度资

金总额
{a} {b} {c} 10 {rate} 9

其中：当年

财政拨款 {a} {b} {d}

上年结转资金 0 0 {e}

其他资金 0 0

年度总体目标
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
数量指标 救助人次 81000 81480 15 15
"""


def test_pdf_project_table_broken_header_and_labels():
    text = PROJECT_PDF.format(fy=2023, name="困难群众临时救助", bureau="某市民政局", a="320.5", b="350",
                              c="341.2", d="300.1", e="41.1", rate="97.49")
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2023))
    scope = "project:困难群众临时救助"
    total = _one(cands, "年度资金总额", "actual")
    assert (total["value_wan"], total["pct"], total["pct_basis"]) == (341.2, 97.49, "completion")
    assert total["scope"] == scope
    assert _one(cands, "年度资金总额", "budget_initial")["value_wan"] == 320.5
    assert _one(cands, "年度资金总额", "budget_final")["value_wan"] == 350
    fin = _one(cands, "财政拨款", "actual")
    assert (fin["value_wan"], fin["category"], fin["scope"]) == (300.1, "source", scope)
    assert _one(cands, "上年结转", "actual")["value_wan"] == 41.1
    assert len(_find(cands, "其他资金", "budget_final")) == 1 and not _find(cands, "其他资金", "actual")
    # the indicator row below is no money
    assert not [c for c in cands if c["value_wan"] in (81000, 81480)]
    # every figure's line holds its number
    doc = document_from_text(text)
    for c in cands:
        assert str(c["value_wan"]).rstrip("0").rstrip(".") in doc.raw_line(c["line"]), c


def test_pdf_source_rows_with_execution_rate():
    text = """2024年部门整体支出绩效自评表
单位：万元
整体支出规模
全年预算数 全年执行数 执行率
资金来源：（1）财政拨款 1200.5 1100.25 91.65%
（2）其他资金 10 12 120%
资金结构：（1）基本支出 800 790 98.75%
（2）项目支出 410.5 322.25 78.50%
年度总体目标
"""
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2024))
    fin = _one(cands, "财政拨款", "actual")
    assert (fin["value_wan"], fin["pct"], fin["pct_basis"]) == (1100.25, 91.65, "completion")
    assert fin["category"] == "source"
    assert _one(cands, "财政拨款", "budget_final")["pct"] is None
    assert _one(cands, "项目支出", "budget_final")["value_wan"] == 410.5
    assert _one(cands, "基本支出", "actual")["category"] == "nature"


# ------------------------------------------------------------------------------ Word-style tables


def _word(rows: list[list[str]]) -> str:
    """Word tab-table text: one cell per line with a leading tab, rows separated by a blank line."""
    return "\n\n".join("\n".join("\t" + c for c in row) for row in rows) + "\n"


def test_word_transposed_table_and_three_public_total():
    text = ("二、部门整体支出情况\n                 单位：万元\n" + _word([
        ["（一）2022年度整体支出情况"],
        ["项目", "支出合计", "基本支出", "项目支出", "政府专项"],
        ["年初部门预算", "900.5", "700.25", "200.25", ""],
        ["调整预算数", "", "", "", ""],
        ["部门决算数", "950", "720", "230", ""],
        ["其中：资产购置支出", "3.5", "3.5", "0", ""],
        ["（二）2022年“三公”经费支出情况"],
        ["", "因公出国出境", "公车购置、运行", "公务接待", "合计"],
        ["部门预算数", "", "2", "1.5", "3.5"],
        ["部门决算数", "", "1.8", "0.7", "2.5"],
    ]) + "\n三、存在的问题\n")
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2022))
    assert _one(cands, "支出合计", "budget_initial")["value_wan"] == 900.5
    assert _one(cands, "项目支出", "actual")["value_wan"] == 230
    assert _one(cands, "资产购置支出", "actual")["category"] == "asset"
    assert _one(cands, "基本支出资产购置支出", "actual")["value_wan"] == 3.5
    three = _one(cands, "三公经费", "actual")
    assert (three["value_wan"], three["category"], three["scope"]) == (2.5, "three_public", "fiscal")
    assert _one(cands, "公务接待费", "budget_initial")["value_wan"] == 1.5
    assert not _find(cands, "因公出国（境）费", "actual")  # empty cells are no figures
    assert not [c for c in cands if c["measure"] == "budget_final"]


def test_word_columns_with_years_and_empty_cells():
    text = "附件1-1 部门整体支出绩效自评基础数据表\n" + _word([
        ["财政供养人员情况", "编制数", "2025年实际在职人数", "控制率"],
        ["", "31", "30", "97%"],
        ["经费控制情况", "2024年决算数", "2025年预算数", "2025年决算数"],
        ["一、部门基本支出", "812.4", "830", "826.3"],
        ["其中：1、压缩一般性支出", "", "", ""],
        ["2、三公经费", "5.1", "6", "4.9"],
        ["公务接待", "5.1", "6", "4.9"],
        ["出国经费", "", "", ""],
        ["五、公用经费", "120", "", "118.5"],
    ])
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2025))
    basic = _one(cands, "基本支出", "actual", 2024, 2025)
    assert (basic["value_wan"], basic["category"]) == (812.4, "nature")
    assert _one(cands, "三公经费", "budget_initial", 2025, 2025)["value_wan"] == 6
    assert _one(cands, "公务接待费", "actual", 2025, 2025)["value_wan"] == 4.9
    assert not _find(cands, "公用经费", "budget_initial")
    assert not [c for c in cands if c["value_wan"] in (31, 30)]


def test_word_label_value_pairs_in_project_table():
    text = "2023年部门预算项目绩效目标自评\n（社区养老服务补助项目）\n" + _word([
        ["主管部门及代码", "701001", "实施单位", "某区民政局"],
        ["项目预算执行情况（万元）", "预算数：", "88.6", "执行数：", "80.2"],
        ["", "其中：财政拨款", "88.6", "其中：财政拨款", "80.2"],
        ["", "其他资金", "", "其他资金", ""],
        ["年度绩效指标完成情况", "一级指标", "二级指标", "三级指标", "预期指标值", "实际完成指标值"],
        ["", "完成指标", "数量指标", "服务人次", "≥500人", "≥520人"],
    ])
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2023))
    scope = "project:社区养老服务补助"
    total = _one(cands, "年度资金总额", "budget_final")
    assert (total["value_wan"], total["scope"], total["category"]) == (88.6, scope, "total")
    assert _one(cands, "年度资金总额", "actual")["value_wan"] == 80.2
    assert _one(cands, "财政拨款", "actual")["value_wan"] == 80.2
    assert _one(cands, "财政拨款", "budget_final")["scope"] == scope
    assert not [c for c in cands if c["value_wan"] == 701001]


def test_word_department_table_pct_and_pairs():
    text = _word([
        ["部门资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "执行率", "分值", "得分"],
        ["", "年度资金总额", "400", "450.5", "441.49", "98%", "10", "9"],
        ["", "按收入性质分", "按支出性质分"],
        ["", "其中：一般公共预算", "430.1", "基本支出", "300.2"],
        ["", "其他资金", "11.39", "项目支出", "141.29"],
    ])
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2024))
    total = _one(cands, "年度资金总额", "actual")
    assert (total["value_wan"], total["pct"], total["scope"]) == (441.49, 98, "all")
    assert _one(cands, "年度资金总额", "budget_initial")["value_wan"] == 400
    gp = _one(cands, "一般公共预算", "actual")
    assert (gp["value_wan"], gp["scope"], gp["category"]) == (430.1, "general_public", "source")
    assert _one(cands, "项目支出", "actual")["value_wan"] == 141.29
    assert not [c for c in cands if c["value_wan"] in (10, 9)]  # 分值 / 得分


def test_budget_document_columns():
    text = "2025年部门预算公开\n" + _word([
        ["项目", "2025年预算数", "2024年预算数"],
        ["基本支出", "520.3", "498"],
        ["项目支出", "80", "75.5"],
    ])
    meta = DocMeta(fiscal_year=2025, doc_types=["部门预算"])
    cands = table_amounts(document_from_text(text), meta)
    assert _one(cands, "基本支出", "budget_initial", 2025, 2025)["value_wan"] == 520.3
    assert _one(cands, "项目支出", "budget_initial", 2024, 2025)["value_wan"] == 75.5


def test_chart_data_with_year_labels():
    text = " 收、支决算总计\t\n2021年\t2022年\t1032.5\t1184.25\t\n\n系列 1\t\n2021年\t2022年\t10\t20\t\n"
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2022))
    assert _one(cands, "收支总计", "actual", 2021, 2022)["value_wan"] == 1032.5
    assert _one(cands, "收支总计", "actual", 2022, 2022)["value_wan"] == 1184.25
    assert len(cands) == 2  # an untitled series is not guessed


def test_prose_with_numbers_is_no_table_row():
    text = ("2023年我局项目支出按功能科目分，主要用于一般行政管理事务 102.40\n\n万元、其他退役安置支出 140 万元。\n"
            "全年预算数 全年执行数 执行率\n")
    assert table_amounts(document_from_text(text), DocMeta(fiscal_year=2023)) == []


@pytest.mark.parametrize("header, measure, year", [
    ("年初预算数", "budget_initial", None),
    ("全年预算数", "budget_final", None),
    ("调整预算数", "budget_final", None),
    ("全年执行数", "actual", None),
    ("部门决算数", "actual", None),
    ("2020年决算数", "actual", 2020),
    ("2021 年 预算数", "budget_initial", 2021),
    ("上年决算数", "actual", 2022),
])
def test_column_kind(header, measure, year):
    kind = column_kind(header, 2023)
    assert kind is not None and kind.kind == "money" and kind.measure == measure and kind.year == year


@pytest.mark.parametrize("header, kind", [("执行率", "pct"), ("分值", "skip"), ("得分", "skip"), ("编制数", "skip")])
def test_column_kind_non_money(header, kind):
    assert column_kind(header).kind == kind


def _project_table(title: str, budget: str, actual: str) -> str:
    return title + "\n" + _word([
        ["项目预算执行情况（万元）", "预算数：", budget, "执行数：", actual],
        ["", "其中：财政拨款", budget, "其中：财政拨款", actual],
    ]) + "\n绩效自评结论\n"


def test_project_named_as_first_mentioned():
    text = ("一、项目概况\n（居家养老上门服务支出项目）\n（残疾人康复补助支出项目）\n本项目预算 12 万元。\n\n"
            + _project_table("（居家养老上门服务经费项目）", "12", "11.5")
            + _project_table("（残疾人康复补助项目）", "30", "29"))
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2023))
    assert {c["scope"] for c in cands if c["value_wan"] in (12, 11.5)} == {"project:居家养老上门服务"}
    assert {c["scope"] for c in cands if c["value_wan"] in (30, 29)} == {"project:残疾人康复补助"}


def test_similar_projects_stay_apart():
    text = ("（城乡医疗救助区级补助资金项目）\n（城乡医疗救助市级补助资金项目）\n\n"
            + _project_table("（城乡医疗救助市级补助资金项目）", "73", "70")
            + _project_table("（城乡医疗救助区级补助资金项目）", "40", "38"))
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2022))
    assert {c["scope"] for c in cands if c["value_wan"] in (73, 70)} == {"project:城乡医疗救助市级补助资金"}
    assert {c["scope"] for c in cands if c["value_wan"] in (40, 38)} == {"project:城乡医疗救助区级补助资金"}


@pytest.mark.parametrize("extra", [0, 20, 60, 78, 80, 82, 90])
def test_pdf_row_label_read_after_the_header_however_long_the_text_above(extra):
    # the label of a numbers-only PDF row is the text after the header words; when the text above is long
    # enough for the rolling buffer to drop its start, the label must still start after the header words
    bureau = "某市民政局" + "救" * extra
    text = PROJECT_PDF.format(fy=2023, name="困难群众临时救助", bureau=bureau, a="320.5", b="350",
                              c="341.2", d="300.1", e="41.1", rate="97.49")
    cands = table_amounts(document_from_text(text), DocMeta(fiscal_year=2023))
    total = _one(cands, "年度资金总额", "actual")
    assert (total["value_wan"], total["pct"]) == (341.2, 97.49)
