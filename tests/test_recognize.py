"""ingest.recognize: bureau, fiscal year, document types, province and level, read from the text itself."""

from __future__ import annotations

import pytest

from ingest.document import document_from_text, read_document
from ingest.recognize import is_disclosure, recognize

from .conftest import RAW, seed_paths


def meta(text: str):
    return recognize(document_from_text(text))


# ----------------------------------------------------------------------------------------- the seeds


def test_seeds_agree_with_the_gold(gold_facts):
    expected = {g["doc"]: (g["bureau"], g["fiscal_year"]) for g in gold_facts if g.get("bureau")}
    for path in seed_paths():
        m = recognize(read_document(path))
        assert (m.bureau, m.fiscal_year) == expected[path.name], path.name


def test_seed_with_another_bureau_and_year():
    """Seed 003 moved to another city, district, department and year."""
    text = (RAW / "003_25d83f0624c6e4b5.txt").read_text(encoding="utf-8")
    text = (text.replace("医疗保障局", "民政局").replace("长沙市", "株洲市").replace("天心区", "芦淞区")
            .replace("2021", "2023").replace("2020", "2022"))
    m = meta(text)
    assert (m.bureau, m.fiscal_year) == ("株洲市芦淞区民政局", 2023)
    assert (m.province, m.city, m.admin_level) == ("湖南", "株洲市", "市辖区")
    assert m.doc_types == ["部门整体支出绩效自评报告"]


def test_seed_rewrapped_keeps_its_bureau():
    """Seed 001 (PDF text) with every line break moved: bureau and year must not depend on the wrapping."""
    text = (RAW / "001_0b0d2e188a60b7a9.txt").read_text(encoding="utf-8")
    joined = "".join(x.strip() for x in text.splitlines() if x.strip())
    rewrapped = "\n".join(joined[i:i + 29] for i in range(0, len(joined), 29))
    m = meta(rewrapped)
    assert (m.bureau, m.fiscal_year) == ("南昌市东湖区医疗保障局", 2022)


# ------------------------------------------------------------------------------- other bureaus and types

CASES = [
    # text, bureau, fiscal year, doc types, province, admin level
    ("株洲市卫生健康委员会2022年度部门决算\n第一部分 株洲市卫生健康委员会概况\n一、部门职责\n"
     "第二部分 2022年度部门决算表\n收入支出决算总表\n单位：万元\n本年收入合计 1234.56\n",
     "株洲市卫生健康委员会", 2022, ["部门决算"], "湖南", "地市级"),
    ("岳麓区民政局2024年部门预算公开\n一、部门基本情况\n长沙市岳麓区民政局是区政府工作部门。\n"
     "二、收支预算情况说明\n2024年收入预算1200万元，支出预算1200万元。\n",
     "长沙市岳麓区民政局", 2024, ["部门预算"], "湖南", "市辖区"),
    ("广东省财政厅2022年度部门决算\n一、部门基本情况\n广东省财政厅负责全省财政工作。\n收入合计 50000 万元\n",
     "广东省财政厅", 2022, ["部门决算"], "广东", "省级"),
    ("恩施土家族苗族自治州医疗保障局2021年部门决算\n恩施土家族苗族自治州医疗保障局主要职责……\n本年支出合计 800万元\n",
     "恩施土家族苗族自治州医疗保障局", 2021, ["部门决算"], "湖北", "地市级"),
    ("湘潭县民政局2022年度项目支出绩效自评报告\n湘潭县民政局组织开展项目支出绩效自评，项目资金100万元。\n",
     "湘潭县民政局", 2022, ["项目支出绩效自评"], "湖南", "县"),
    ("北京市东城区民政局2022年度部门决算\n北京市东城区民政局本年收入合计3000万元。\n",
     "北京市东城区民政局", 2022, ["部门决算"], "北京", "市辖区"),
    ("关于2023年度部门整体支出绩效自评报告\n单位名称：宁乡市人力资源和社会保障局\n一、部门基本情况\n"
     "宁乡市人力资源和社会保障局内设8个股室。2023年部门预算支出3000万元。\n",
     "宁乡市人力资源和社会保障局", 2023, ["部门整体支出绩效自评报告"], None, "县级市"),
]


@pytest.mark.parametrize("text,bureau,year,types,province,level", CASES)
def test_other_departments_provinces_and_types(text, bureau, year, types, province, level):
    m = meta(text)
    assert m.bureau == bureau
    assert m.fiscal_year == year
    assert m.doc_types == types
    assert m.province == province
    assert m.admin_level == level


def test_the_finance_bureau_quoted_in_notices_is_not_the_bureau():
    m = meta("2023年度部门整体支出绩效自评报告\n填报单位：郴州市北湖区民政局\n"
             "根据郴州市北湖区财政局《关于开展2024年绩效自评的通知》要求，按照区财政局部署，经区财政局审核……\n"
             "北湖区民政局2023年支出预算800万元，全年执行780万元，区财政局已批复。\n")
    assert (m.bureau, m.fiscal_year) == ("郴州市北湖区民政局", 2023)


def test_fiscal_year_is_the_reported_year_not_the_publication_or_comparison_year():
    decided = meta("长沙县医疗保障局\n2022年度部门决算公开\n（2023年8月）\n第一部分 长沙县医疗保障局概况\n"
                   "2022年本年收入合计1000万元，比2021年增加100万元。2023年计划继续推进。\n")
    assert (decided.bureau, decided.fiscal_year, decided.admin_level) == ("长沙县医疗保障局", 2022, "县")
    budget = meta("湘潭市民政局2024年部门预算\n2024年收入预算1500万元，比2023年预算减少100万元，"
                  "2023年执行情况良好，2023年完成任务。\n")
    assert (budget.fiscal_year, budget.doc_types) == (2024, ["部门预算"])


def test_one_file_holding_several_document_types_in_order():
    m = meta("衡东县卫生健康局2022年部门决算\n第五部分 2022年部门整体支出绩效自评报告\n……\n"
             "附件3 2022年项目支出绩效自评表\n项目资金100万元\n")
    assert m.doc_types == ["部门决算", "部门整体支出绩效自评报告", "项目支出绩效自评"]
    assert m.bureau == "衡东县卫生健康局"


# --------------------------------------------------------------------------------------------- fragments


def test_fragment_without_a_bureau():
    m = meta("三公经费支出情况\n2022年三公经费支出5万元，较上年下降10%。\n")
    assert m.bureau is None and m.province is None and m.admin_level is None
    assert m.fiscal_year == 2022


def test_fragment_without_bureau_or_year():
    m = meta("单位：万元\n基本支出 80 90 88\n项目支出 20 30 28\n")
    assert (m.bureau, m.fiscal_year, m.doc_types) == (None, None, [])


def test_disclosure_or_not():
    assert is_disclosure(document_from_text("2022年三公经费支出5万元，较上年下降10%，财政拨款支出减少。"))
    assert not is_disclosure(document_from_text("今天天气很好，我们去公园散步。\n"))


@pytest.mark.parametrize("text", [
    "2023年度部门预算公开\n一、收入支出预算总表",
    "某某区医疗保障局2023年部门预算\n单位：万元",
    "2023年部门预算的通知\n预算情况说明",
    "前言\n" + "一" * 50 + "\n2023年部门预算\n附：预算情况说明",
    "部门决算说明\n2022年度部门预算编制说明",
    "项目支出绩效自评报告；部门整体支出（2022年度）绩效自评",
])
def test_document_types_found_as_their_patterns_find_them(text):
    # the fast search of document types (an anchored branch tried at the start only) finds the same types
    # in the same order as a plain search with each type's pattern
    from ingest.recognize import DOC_TYPES, _doc_types

    doc = document_from_text(text)
    plain = sorted((m.start(), name) for name, rx in DOC_TYPES.items() if (m := rx.search(doc.flow)))
    assert _doc_types(doc) == [name for _, name in plain]
    assert _doc_types(doc)  # every text above names a type
