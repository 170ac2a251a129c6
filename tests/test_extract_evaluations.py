"""EvaluationLoader: overall self-evaluation results of the department and of its projects.

Scored on the seeds against the gold, and on small documents of other bureaus written here.
"""

from __future__ import annotations

import json

import pytest

from ingest.document import document_from_text, read_document
from ingest.loaders.base import DocMeta
from ingest.loaders.evaluations import EvaluationLoader

from .conftest import seed_paths

MIN_PRECISION = 0.90
MIN_RECALL = 0.90
MIN_GRADE_ACCURACY = 0.9


def extract(text: str, **meta) -> list[dict]:
    doc = document_from_text(text, "frag.txt")
    return [f.model_dump() for f in EvaluationLoader(doc, DocMeta(**meta)).extract_transform_load()]


@pytest.fixture(scope="module")
def seed_report(scorer, gold_facts):
    extracted = []
    for path in seed_paths():
        doc = read_document(path)
        facts = EvaluationLoader(doc, DocMeta()).extract_transform_load()
        extracted += [json.loads(f.model_dump_json()) for f in facts]
    gold = [g for g in gold_facts if g["kind"] in ("evaluation", "none")]
    return scorer.score(gold, extracted)


def test_seed_precision_recall_and_grade(seed_report):
    report, _, misses = seed_report
    ev = report["evaluation"]
    assert ev["recall"] >= MIN_RECALL, misses
    assert ev["precision"] >= MIN_PRECISION
    assert ev["fields"]["grade"] >= MIN_GRADE_ACCURACY


@pytest.mark.parametrize("score,grade", [("87.5", "良好"), ("93", "优秀"), ("71", "合格")])
def test_department_result_in_prose(score, grade):
    text = (f"五、评价结论\n根据《2023年部门整体支出绩效自评表》综合评分，部门整体支出绩效自评得分 {score} 分，"
            f"等级为“{grade}”。\n")
    facts = extract(text, bureau="某某市卫生健康委员会", fiscal_year=2023)
    assert [(f["scope"], f["score"], f["grade"]) for f in facts] == [("部门整体", float(score), grade)]


def test_project_reports_and_restatements():
    text = """某某县民政局2024年部门整体支出绩效评价报告
一、评价结论
我局对整体支出情况开展自评，自评总得分92.5分，评价等级为优秀。
专项项目自评得分为94.25分，根据比例该项指标得37.7分。
二、其他说明
一是问题整改。此项自评得2分。
2024年项目支出绩效自评报告
（困难群众救助支出项目）
五、评价结论及建议
通过项目实施，保障了困难群众基本生活。该项目自评得96分。
2024年项目支出绩效自评报告
（殡葬服务补助支出项目）
五、评价结论及建议
该项目自评得89.5分，自评结果为良好。
部门整体支出绩效自评表
\t一级指标
\t二级指标
\t三级指标
\t指标值
\t完成值
\t分值
\t得分

\t
\t产出指标
\t数量指标
\t救助人数
\t≥500
\t530
\t50
\t50

\t综合评定等级
\t优秀
\t总  分
\t100
\t92.5
"""
    facts = extract(text)
    got = {(f["scope"], f["score"]): f["grade"] for f in facts}
    assert got == {
        ("部门整体", 92.5): "优秀",
        ("专项项目", 94.25): None,
        ("困难群众救助", 96.0): None,
        ("殡葬服务补助", 89.5): "良好",
    }
    # the 总分 row restates the department's result: one fact, at its first line
    dept = next(f for f in facts if f["scope"] == "部门整体")
    assert dept["line"] == 3


def test_result_list_and_table_total():
    text = """三、综合评价结论：
1、老年人助餐补贴：82 分
2、社区养老服务站运营经费：91.5 分
四、绩效目标完成情况分析
1、资金到位：100 分的保障
项目支出绩效自评表
项目名称 社区养老服务站运营经费
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 服务站数量 10个 10个 50 50
总分 100 91.5
项目支出绩效自评表
项目名称 适老化改造补助
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 改造户数 200户 180户 50 45
总分 100 86
"""
    facts = extract(text)
    got = sorted((f["scope"], f["score"]) for f in facts)
    assert got == [("社区养老服务站运营经费", 91.5), ("老年人助餐补贴", 82.0), ("适老化改造补助", 86.0)]
