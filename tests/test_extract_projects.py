"""ProjectLoader: one fact per project (项目支出绩效自评), on the seeds and on texts it has never seen."""

from __future__ import annotations

import re

import pytest

from ingest.document import document_from_text, read_document
from ingest.loaders.base import DocMeta
from ingest.loaders.projects import ProjectLoader

from .conftest import RAW, seed_paths

MIN_PRECISION = 0.90
MIN_RECALL = 0.90
MIN_FIELD_ACCURACY = 0.9


def run(text: str, name: str = "fragment.txt", meta: DocMeta | None = None) -> list[dict]:
    loader = ProjectLoader(document_from_text(text, name), meta or DocMeta())
    return [f.model_dump() for f in loader.extract_transform_load()]


def plain(x: float) -> str:
    """A number as a document writes it (no exponent, no trailing zeros)."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def wrap(paragraphs: list[str], width: int) -> str:
    """Hard-wrap paragraphs every ``width`` characters, as PDF text does (numbers and words get split)."""
    out = []
    for p in paragraphs:
        out += [p[i:i + width] for i in range(0, len(p), width)]
    return "\n".join(out) + "\n"


def by_name(facts: list[dict]) -> dict[str, dict]:
    return {f["project"]: f for f in facts}


# ----------------------------------------------------------------------------------------- the seeds


@pytest.fixture(scope="module")
def seed_projects():
    facts = []
    for path in seed_paths():
        loader = ProjectLoader(read_document(path), DocMeta())
        facts += [f.model_dump() for f in loader.extract_transform_load()]
    return facts


def test_seeds_reach_the_target(seed_projects, scorer, gold_facts):
    gold = [g for g in gold_facts if g["kind"] in ("project", "none")]
    report, _, misses = scorer.score(gold, seed_projects)
    kind = report["project"]
    assert kind["precision"] >= MIN_PRECISION, kind
    assert kind["recall"] >= MIN_RECALL, (kind, misses)
    for field, acc in kind["fields"].items():
        assert acc >= MIN_FIELD_ACCURACY, (field, kind)


def test_seed_facts_point_at_a_line_holding_one_of_their_numbers(seed_projects):
    docs = {p.name: read_document(p) for p in seed_paths()}
    for f in seed_projects:
        nums = {f"{v:g}" for k, v in f.items() if k in ("budget_initial", "budget_final", "actual",
                                                         "execution_rate", "score") and v is not None}
        line = docs[f["doc"]].clean[f["line"] - 1]
        assert any(n in line.replace(" ", "") for n in nums), (f["line"], line, nums)


# --------------------------------------------------------------------------- the national 自评表 (PDF text)

NATIONAL_TABLE = """附件3
{year}年项目支出绩效自评表
单位：{unit}
项目名称 {name}
主管部门 {bureau} 实施单位 {bureau}
{header}
年度资金总额 {ini} {fin} {act} 10 {rate}% 9.8
其中：当年财政拨款 {ini} {fin} {act}
上年结转资金 0 0 0
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 服务人数 ≥1000人 1200人 20 20
总分 100 {score}
"""

HEADERS = {
    "one line": "项目资金（{unit}） 年初预算数 全年预算数 全年执行数 分值 执行率 得分",
    "broken": "项目资金\n（{unit}）\n年初\n预算数\n全年预\n算数\n全年\n执行数\n分值 执行率\n(%)\n得\n分",
}


@pytest.mark.parametrize("layout", HEADERS)
@pytest.mark.parametrize("unit,factor", [("万元", 1.0), ("元", 1e-4)])
def test_national_table_of_another_department(layout, unit, factor):
    ini, fin, act = 320.5, 350.0, 342.1
    text = NATIONAL_TABLE.format(
        year=2023, unit=unit, name="公共卫生服务补助资金", bureau="株洲市卫生健康委员会",
        header=HEADERS[layout].format(unit=unit),
        ini=plain(ini / factor), fin=plain(fin / factor), act=plain(act / factor), rate="97.74", score="96.5")
    facts = run(text)
    assert len(facts) == 1, facts
    f = facts[0]
    assert f["project"] == "公共卫生服务补助资金"
    assert (f["budget_initial"], f["budget_final"], f["actual"]) == pytest.approx((ini, fin, act))
    assert f["execution_rate"] == 97.74 and f["score"] == 96.5 and f["max_score"] == 100
    lines = text.splitlines()
    assert f["line"] == lines.index(next(x for x in lines if x.startswith("年度资金总额"))) + 1


def test_two_tables_in_one_file_each_keep_their_own_figures():
    one = NATIONAL_TABLE.format(year=2022, unit="万元", name="城乡低保资金", bureau="某县民政局",
                                header=HEADERS["one line"].format(unit="万元"), ini=80, fin=90, act=72,
                                rate="80", score="85")
    two = NATIONAL_TABLE.format(year=2022, unit="万元", name="特困人员救助供养资金", bureau="某县民政局",
                                header=HEADERS["broken"].format(unit="万元"), ini=40, fin=40, act=40,
                                rate="100", score="98")
    facts = by_name(run(two + "\n" + one))
    assert set(facts) == {"城乡低保资金", "特困人员救助供养资金"}
    assert (facts["城乡低保资金"]["actual"], facts["城乡低保资金"]["score"]) == (72, 85)
    assert (facts["特困人员救助供养资金"]["actual"], facts["特困人员救助供养资金"]["score"]) == (40, 98)


def test_word_table_in_yuan():
    text = ("2022年项目支出绩效自评表\n单位：元\n\t项目名称\n\t农村低保资金\n\n\t主管部门\n\t某县民政局\n\t实施单位\n"
            "\t某县民政局\n\n\t项目资金（元）\n\t年初预算数\n\t全年预算数\n\t全年执行数\n\t分值\n\t执行率\n\t得分\n\n"
            "\t年度资金总额\n\t1200000\n\t1500000\n\t1450000\n\t10\n\t96.67%\n\t9.5\n\n"
            "\t其中：当年财政拨款\n\t1200000\n\t1500000\n\t1450000\n\n\t总分\n\t100\n\t93\n\n")
    (f,) = run(text)
    assert f["project"] == "农村低保资金"
    assert (f["budget_initial"], f["budget_final"], f["actual"]) == (120, 150, 145)
    assert (f["execution_rate"], f["score"]) == (96.67, 93)


def test_seed_table_with_other_bureau_year_and_numbers_rewrapped():
    """Seed 000's first 自评表 with the bureau, year and money changed and every blank line dropped."""
    src = (RAW / "000_8877c229f2ff9c4f.txt").read_text(encoding="utf-8")
    start = src.index("2021年项目支出绩效自评表")
    end = src.index("总分", start)
    part = src[start: src.index("\n", end)]
    assert "7510.02" in part and "7657.81" in part
    part = (part.replace("浏阳市医疗保障局", "醴陵市人力资源和社会保障局").replace("2021", "2024")
            .replace("城乡困难居民医疗救助", "就业补助资金").replace("7510.02", "6120.5")
            .replace("7657.81", "5998.09").replace("101.97%", "98.00%").replace("总分 100 99", "总分 100 91"))
    part = "\n".join(x for x in part.splitlines() if x.strip())
    (f,) = run(part)
    assert f["project"] == "就业补助资金"
    assert (f["budget_initial"], f["budget_final"], f["actual"]) == (6120.5, 6120.5, 5998.09)
    assert (f["execution_rate"], f["score"]) == (98.0, 91)


# ------------------------------------------------------------------------------- prose: per-project reports

REPORT = """{year}年项目支出绩效自评报告
（{name}支出项目）
一、项目概况
（一）项目资金申报及批复情况
本项目资金预算为{budget}，截至{year}年底，财政实际拨付资金{budget}，资金拨付率为100%。
2. 资金使用。该项目资金全年共支出{spent_all}，当年内预算支出{spent}，预算执行率为{rate}%。
五、评价结论
通过项目的实施，有效保障了工作开展。该项目自评得{score}分。
"""


def test_report_in_yuan_picks_the_spending_that_agrees_with_the_rate():
    text = REPORT.format(year=2023, name="城乡低保资金发放", budget="2500000元", spent_all="2500000元",
                         spent="2360000元", rate="94.4", score="92")
    (f,) = run(text)
    assert f["project"] == "城乡低保资金发放"
    assert (f["budget_final"], f["actual"], f["execution_rate"], f["score"]) == (250, 236, 94.4, 92)


def test_report_and_its_table_merge_into_one_fact():
    report = REPORT.format(year=2022, name="养老机构运营补贴", budget="30万元", spent_all="30万元",
                           spent="27万元", rate="90", score="94.5")
    table = ("2022年部门预算项目绩效目标自评\n（养老机构运营补贴经费项目）\n\t主管部门及代码\n\t123\n\n"
             "\t项目预算执行情况（万元）\n\t预算数：\n\t30\n\t执行数：\n\t27\n\n")
    facts = run(report + table)
    assert len(facts) == 1, facts
    assert (facts[0]["budget_initial"], facts[0]["actual"], facts[0]["score"]) == (30, 27, 94.5)


def test_two_reports_on_one_fund_with_different_money_stay_apart():
    tpl = ("某区{year}年医疗救助补助资金\n部门绩效评价报告\n一、基本情况\n"
           "{year}年下达医疗救助补助资金{money}万元，本年支出{money}万元，本年结余0万元。\n"
           "1、资金管理：预算执行率100%，资金按规定使用。\n三、综合评价情况\n(一)评价得分：医疗救助{score}分\n")
    facts = run(tpl.format(year=2023, money=112, score=88) + tpl.format(year=2023, money=64.5, score=91))
    assert sorted((f["actual"], f["score"]) for f in facts) == [(64.5, 91), (112, 88)]


# -------------------------------------------------------------------------------- prose: numbered lists


def test_numbered_lists_of_another_department():
    text = """三、综合评价结论：
1、养老服务补贴资金：88 分
2、残疾人两项补贴经费：92 分
四、绩效目标完成情况分析
1、养老服务补贴资金：
（1）、项目资金到位情况分析：市级下达2023年养老服务补贴资金120万元。
（2）、项目资金执行情况分析：养老服务补贴资金支出96万元，预算执行率80%。
2、残疾人两项补贴经费：
（1）、项目资金到位情况分析：省级下达残疾人两项补贴经费60万元。
（2）、项目资金执行情况分析：支出60万元。预算执行率100%。
五、偏离绩效目标的原因
1、养老服务补贴资金：提高预算准确性。
"""
    facts = by_name(run(text))
    assert set(facts) == {"养老服务补贴资金", "残疾人两项补贴经费"}
    a, b = facts["养老服务补贴资金"], facts["残疾人两项补贴经费"]
    assert (a["budget_final"], a["actual"], a["execution_rate"], a["score"]) == (120, 96, 80, 88)
    assert (b["budget_final"], b["actual"], b["execution_rate"], b["score"]) == (60, 60, 100, 92)


@pytest.mark.parametrize("width", [17, 22, 26, 31])
def test_pdf_wrapped_list_is_read_wherever_the_lines_break(width):
    filler = ("根据财政部门关于开展项目支出绩效自评工作的通知要求，我单位高度重视，成立绩效评价工作小组，各科室共同参与，"
              "明确岗位职责和分工任务，在预算管理一体化系统中填报项目基本情况、项目资金执行情况和项目自评指标，"
              "认真组织开展专项资金绩效自评工作，现将自评情况报告如下。")
    paragraphs = [filler] * 5 + [
        "一、本部门项目绩效目标情况",
        "1、农村公路养护资金：区级下达2024年农村公路养护资金263.75万元，用于县乡道路日常养护和小修保养工作，确保道路通畅。",
        "2、农村客运补贴资金：2024年省级下达农村客运补贴资金48.2万元，用于农村客运班线运营补贴。",
        "二、综合评价结论：",
        "1、农村公路养护资金：96分",
        "2、农村客运补贴资金：83.5分",
        "三、资金执行情况",
        "1、农村公路养护资金：2024年区级农村公路养护资金支出250.56万元，预算执行率95%。",
        "2、农村客运补贴资金：2024年农村客运补贴资金到账40.97万元。预算执行率85%。",
    ] + [filler] * 3
    facts = by_name(run(wrap(paragraphs, width)))
    assert set(facts) == {"农村公路养护资金", "农村客运补贴资金"}, facts
    a, b = facts["农村公路养护资金"], facts["农村客运补贴资金"]
    assert (a["budget_final"], a["actual"], a["execution_rate"], a["score"]) == (263.75, 250.56, 95, 96)
    assert (b["budget_final"], b["actual"], b["execution_rate"], b["score"]) == (48.2, 40.97, 85, 83.5)


# ------------------------------------------------------------------------------------------- negatives


def test_department_level_report_and_money_categories_are_not_projects():
    text = """天心区部门整体支出绩效自评报告
一、部门基本情况
1、三公经费：2022年支出5万元，预算执行率50%。
2、基本支出：支出100万元，完成预算的98%。
3、机关运行经费：支出12万元，预算执行率96%。
部门整体支出绩效自评得分95分。
部门整体支出绩效自评表（2022年度）
总分 100 95
"""
    assert run(text) == []


def test_fragment_without_projects_yields_nothing():
    assert run("单位：万元\n一般公共预算财政拨款收入 100 120 118\n基本支出 80 90 88\n") == []


def test_rate_that_disagrees_with_the_money_is_a_finding_not_a_change():
    text = NATIONAL_TABLE.format(year=2022, unit="万元", name="医疗救助资金", bureau="某市医疗保障局",
                                 header=HEADERS["one line"].format(unit="万元"), ini=100, fin=100, act=50,
                                 rate="95", score="80")
    loader = ProjectLoader(document_from_text(text), DocMeta())
    (f,) = loader.extract_transform_load()
    assert (f.actual, f.execution_rate) == (50, 95)
    assert [x.rule for x in loader.findings] == ["project_rate"]


def test_meta_is_carried_and_year_defaults_to_the_fiscal_year():
    text = REPORT.format(year=2021, name="医保政策宣传", budget="8万元", spent_all="8万元", spent="8万元",
                         rate="100", score="99")
    (f,) = run(text, meta=DocMeta(bureau="长沙市岳麓区民政局", fiscal_year=2021))
    assert (f["bureau"], f["fiscal_year"], f["year"]) == ("长沙市岳麓区民政局", 2021, 2021)
    assert re.search(r"\d", f["snippet"])
