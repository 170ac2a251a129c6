"""ingest.numbers: the fast number patterns find exactly what the plain ``NUMBER`` pattern finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.numbers import AMOUNT, AMOUNT_END, MONEY_UNIT, NUMBER, PCT, parse_amount, parse_pct

# the reference: the number as written, found by a plain search
PLAIN_AMOUNT = re.compile(rf"(?=[-+\d])(?P<num>{NUMBER})\s*{MONEY_UNIT}")
PLAIN_PCT = re.compile(rf"(?=[-+\d])(?P<num>{NUMBER})\s*%")

# texts made of what numbers, units and their neighbours are made of
TEXTS = st.text(alphabet=st.sampled_from("0123456789,.-+ %元万亿千百人户占为，。\t"), max_size=40)


def _spans(rx: re.Pattern, text: str, start: int, stop: int) -> list[tuple]:
    return [(m.span(), m.groupdict()) for m in rx.finditer(text, start, stop)]


@settings(max_examples=1000, deadline=None)
@given(TEXTS, st.integers(0, 40), st.integers(0, 41))
def test_fast_number_patterns_find_the_same_spans_and_groups(text, start, stop):
    stop = max(start, min(stop, len(text)))
    assert _spans(AMOUNT, text, start, stop) == _spans(PLAIN_AMOUNT, text, start, stop)
    assert _spans(PCT, text, start, stop) == _spans(PLAIN_PCT, text, start, stop)
    # a text holds an amount exactly when it holds an amount's end
    assert (AMOUNT.search(text) is None) == (AMOUNT_END.search(text) is None)


def test_amounts_and_percentages_as_written():
    assert [m.group("num", "unit") for m in AMOUNT.finditer("支出1,234.56万元，其中-5元及3亿")] == [
        ("1,234.56", "万元"), ("-5", "元"), ("3", "亿")]
    assert AMOUNT.search("服务12万人次") is None
    assert [m.group("num") for m in PCT.finditer("占96.49%，下降 -1.5 %")] == ["96.49", "-1.5"]
    assert parse_amount("8000元") == 0.8
    assert parse_pct("占总支出的 2.02%") == 2.02
