"""Parse the numbers of disclosure documents: amounts with units, percentages, signs of change.

All money is returned in 万元.  Full-width digits are made ASCII by ``document.clean_line`` before this
module sees the text, but the functions here accept them too.
"""

from __future__ import annotations

import re

from .document import clean_line

__all__ = ["AMOUNT", "AMOUNT_END", "MONEY_UNIT", "NUMBER", "PCT", "UNIT_FACTOR", "parse_number", "to_wan",
           "parse_amount", "parse_pct", "change_sign"]

UNIT_FACTOR = {"元": 1e-4, "万元": 1.0, "万": 1.0, "亿元": 1e4, "亿": 1e4, "千元": 0.1, "百万元": 100.0}

NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
"""A number as written: a sign, digits or thousands groups (1,234), decimals."""
# ``NUMBER`` as a search runs it fastest, the same spans and the same group ``num``:
# * its first character is taken by a character class, so a search jumps from one sign or digit to the next
#   (a look-ahead ``(?=[-+\d])`` would not let it); a look-behind then tells a sign from a digit, and after a
#   first digit ``\d{0,2}`` and ``\d*`` try the same digit counts, in the same order, as ``\d{1,3}`` and ``\d+``;
# * possessive quantifiers: giving back a digit, a ,ddd group or the decimal part (or, after the number, a
#   space) leaves a digit, a comma or a dot (a space) next, which nothing after it can match: that
#   backtracking never matched.
# tests/test_numbers.py checks it against ``NUMBER`` on random texts.
_NUMBER_FAST = (r"(?P<num>[-+\d](?:(?<=[-+])(?:\d{1,3}+(?:,\d{3})++|\d++)"
                r"|(?<=\d)(?:\d{0,2}+(?:,\d{3})++|\d*+))(?:\.\d++)?+)")
# a money unit; "万元" must win over "元", so longest first
MONEY_UNIT = r"(?P<unit>百万元|亿元|万元|千元|元|亿(?!人)|万(?![人户次件家个名]))"
AMOUNT = re.compile(_NUMBER_FAST + r"\s*+" + MONEY_UNIT)
"""A number followed by a money unit (groups ``num`` and ``unit``)."""
PCT = re.compile(_NUMBER_FAST + r"\s*+%")
"""A number followed by % (group ``num``)."""
# whether a text holds an amount: every amount ends in a digit, spaces and a unit, and a digit followed by
# spaces and a unit is an amount (its number that one digit)
AMOUNT_END = re.compile(r"\d\s*" + MONEY_UNIT)
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def parse_number(text: str) -> float | None:
    """Parse ``1,234.56`` / ``１２３`` / ``-5`` into a float; None when ``text`` holds no number.

    Parameters
    ----------
    text:
        A token that should be a number (thousands separators and full-width digits allowed).
    """
    if text is None:
        return None
    t = clean_line(str(text)).strip().replace(",", "").replace("，", "")
    m = _PLAIN_NUMBER.fullmatch(t)
    return float(t) if m else None


def to_wan(value: float, unit: str) -> float:
    """Convert ``value`` given in ``unit`` (元, 万元, 亿元 …) to 万元, rounded to 6 decimals.

    Parameters
    ----------
    value:
        The number as written.
    unit:
        Its unit; unknown units raise ``ValueError``.
    """
    try:
        factor = UNIT_FACTOR[unit]
    except KeyError as exc:
        raise ValueError(f"unknown money unit {unit!r}; known: {', '.join(UNIT_FACTOR)}") from exc
    return round(value * factor, 6)


def parse_amount(text: str, default_unit: str | None = None) -> float | None:
    """Parse an amount such as ``1,234.56万元``, ``3亿元``, ``8000元`` into 万元.

    Parameters
    ----------
    text:
        The amount with its unit, or a bare number when ``default_unit`` is given (a table cell
        under a ``单位：万元`` header).
    default_unit:
        Unit of a bare number; None means a bare number is not an amount.
    """
    t = clean_line(str(text)).strip()
    m = AMOUNT.fullmatch(t) or AMOUNT.match(t)
    if m:
        return to_wan(parse_number(m.group("num")), m.group("unit"))
    if default_unit:
        v = parse_number(t)
        return None if v is None else to_wan(v, default_unit)
    return None


def parse_pct(text: str) -> float | None:
    """Parse ``96.49%`` / ``96.49％`` into 96.49; None when there is no percentage.

    Parameters
    ----------
    text:
        Text holding a percentage.
    """
    m = PCT.search(clean_line(str(text)))
    return None if not m else parse_number(m.group("num"))


_FALL = re.compile(r"(下降|减少|降低|压减|缩减|回落|少支|节约|下滑|负增长)")
_RISE = re.compile(r"(增长|增加|上升|提高|增幅|多支|上涨)")


def change_sign(text: str) -> int:
    """+1 when ``text`` speaks of a rise (增长, 增加 …), -1 of a fall (下降, 减少 …), 0 otherwise.

    The last such word before the number decides: ``较上年减少…，下降 26.47%`` is a fall.

    Parameters
    ----------
    text:
        The words before a change figure.
    """
    fall = [m.end() for m in _FALL.finditer(text)]
    rise = [m.end() for m in _RISE.finditer(text)]
    if not fall and not rise:
        return 0
    return -1 if (max(fall) if fall else -1) > (max(rise) if rise else -1) else 1
