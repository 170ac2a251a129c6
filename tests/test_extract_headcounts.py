"""HeadcountLoader: staff figures, on the seeds and on texts it has never seen."""

from __future__ import annotations

import pytest

from ingest.document import document_from_text, read_document
from ingest.loaders.base import DocMeta
from ingest.loaders.headcounts import HeadcountLoader

from .conftest import RAW, seed_paths

MIN_PRECISION = 0.90
MIN_RECALL = 0.90


def run(text: str, meta: DocMeta | None = None) -> list[dict]:
    loader = HeadcountLoader(document_from_text(text), meta or DocMeta())
    return [f.model_dump() for f in loader.extract_transform_load()]


def pairs(facts: list[dict]) -> set[tuple[str, float]]:
    return {(f["item"], f["value"]) for f in facts}


def wrap(paragraphs: list[str], width: int) -> str:
    """Hard-wrap paragraphs every ``width`` characters, as PDF text does (numbers and words get split)."""
    out = []
    for p in paragraphs:
        out += [p[i:i + width] for i in range(0, len(p), width)]
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------------------- the seeds


def test_seeds_reach_the_target(scorer, gold_facts):
    facts = []
    for path in seed_paths():
        loader = HeadcountLoader(read_document(path), DocMeta())
        facts += [f.model_dump() for f in loader.extract_transform_load()]
    gold = [g for g in gold_facts if g["kind"] in ("headcount", "none")]
    report, _, misses = scorer.score(gold, facts)
    kind = report["headcount"]
    assert kind["precision"] >= MIN_PRECISION, kind
    assert kind["recall"] >= MIN_RECALL, (kind, misses)
    for f in facts:  # the figure's number is on the fact's line
        doc = read_document(RAW / f["doc"])
        assert f"{f['value']:g}" in doc.clean[f["line"] - 1].replace(" ", ""), f


# ------------------------------------------------------------------------------- prose of other departments

PROSE = [
    ("截至2023年底，本单位编制人数56人，实有人数61人，其中在职人员50人，退休人员11人。编外聘用人员8名。",
     {("编制人数", 56), ("实有人数", 61), ("在职人员", 50), ("退休人员", 11), ("编外聘用人员", 8)}),
    ("本部门编制数120人，其中：行政编制30人、事业编制90人；实有人数115人，其中：在职人员100人、离退休人员15人。",
     {("编制数", 120), ("行政编制", 30), ("事业编制", 90), ("实有人数", 115), ("在职人员", 100), ("离退休人员", 15)}),
    ("（二）人员情况\n我委现有编制25名，在职23人，其中：委机关在职14人，卫生监督所在职9人。委机关退休人员6人。",
     {("编制数", 25), ("在职人数", 23), ("委机关在职人数", 14), ("卫生监督所在职人数", 9), ("委机关退休人员", 6)}),
    ("截止2024年底，我局共设编制17个，在编人员为16人，工勤编制2人，编外人员4人。",
     {("编制数", 17), ("在编人员", 16), ("工勤编制", 2), ("编外人员", 4)}),
]


@pytest.mark.parametrize("text,expected", PROSE)
def test_staff_sentences_of_other_departments(text, expected):
    got = pairs(run(text))
    assert got == expected


def test_beneficiaries_and_events_are_not_staff():
    text = ("全年救助困难群众3500人，城镇职工医保参保人数52490人，在职职工参保人数3000人。"
            "局领导班子成员5名。组织培训120人次，为12人制作服装。\n局在职人员共9人。")
    assert pairs(run(text)) == {("在职人员", 9)}


@pytest.mark.parametrize("width", [15, 21, 27])
def test_seed_sentence_changed_and_rewrapped(width):
    """Seed 001's 决算 staff sentence with other numbers, hard-wrapped at other places (numbers split)."""
    src = (RAW / "001_0b0d2e188a60b7a9.txt").read_text(encoding="utf-8")
    start = src.index("本部门 2022 年年末实有人数")
    sentence = " ".join(src[start: src.index("离退休人员 2 人", start) + 9].split())
    sentence = (sentence.replace(" ", "").replace("2022", "2024").replace("实有人数18人", "实有人数136人")
                .replace("在职人员18人", "在职人员121人").replace("退休人员0人", "退休人员15人")
                .replace("其他人员7人", "其他人员23人"))
    assert "实有人数136人" in sentence and "在职人员121人" in sentence
    filler = ("纳入本套部门决算汇编范围的单位共1个，主要职能是贯彻落实党中央关于民政工作的方针政策和决策部署，"
              "拟订全市民政事业发展规划和政策措施并组织实施，负责社会救助、养老服务、儿童福利和社会事务管理工作。")
    facts = pairs(run(wrap([filler] * 5 + [sentence] + [filler] * 3, width)))
    assert {("实有人数", 136), ("在职人员", 121), ("退休人员", 15), ("其他人员", 23)} <= facts


# ------------------------------------------------------------------------------------------------- tables


def test_word_staff_table():
    text = ("附件1\n部门整体支出绩效评价基础数据表\n\t财政供养人员情况\n\t编制数\n\t2022年实际在职人数\n\t控制率\n\n"
            "\t\n\t30\n\t28\n\t93.33%\n\n\t经费控制情况\n\t2021年决算数\n")
    facts = run(text)
    assert pairs(facts) == {("编制数", 30), ("实际在职人数", 28)}
    assert [f["line"] for f in facts] == [9, 10]


@pytest.mark.parametrize("header", [
    "编制数\n2022年实际\n\n在职人数\n控制率",
    "编制数\n2022年实\n\n际在职人数\n控制率",
    "编制数 2022年实际在职人数 控制率",
])
def test_pdf_staff_table_with_header_broken_anywhere(header):
    text = (f"财政供养人员情况\n\n{header}\n\n131 118 90.08%\n\n经费控制情况 2021年决算数 2022年预算数 2022年决算数\n\n"
            "三公经费 1 2 3\n")
    assert pairs(run(text)) == {("编制数", 131), ("实际在职人数", 118)}


def test_restatement_is_one_fact_and_a_conflict_is_kept():
    same = "编制人数27人，在职22人。\n\t财政供养人员情况\n\t编制数\n\t2023年实际在职人数\n\t控制率\n\n\t\n\t27\n\t22\n\t81%\n"
    facts = run(same)
    assert pairs(facts) == {("编制人数", 27), ("在职人数", 22)}
    assert {f["line"] for f in facts} == {1}
    conflict = same.replace("\t22\n", "\t21\n")
    assert pairs(run(conflict)) == {("编制人数", 27), ("在职人数", 22), ("实际在职人数", 21)}


def test_meta_is_carried():
    (f,) = run("单位在职人员共13人。", DocMeta(bureau="株洲市民政局", fiscal_year=2024))
    assert (f["bureau"], f["fiscal_year"], f["year"], f["value"]) == ("株洲市民政局", 2024, 2024, 13)


def test_fragment_without_staff_yields_nothing():
    assert run("单位：万元\n基本支出 80 90 88\n全年服务群众12000人次。") == []
