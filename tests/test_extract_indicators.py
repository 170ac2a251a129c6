"""IndicatorLoader: rows of performance-indicator tables and indicators stated in prose.

The seed test scores the loader against the gold; the other tests build small documents of other
bureaus, years and projects (Word tables, flattened PDF tables, prose) and check that the changed
figures come out, so nothing is keyed on the samples.
"""

from __future__ import annotations

import json
import re

import pytest

from ingest.document import document_from_text, read_document
from ingest.loaders.base import DocMeta
from ingest.loaders.indicators import IndicatorLoader

from .conftest import seed_paths

MIN_PRECISION = 0.90
MIN_RECALL = 0.90
MIN_FIELD_ACCURACY = 0.9


def _meta_from_gold(gold: list[dict], doc: str) -> DocMeta:
    fact = next((g for g in gold if g.get("doc") == doc and g.get("bureau")), {})
    return DocMeta(bureau=fact.get("bureau"), fiscal_year=fact.get("fiscal_year"))


def extract(text: str, name: str = "frag.txt", **meta) -> list[dict]:
    doc = document_from_text(text, name)
    return [f.model_dump() for f in IndicatorLoader(doc, DocMeta(**meta)).extract_transform_load()]


def by_name(facts: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in facts}


# ------------------------------------------------------------------------------------------ the seeds


@pytest.fixture(scope="module")
def seed_report(scorer, gold_facts):
    extracted = []
    for path in seed_paths():
        doc = read_document(path)
        facts = IndicatorLoader(doc, _meta_from_gold(gold_facts, path.name)).extract_transform_load()
        extracted += [json.loads(f.model_dump_json()) for f in facts]
    gold = [g for g in gold_facts if g["kind"] in ("indicator", "none")]
    return scorer.score(gold, extracted)


def test_seed_precision_and_recall(seed_report):
    report, _, misses = seed_report
    ind = report["indicator"]
    assert ind["recall"] >= MIN_RECALL, misses
    assert ind["precision"] >= MIN_PRECISION


@pytest.mark.parametrize("field", ["level1", "level2", "target", "actual", "weight", "score"])
def test_seed_field_accuracy(seed_report, field):
    assert seed_report[0]["indicator"]["fields"][field] >= MIN_FIELD_ACCURACY


# ------------------------------------------------------------------------------------ Word tab tables

WORD_TABLE = """2023年部门预算项目绩效目标自评
（社区养老服务补贴支出项目）
\t主管部门及代码
\t{bureau}

\t年度绩效指标
完成情况
\t一级指标
\t二级指标
\t三级指标
\t预 期
指标值
\t实际完成指标值
\t分值
\t得分

\t
\t产出指标
\t数量指标
\t{first_name}
\t≥{n1}人
\t{n1b}人
\t20
\t19.5

\t
\t
\t时效指标
\t补贴发放及时率
\t=100%
\t98%
\t10
\t8

\t
\t效益指标
\t社会效益
指标
\t老年人生活质量
\t提高
\t明显提高
\t30
\t30

\t
\t总  分
\t100
\t{total}
"""


@pytest.mark.parametrize("n1,n1b,total", [("3000", "3125", "96.5"), ("120", "118", "88")])
def test_word_table_of_another_department(n1, n1b, total):
    text = WORD_TABLE.format(bureau="某某市民政局", first_name="享受补贴老年人数", n1=n1, n1b=n1b, total=total)
    facts = by_name(extract(text))
    row = facts["享受补贴老年人数"]
    assert row["scope"] == "社区养老服务补贴"
    assert (row["level1"], row["level2"]) == ("产出指标", "数量指标")
    assert (row["target"], row["actual"]) == (f"≥{n1}人", f"{n1b}人")
    assert (row["weight"], row["score"]) == (20, 19.5)
    # merged cells carry level1 down; a cell continued on the next line is joined
    assert facts["补贴发放及时率"]["level1"] == "产出指标"
    assert facts["补贴发放及时率"]["actual"] == "98%"
    assert facts["老年人生活质量"]["level2"] == "社会效益指标"
    assert len(facts) == 3


def test_word_table_rows_reordered():
    text = WORD_TABLE.format(bureau="某县人力资源和社会保障局", first_name="职业技能培训人数", n1="500",
                             n1b="512", total="90")
    blocks = text.split("\n\n")
    # swap the two 产出 rows: the 时效 row now comes first and carries its own level1
    i = next(k for k, b in enumerate(blocks) if "职业技能培训人数" in b)
    blocks[i], blocks[i + 1] = blocks[i + 1].replace("\t\n\t\n\t时效", "\t\n\t产出指标\n\t时效"), \
        blocks[i].replace("\t产出指标\n", "\t\n")
    facts = by_name(extract("\n\n".join(blocks)))
    assert facts["补贴发放及时率"]["level1"] == "产出指标"
    assert facts["职业技能培训人数"]["level2"] == "数量指标"
    assert facts["职业技能培训人数"]["actual"] == "512人"


# ------------------------------------------------------------------------------ flattened PDF tables

PDF_DEPARTMENT = """{year}年部门整体支出绩效自评表
一级指标 权重 二级指标 三级指标
年度指
标值
全年
完成值
自评
得分
偏差及
原因分析
投入管理
指 标
30
预算编审管理（3） 编审合规性 100% 100% 3
预算执行管理（{w2}） 预算完成率 100% {rate}% {s2} 部分资金
未列入预算
产出指标 25
数量指标（6）
家庭医生签约人数 {target}万人 {actual}万人 3
公立医院数 12家 12家 3
时效指标（5） 资金拨付及时率 100% 100% 5
总 分 100 {total}
注：本表为示例。
"""


@pytest.mark.parametrize("year,rate,target,actual,total", [
    (2022, "99.5", "30", "31.2", "97"), (2024, "87.25", "8", "7.9", "91.5"),
])
def test_pdf_department_table(year, rate, target, actual, total):
    text = PDF_DEPARTMENT.format(year=year, w2=4, rate=rate, s2=3, target=target, actual=actual, total=total)
    facts = by_name(extract(text))
    assert facts["预算完成率"]["actual"] == f"{rate}%"
    assert facts["预算完成率"]["level2"] == "预算执行管理"
    assert facts["预算完成率"]["weight"] == 4  # a 二级 label with one row lends its weight
    row = facts["家庭医生签约人数"]
    assert row["scope"] == "部门整体"
    assert (row["level1"], row["level2"]) == ("产出指标", "数量指标")
    assert (row["target"], row["actual"], row["score"]) == (f"{target}万人", f"{actual}万人", 3)
    assert row["weight"] is None  # 数量指标（6） covers two rows: no per-row weight
    assert facts["资金拨付及时率"]["weight"] == 5
    assert "未列入预算" not in "".join(f["level2"] or "" for f in facts.values())
    assert len(facts) == 5


PDF_PROJECT = """2023年项目支出绩效自评表
单位：万元
项目支出名称
{project}
主管部门 {bureau} 实施单位 {bureau}
一级指标 二级指标 三级指标
年度
指标值
实际
完成值
分值 得分
偏差原因
产出指标
(50分)
数量指标
（20）
{name_a}
{name_b}
{t} {a} 20 {s}
时效指标
（10） 按时完成 按时完成 按时完成 10 10
效益指标
(40分)
社会效
益指标
（20）
{long1}
{long2}
{long1}
{long2}
明显{long1}
{long2}
20 20
服务对象
满意度指
标（10）
受益群众满意度 满意度达 {sat}% ≥{sat}% 10 10
总分 100 {total}
"""


def test_pdf_project_table_with_broken_cells():
    text = PDF_PROJECT.format(project="城乡居民健康体检补助", bureau="某某县卫生健康局", name_a="完成健康体检",
                              name_b="的老年人数", t="5000", a="5210", s="19", long1="提高老年人健康",
                              long2="管理水平", sat="92", total="97")
    facts = by_name(extract(text))
    row = facts["完成健康体检的老年人数"]
    assert row["scope"] == "城乡居民健康体检补助"
    assert (row["target"], row["actual"], row["weight"], row["score"]) == ("5000", "5210", 20, 19)
    assert facts["按时完成"]["level2"] == "时效指标"
    social = facts["提高老年人健康管理水平"]
    assert social["level2"] == "社会效益指标" and social["level1"] == "效益指标"
    assert social["target"] == "提高老年人健康管理水平"
    assert social["actual"] == "明显提高老年人健康管理水平"
    sat = facts["受益群众满意度"]
    assert (sat["target"], sat["actual"]) == ("满意度达92%", "≥92%")
    assert sat["level2"] == "服务对象满意度指标"


def test_pdf_rows_rebroken_elsewhere():
    """The same row broken after other characters still gives the same cells."""
    base = dict(project="农村饮水安全维修", bureau="某县水利局", t="≤15天", a="12天", s="18", long1="保障群众饮水",
                long2="安全", sat="95", total="96")
    one = by_name(extract(PDF_PROJECT.format(name_a="维修工程完工", name_b="时限", **base)))
    two = by_name(extract(PDF_PROJECT.format(name_a="维修工", name_b="程完工时限", **base)))
    for facts in (one, two):
        row = facts["维修工程完工时限"]
        assert (row["target"], row["actual"], row["score"]) == ("≤15天", "12天", 18)


# --------------------------------------------------------------------------------------------- prose

PROSE = """三、绩效指标完成情况分析
1、{project}：
（1）、产出指标
数量指标：{year}年开展巡回义诊{n}次，覆盖乡镇{m}个。
质量指标：义诊服务规范。
成本指标：项目成本控制在{cost}万元以内。
（2）效益指标：
可持续影响：群众健康意识提升率{rate}%。
（3）满意度指标：服务对象满意度{sat}%。
四、存在的问题
1、宣传不足：群众知晓率{rate}%。
"""


def test_prose_indicator_statements():
    text = PROSE.format(project="巡回医疗服务经费", year=2024, n=36, m=12, cost="8.5", rate="85.5", sat=97)
    facts = extract(text, fiscal_year=2024)
    named = by_name(facts)
    assert named["开展巡回义诊"]["actual"] == "36次"
    assert named["开展巡回义诊"]["scope"] == "巡回医疗服务经费"
    assert (named["开展巡回义诊"]["level1"], named["开展巡回义诊"]["level2"]) == ("产出指标", "数量指标")
    assert named["覆盖乡镇"]["actual"] == "12个"
    assert named["项目成本控制"]["actual"] == "8.5万元以内"
    assert named["群众健康意识提升率"]["level2"] == "可持续影响"
    assert named["服务对象满意度"]["level1"] == "满意度指标"
    assert named["服务对象满意度"]["actual"] == "97%"
    # a clause without a figure is no indicator; the section ends at the next heading
    assert len(facts) == 5
    assert all(f["target"] is None for f in facts)


SCORING = """四、部门整体预算绩效管理情况
（一）预算管理（{h1}分）
1. 目标制定：绩效目标完整。该项指标得{s1}分。
2. 执行进度：全年执行进度为{rate}%。根据公式计算该项指标得{s2}分。
（二）自评质量（10分）
组织专人复核，故此项得 {s3} 分。
五、综合评价指标分析
1、部门资金情况总分{w}分，得分{s}分。
2、产出及效益指标总分为90分，得分{p}分，主要情况如下：
(1)产出指标总分为50分，得分{q}分。
"""


def test_scoring_prose():
    text = SCORING.format(h1="27.5", s1=5, rate="93.1", s2="4.25", s3="9.5", w=20, s=18, p="86.5", q=48)
    facts = by_name(extract(text))
    assert facts["预算管理"]["score"] == 27.5
    assert facts["目标制定"]["score"] == 5 and facts["目标制定"]["level1"] == "预算管理"
    assert facts["执行进度"]["score"] == 4.25
    # a heading scored in its own body: its number was the weight
    assert (facts["自评质量"]["weight"], facts["自评质量"]["score"]) == (10, 9.5)
    assert (facts["部门资金情况"]["weight"], facts["部门资金情况"]["score"]) == (20, 18)
    assert facts["产出指标"]["level1"] == "产出及效益指标"
    assert (facts["产出指标"]["weight"], facts["产出指标"]["score"]) == (50, 48)
    assert all(f["scope"] == "部门整体" for f in facts.values())


# --------------------------------------------------------------------------------- a transformed seed


def test_seed_000_changed_figures_and_bureau():
    path = next(p for p in seed_paths() if p.name.startswith("000_"))
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"浏阳市医疗保障局", "醴陵市卫生健康局", text)
    text = text.replace("119万人 119.33万人 1.5", "121万人 120.08万人 1.25")
    text = text.replace("资金审批时效 ≤30天 ≤30天 2 2", "资金审批时效 ≤20天 ≤18天 2 1.5")
    text = text.replace("城乡困难居民医疗救助", "城乡困难居民临时救助")
    facts = extract(text, name="changed.txt")
    named = {(f["scope"], f["name"]): f for f in facts}
    row = named["部门整体", "城乡居民医疗保险参保人数"]
    assert (row["target"], row["actual"], row["score"]) == ("121万人", "120.08万人", 1.25)
    row = named["城乡困难居民临时救助", "资金审批时效"]
    assert (row["target"], row["actual"], row["weight"], row["score"]) == ("≤20天", "≤18天", 2, 1.5)
