"""Amounts stated in running text: scored on the seeds, and varied texts to prove nothing is keyed on them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from ingest.document import document_from_text, read_document
from ingest.loaders.amounts import AmountLoader
from ingest.loaders.amounts_prose import prose_amounts
from ingest.loaders.base import DocMeta
from ingest.vocab import classify_item, measure_of, scope_of

ROOT = Path(__file__).parents[1]
SHARED = ROOT / ".." / "shared"
GOLD = sorted((SHARED / "gold").glob("*.jsonl"))

pytestmark = pytest.mark.skipif(not GOLD, reason="../shared/gold not available")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_facts", SHARED / "tools" / "score_facts.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _table_lines(doc):
    return {c.line for t in doc.tables for r in t.rows if len(r.cells) > 1 for c in r.cells}


def _facts(doc, meta, cands):
    loader = AmountLoader(doc, meta)
    return [f.model_dump() for f in loader.validate(loader.transform(cands))]


def test_seed_prose_amounts_score():
    """Recall and precision of the prose amounts against the gold amounts outside table rows."""
    gold, extracted = [], []
    for path in GOLD:
        facts = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if '"kind": "amount"' in x]
        if not facts:
            continue
        doc = read_document(ROOT / "data" / "raw" / facts[0]["doc"])
        meta = DocMeta(bureau=facts[0]["bureau"], fiscal_year=facts[0]["fiscal_year"])
        rows = _table_lines(doc)
        gold += [f for f in facts if f["line"] not in rows]
        extracted += [f for f in _facts(doc, meta, prose_amounts(doc, meta)) if f["line"] not in rows]
    report, overall, _ = _scorer().score(gold, extracted)
    amount = report["amount"]
    assert amount["recall"] >= 0.90, amount
    assert amount["precision"] >= 0.90, amount
    assert all(v >= 0.9 for v in amount["fields"].values()), amount["fields"]


# ------------------------------------------------------------------------------------------ variations

def _run(text: str, year: int | None = 2024) -> list[dict]:
    doc = document_from_text(text, "variant.txt")
    meta = DocMeta(bureau="某市民政局", fiscal_year=year)
    return _facts(doc, meta, prose_amounts(doc, meta))


def _find(facts, item, measure=None, value=None):
    return [f for f in facts if f["item"] == item and (measure is None or f["measure"] == measure)
            and (value is None or abs(f["value_wan"] - value) < 1e-6)]


def test_income_paragraph_other_bureau_numbers_changed():
    facts = _run(
        "一、收入决算情况说明\n"
        "本部门2024年度收入总计1,234.5万元，其中年初结转和结余12.3万元，较2023年减少4.5万元，下降26.79%；"
        "本年收入合计1222.2万元，较2023年增加100万元，增长8.91%。\n"
        "本年收入的具体构成为：财政拨款收入1200万元，占98.18%；其他收入22.2万元，占1.82%。\n"
    )
    assert _find(facts, "收入总计", "actual", 1234.5)
    carry = _find(facts, "年初结转和结余", value=12.3)[0]
    assert (carry["pct"], carry["pct_basis"]) == (-26.79, "change")
    assert not _find(facts, "年初结转和结余", value=4.5)  # a change amount is no figure of its own
    assert _find(facts, "本年收入合计", value=1222.2)[0]["pct"] == 8.91
    share = _find(facts, "其他收入", value=22.2)[0]
    assert (share["pct"], share["pct_basis"], share["category"]) == (1.82, "share", "source")
    assert all(f["year"] == 2024 for f in facts)


def test_fiscal_function_classes_budget_and_actual():
    facts = _run(
        "三、财政拨款支出决算情况说明\n"
        "本部门2024年度财政拨款本年支出年初预算数为500万元，决算数为450万元，完成年初预算的90%。其中：\n"
        "（一）卫生健康支出年初预算数为300万元，决算数为310.55万元，完成年初预算的103.52%。\n"
        "1. 社会保障和就业（类）民政管理事务（款）行政运行（项）：支出决算数为88.8万元，完成预算100%。\n"
    )
    assert _find(facts, "本年支出合计", "budget_initial", 500)[0]["scope"] == "fiscal"
    actual = _find(facts, "本年支出合计", "actual", 450)[0]
    assert (actual["pct"], actual["pct_basis"]) == (90, "completion")
    assert _find(facts, "卫生健康支出", "budget_initial", 300)
    health = _find(facts, "卫生健康支出", "actual", 310.55)[0]
    assert health["category"] == "function" and health["scope"] == "fiscal"
    path = _find(facts, "社会保障和就业支出/民政管理事务/行政运行", "actual", 88.8)
    assert path and path[0]["pct"] == 100


def test_three_public_in_yuan_and_rewrapped_pdf_lines():
    # PDF-style hard wrap at other places, and the amounts given in 元
    body = ("2024年我委“三公”经费预算为45000元，其中公务接待费30000元、公务用车购置及运行费15000元、"
            "因公出国（境）费0元。2024年我委“三公”经费实际支出38000.5元，其中公务接待费23000.5元、"
            "公务用车购置及运行费15000元、因公出国（境）费0元。")
    filler = "这是一段用于形成排版宽度的说明文字，内容与数字无关，只为让每一行的宽度大致相同而已。"
    width = 30
    lines = [filler[i:i + width] for i in range(0, len(filler), width)] * 8
    lines += [body[i:i + width] for i in range(0, len(body), width)]
    facts = _run("\n\n".join(lines) + "\n")
    total = _find(facts, "三公经费", "budget_initial", 4.5)
    assert total and total[0]["scope"] == "fiscal" and total[0]["category"] == "three_public"
    assert _find(facts, "公务接待费", "budget_initial", 3.0)
    assert _find(facts, "公务用车购置及运行维护费", "budget_initial", 1.5)
    assert _find(facts, "三公经费", "actual", 3.80005)
    assert _find(facts, "公务接待费", "actual", 2.30005)


def test_general_public_basic_spending_and_prior_year_figure():
    facts = _run(
        "四、一般公共预算财政拨款基本支出决算情况说明\n"
        "本部门2024年度一般公共预算财政拨款基本支出600万元，其中：\n"
        "（一）工资福利支出500万元，较2023年增加20万元，增长4.17%。\n"
        "（二）商品和服务支出100万元，较2023年减少10万元，下降9.09%。\n"
        "2023年“三公”经费实际支出2.5万元。\n"
    )
    basic = _find(facts, "基本支出", "actual", 600)[0]
    assert basic["scope"] == "general_public"
    wages = _find(facts, "工资福利支出", value=500)[0]
    assert (wages["scope"], wages["pct"], wages["category"]) == ("general_public", 4.17, "economic")
    assert _find(facts, "商品和服务支出", value=100)[0]["pct"] == -9.09
    assert not _find(facts, "工资福利支出", value=20)
    prior = _find(facts, "三公经费", "actual", 2.5)[0]
    assert prior["year"] == 2023


def test_project_report_in_prose():
    facts = _run(
        "2024年项目支出绩效自评报告\n"
        "（养老服务补贴支出项目）\n"
        "二、项目资金申报及使用情况\n"
        "1. 资金计划及到位情况。本项目资金预算为80万元，截至2024年底，市财政实际拨付资金80万元。\n"
        "2. 资金使用。本项目资金全年共支出72万元，支出进度为90%。\n"
    )
    budget = _find(facts, "年度资金总额", "budget_final", 80)
    assert len(budget) == 1 and budget[0]["scope"] == "project:养老服务补贴"
    spent = _find(facts, "年度资金总额", "actual", 72)[0]
    assert (spent["pct"], spent["pct_basis"]) == (90, "completion")


@pytest.mark.parametrize("approx", ["以上", "以下", "左右", "余", " 多"])
def test_a_threshold_or_an_approximate_sum_is_not_a_figure(approx):
    facts = _run(
        "2024年项目支出绩效自评报告\n"
        "（养老服务补贴支出项目）\n"
        f"二、项目管理情况。我局严格按照项目经费使用范围，对于超过3万元{approx}的支出，由局务会议集体研究决定后执行。"
        "本项目资金全年共支出72万元。\n"
    )
    assert _find(facts, "年度资金总额", value=3) == []
    assert len(_find(facts, "年度资金总额", "actual", 72)) == 1


def test_beneficiary_money_is_not_the_bureaus_budget():
    facts = _run("全年发放临时救助资金1326.28万元，追回医保基金88万元，参保缴费金额757.18万元。\n")
    assert facts == []


def test_fragment_without_year_keeps_null_year():
    facts = _run("机关运行经费支出56.15万元，较上年增加12.05万元，增长27.32%。\n", year=None)
    f = _find(facts, "机关运行经费", "actual", 56.15)[0]
    assert f["year"] is None and f["category"] == "operating" and f["pct"] == 27.32


def test_repeated_statement_merged_conflicting_kept():
    facts = _run(
        "基本支出700万元，占总支出的70%。\n"
        "另基本支出700万元，占本年支出的70.00%。\n"
        "基本支出合计为701万元。\n"
    )
    basic = _find(facts, "基本支出", "actual")
    assert sorted(f["value_wan"] for f in basic) == [700, 701]
    assert min(f["line"] for f in basic) == 1


def test_validate_reports_sum_mismatch():
    doc = document_from_text("本年支出合计100万元，其中：基本支出60万元，项目支出50万元。\n", "v.txt")
    loader = AmountLoader(doc, DocMeta(fiscal_year=2024))
    facts = loader.extract_transform_load()
    assert len(facts) == 3
    assert any(f.rule.startswith("sum:") for f in loader.findings)


# ------------------------------------------------------------------------------------------------ vocab

@pytest.mark.parametrize("label, expected", [
    ("工资福利支出", ("工资福利支出", "economic")),
    ("人员经费", ("人员经费", "nature")),
    ("政府性基金预算财政拨款收入", ("政府性基金预算财政拨款收入", "source")),
    ("年末结转和结余", ("年末结转和结余", "total")),
    ("因公出国(境)费用", ("因公出国（境）费", "three_public")),
    ("机关运行经费", ("机关运行经费", "operating")),
    ("政府采购服务支出", ("政府采购服务支出", "procurement")),
    ("固定资产原值", ("固定资产原值", "asset")),
    ("社会保障和就业（类）社会福利（款）老年福利（项）", ("社会保障和就业支出/社会福利/老年福利", "function")),
])
def test_classify_item(label, expected):
    assert classify_item(label) == expected


def test_scope_and_measure_words():
    assert scope_of("政府性基金预算财政拨款支出") == "gov_fund"
    assert scope_of("一般公共预算财政拨款基本支出") == "general_public"
    assert scope_of("财政拨款“三公”经费") == "fiscal"
    assert scope_of("本年收入合计") == "all"
    assert measure_of("全年预算数") == "budget_final"
    assert measure_of("年初预算数") == "budget_initial"
    assert measure_of("决算数") == "actual"
    assert measure_of("一般公共预算财政拨款收入") is None


@pytest.mark.parametrize("rate", ["控制率为 87.5%", "执行率达 87.5%", "预算完成率 87.5%"])
def test_a_rate_in_a_later_sentence_goes_to_the_figure_it_names(rate):
    from ingest.document import document_from_text
    from ingest.extract import extract_document

    text = ("2019年某县民政局“三公”经费预算为 8 万元。2019年我局“三公”经费实际支出 7 万元，其中公务接待费 7 万元。"
            f"支出少于年初预算主要是因为厉行节约。“三公”经费{rate}。\n")
    facts = [f for f in extract_document(document_from_text(text, "rate.txt")).facts if f.kind == "amount"]
    actual = [f for f in facts if f.item == "三公经费" and f.measure == "actual"]
    assert len(actual) == 1 and actual[0].pct == 87.5 and actual[0].pct_basis == "completion"
    # the rate goes to that one figure only
    assert all(f.pct is None for f in facts if f is not actual[0])


@pytest.mark.parametrize("word,sign", [("降低", -1), ("减少", -1), ("增长", 1), ("上升", 1)])
@pytest.mark.parametrize("compare", ["本年数与上年数比", "与上年相比", "与上年度比较"])
def test_a_change_on_the_prior_year_stated_later_goes_to_the_figure_of_its_measure(word, sign, compare):
    facts = _run(
        "“三公”经费年初预算3.5万元，实际支出3.25万元（其中：公务接待费支出1.2万元）。"
        "2023年“三公”经费预算4万元，实际支出4.1万元。"
        f"年初预算{compare}{word}12.5%，实际支出{compare}{word}20.73%，严格执行中央八项规定。\n"
    )
    budget = _find(facts, "三公经费", "budget_initial", 3.5)[0]
    spent = _find(facts, "三公经费", "actual", 3.25)[0]
    assert (budget["pct"], budget["pct_basis"]) == (sign * 12.5, "change")
    assert (spent["pct"], spent["pct_basis"]) == (sign * 20.73, "change")
    # neither the part nor the prior year's figures take the change
    assert _find(facts, "公务接待费", "actual", 1.2)[0]["pct"] is None
    assert all(f["pct"] is None for f in facts if f["year"] == 2023)


def test_a_later_sentence_with_an_amount_of_its_own_gives_no_change():
    facts = _run("“三公”经费年初预算3.5万元，实际支出3.25万元。"
                 "年初预算与上年相比减少0.5万元，下降12.5%。\n")
    assert _find(facts, "三公经费", "budget_initial", 3.5)[0]["pct"] is None
