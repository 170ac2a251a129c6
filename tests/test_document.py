"""Normalization: re-joined lines and numbers, rebuilt tables, the map back to original lines, decoding."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.document import DocumentError, clean_line, document_from_bytes, document_from_text

# a hard-wrapped PDF paragraph (about 30 Chinese characters a line, a blank line between lines)
WRAPPED = [
    "根据《某某市财政局关于批复 2022 年部门预算的通知》，我局全年预算支出",
    "1000.25 万元，实际到位资金 998.50 万元。其中社会保障和就业支出 143 万元，",
    "占总支出的 1.49%；卫生健康支出 9231.89 万元，占总支出的 96.49%；其他支出 193.",
    "25 万元，占总支出的 2.02%。使用方向为人员经费和公用经费两个方面的内容。",
] * 6


def _wrapped_text(lines):
    return "\n\n".join(lines) + "\n"


def test_hard_wrapped_lines_are_rejoined_and_a_broken_number_is_whole():
    doc = document_from_text(_wrapped_text(WRAPPED))
    assert doc.wrapped
    assert "其他支出193.25万元" in doc.flow
    assert "全年预算支出1000.25万元" in doc.flow


def test_flow_offsets_map_back_to_the_original_lines():
    doc = document_from_text(_wrapped_text(WRAPPED))
    at = doc.flow.index("9231.89")
    line = doc.line_of(at)
    assert "9231.89" in doc.raw_line(line)
    at = doc.flow.index("193.25")
    assert doc.raw_line(doc.line_of(at)).endswith("193.")


def test_word_paragraphs_are_not_joined():
    paragraphs = ["一、收入支出决算总体情况说明", "2021年度收、支总计2529.41万元。与上年相比增加997.29万元，增长65.09%。",
                  "二、收入决算情况说明", "本年收入合计2280.97万元，其中一般公共预算财政拨款收入1851.52万元。"]
    text = "\n".join(paragraphs * 10)
    doc = document_from_text(text)
    assert not doc.wrapped
    assert "65.09%。\n二、收入决算情况说明\n本年" in doc.flow


def test_tab_tables_are_rebuilt_with_empty_and_spanning_cells():
    text = (
        "单位：万元\n"
        "\t项目\n\t支出合计\n\t基本支出\n\t项目支出\n\n"
        "\t年初部门预算\n\t510.12\n\t328.24\n\t181.88\n\n"
        "\t调整预算数\n\t\n\t\n\t\n\n"
        "\t其中：资产\n购置支出\n\t2.16\n\t2.16\n\t0\n\n"
        "正文继续。\n"
    )
    doc = document_from_text(text)
    assert len(doc.tables) == 1
    rows = [r.texts for r in doc.tables[0].rows]
    assert rows[0] == ["项目", "支出合计", "基本支出", "项目支出"]
    assert rows[1] == ["年初部门预算", "510.12", "328.24", "181.88"]
    assert rows[2] == ["调整预算数", "", "", ""]
    assert rows[3][0] == "其中：资产购置支出"
    assert doc.tables[0].rows[1].cells[2].line == 9


def test_flattened_pdf_rows_become_cells():
    text = "经费控制情况 2020年决算数 2021年预算数 2021年决算数\n\n三公经费 0.15 3 1.62\n\n公用经费 31.04 42 43.72\n"
    doc = document_from_text(text)
    rows = [r.texts for t in doc.tables for r in t.rows if len(r.cells) > 1]
    assert ["三公经费", "0.15", "3", "1.62"] in rows
    assert ["公用经费", "31.04", "42", "43.72"] in rows


def test_bookmarks_and_fullwidth_digits_are_cleaned():
    assert clean_line("[bookmark: _Toc1]收入１２３．４５万元，占９６％") == "收入123.45万元，占96%"


def test_snippet_holds_the_line_and_is_short():
    doc = document_from_text(_wrapped_text(WRAPPED))
    snip = doc.snippet(3)
    assert len(snip) <= 200
    assert " ".join(doc.raw_line(3).split()) in snip


def test_long_line_snippet_is_centred_on_the_figure():
    line = "说明" * 150 + "本年支出合计2169.89万元" + "说明" * 150
    doc = document_from_text(line + "\n")
    snip = doc.snippet(1, focus=["2169.89"])
    assert "2169.89" in snip and len(snip) <= 200


def test_gb18030_text_is_decoded():
    doc = document_from_bytes("本年支出合计 25 万元\n".encode("gb18030"), "gbk.txt")
    assert "本年支出合计" in doc.flow


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (b"\xff\xfe\x00\xd8", "cannot decode"),
    (bytes([0xC0, 0xAF, 0xE0, 0x80, 0x80, 0xFF, 0x80]) * 20, "cannot decode"),
])
def test_bad_bytes_are_refused_with_a_reason_naming_the_file(data, reason):
    with pytest.raises(DocumentError) as err:
        document_from_bytes(data, "bad.txt")
    assert str(err.value).startswith("bad.txt: ")
    assert reason in str(err.value)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="收入支出合计万元，。0123456789. \t", min_size=0, max_size=40), min_size=1, max_size=30))
def test_every_flow_character_maps_to_a_line_holding_it(lines):
    text = "\n".join(lines) + "\n"
    if not text.strip():
        return
    doc = document_from_text(text)
    for i, ch in enumerate(doc.flow):
        if ch != "\n":
            assert ch in clean_line(doc.raw_line(doc.line_of(i)))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ab 1.万元财政拨款，。（）\t\u3000\u115f%—ｱ한"), max_size=12),
                max_size=8))
def test_widths_of_all_lines_at_once_equal_each_line_measured_alone(lines):
    # the one-pass measure of every line (lines joined by a wide separator) gives each line's own width,
    # also where the separator itself occurs in the text
    from ingest.document import _display_widths, display_width

    assert _display_widths(lines) == [display_width(x) for x in lines]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("a1 .万元，（\t\u3000\u2029\u2028\xa0—"), max_size=10), max_size=8))
def test_lines_squeezed_together_equal_each_line_squeezed_alone(lines):
    from ingest.document import squeeze

    doc = document_from_text("\n".join(["标题 2022 年"] + lines) + "\n")
    assert doc._squeezed == [squeeze(x) for x in doc._stripped]
    assert doc.compact == [squeeze(x).replace("\t", "") for x in doc.clean]
