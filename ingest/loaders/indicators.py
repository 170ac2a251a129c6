"""Indicator facts: the rows of performance-indicator tables and indicators stated in prose.

Three sources, all keyed on the documents' own wording:

* indicator tables (Word and flattened PDF), read by ``indicator_tables.scan_indicator_tables``;
* scoring prose of a self-evaluation: a heading carrying its points (``（一）部门预算项目绩效管理（38.02分）``)
  with numbered items scored in their text (``1. 目标制定：…该项指标得5分``), or items stating both
  (``(1)产出指标、成本指标总分为50分，得分50分``);
* indicator statements in a 绩效指标完成情况 section (``数量指标：2022年收到其他资金次数11次``): each clause with a
  figure becomes one indicator whose ``actual`` is the figure, ``name`` the clause without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..document import Document
from .base import FactLoader
from .indicator_tables import clean_label, scan_indicator_tables, scope_at, scope_marks

_SPACES = re.compile(r"\s+")  # layout spaces, dropped from labels and cells

__all__ = ["IndicatorLoader", "paragraphs"]


def paragraphs(doc: Document) -> Iterable[tuple[int, str]]:
    """The paragraphs of ``doc.flow`` with the flow offset of their first character.

    Parameters
    ----------
    doc:
        The document.
    """
    pos = 0
    for para in doc.flow.split("\n"):
        yield pos, para
        pos += len(para) + 1


def _text_paragraphs(doc: Document) -> list[tuple[int, str, str]]:
    """The paragraphs of ``paragraphs(doc)`` that are not blank, as ``(offset, paragraph, stripped text)``
    (read once for the loops of ``IndicatorLoader``, which all skip the blank ones)."""
    return [(pos, para, text) for pos, para in paragraphs(doc) if (text := para.strip())]


def mark_index(doc: Document, line: int) -> int:
    """How many report titles precede ``line``: facts of two reports are never merged.

    Parameters
    ----------
    doc:
        The document.
    line:
        1-based original line.
    """
    return sum(1 for n, _ in scope_marks(doc) if n <= line)


_NUM = r"\d+(?:\.\d+)?"
_TOP_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)")
# （一）部门预算项目绩效管理（38.02分）
_SCORED_HEADING = re.compile(
    rf"^[（(][一二三四五六七八九十]+[）)]\s*(?P<label>[^（()：:，。]{{2,20}}?)\s*[（(](?P<n>{_NUM})\s*分[）)]\s*$")
# 1. 目标制定：……该项指标得5分 / 一是内部应用。……此项自评得2分
_SCORED_ITEM = re.compile(r"^(?:\d+[.．、]|[一二三四五六七八九十]是)\s*(?P<label>[^：:。，；]{2,15}?)[：:。]")
_ITEM_POINTS = re.compile(rf"(?:该项指标|此项指标|此项|该项)(?:自评)?得(?:分为?)?\s*(?P<n>{_NUM})\s*分")
# 1、部门资金情况总分10分，得分10分 / (1)产出指标、成本指标总分为50分，得分50分
_TOTAL_ITEM = re.compile(
    rf"^(?P<enum>\d+[、.．]|[（(]\d+[）)])\s*(?P<label>[^，。：:；]{{2,20}}?)\s*(?:总分|满分|分值)(?:为|是)?\s*"
    rf"(?P<w>{_NUM})\s*分[，,、；]?\s*(?:实际)?得分(?:为|是)?\s*(?P<s>{_NUM})\s*分")

# indicator statements
_STATEMENT_SECTION = re.compile(r"(?:绩效|评价)?指标.{0,6}(?:完成情况|分析)|项目(?:产出|效益)情况")
_L1_WORDS = r"(?:产出指标|效益指标|满意度指标)"
_L2_WORDS = (r"(?:数量指标|质量指标|时效指标|成本指标|经济效益(?:指标)?|社会效益(?:指标)?|生态效益(?:指标)?|"
             r"可持续影响(?:指标)?|(?:社会公众或)?服务对象满意度(?:指标)?)")
_SEGMENT = re.compile(
    rf"(?:^|(?<=[。；;]))\s*(?:[（(]\d+[）)]、?|\d+、)?\s*(?P<label>{_L2_WORDS}|{_L1_WORDS})[：:]")
_LEVEL1_LINE = re.compile(rf"^\s*(?:[（(]\d+[）)]、?|\d+、)?\s*(?P<label>{_L1_WORDS})[：:。]?\s*$")
_LEVEL1_SECTION = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]、?\s*(?P<label>项目(?:产出|效益))情况[：:。]?\s*$")
_PROJECT_LINE = re.compile(r"^\s*\d+[、.．]\s*(?P<name>[^：:，。；]{2,30}?)[：:]\s*$")
_SUBLABEL = re.compile(r"^(?P<sub>[^：:，。；\d]{2,12})[：:]")
_FIGURE = re.compile(
    rf"(?P<q>小于等于|大于等于|不低于|不高于|不超过|不少于|≤|≥|<=|>=|<|>|=)?\s*(?P<num>{_NUM})\s*"
    r"(?P<unit>%|个工作日|万人次|人次|万元|亿元|元|次|篇|项|人|户|家|个|件|份|天|本|套|万)?"
    r"(?P<post>以内|以上|以下)?")
_L1_WORD = re.compile(_L1_WORDS)
_CLAUSE = re.compile(r"[^，,。；;]+")
_NAME_TAIL = re.compile(r"(?:达到|达|为|是|在|约|共|的)+$")
_NAME_HEAD = re.compile(r"^(?:\d{4}\s*年度?|全年共|共)")


def _figure(clause: str) -> re.Match | None:
    """The first figure with a unit in ``clause`` (years and bare numbers are not indicator values)."""
    for m in _FIGURE.finditer(clause):
        after = clause[m.end("num"):m.end("num") + 1]
        if after == "年" or after == "月" and not m.group("unit"):
            continue
        if not (m.group("unit") or m.group("q")):
            continue
        return m
    return None


class IndicatorLoader(FactLoader):
    """Rows of performance-indicator tables and indicators stated in prose (kind ``indicator``)."""

    kind = "indicator"

    def extract(self) -> list[dict]:
        """Indicator candidates from the tables, the scoring prose and the indicator statements."""
        out = [self._row(r) for r in scan_indicator_tables(self.doc).rows]
        paras = _text_paragraphs(self.doc)
        out += self._scoring_prose(paras)
        out += self._statements(paras)
        return out

    # ------------------------------------------------------------------------------------- tables

    def _row(self, r) -> dict:
        return dict(scope=r.scope, level1=r.level1, level2=r.level2, name=r.name, target=r.target,
                    actual=r.actual, weight=r.weight, score=r.score, line=r.line, key_extra=("t", r.group))

    def _fact(self, offset: int, **fields) -> dict:
        line = self.doc.line_of(offset)
        fields.setdefault("scope", scope_at(self.doc, line))
        fields.setdefault("target", None)
        fields.setdefault("actual", None)
        fields.setdefault("weight", None)
        fields.setdefault("level2", None)
        return dict(fields, line=line, key_extra=("p", mark_index(self.doc, line)))

    # ------------------------------------------------------------------------------ scoring prose

    def _scoring_prose(self, paras: list[tuple[int, str, str]]) -> list[dict]:
        out: list[dict] = []
        heading: dict | None = None
        heading_items = 0
        top = None
        for pos, para, text in paras:
            if "分" not in text:
                # the scoring patterns all hold 分: only a top heading matters here, when there is a
                # heading or a top label for it to end
                if (heading is not None or top is not None) and _TOP_HEADING.match(text):
                    heading, top = None, None
                continue
            lead = len(para) - len(para.lstrip())
            m = _SCORED_HEADING.match(text)
            if m:
                label = clean_label(m.group("label"))
                heading = self._fact(pos + lead + m.start("n"), level1=label, name=label,
                                     score=float(m.group("n")))
                heading_items = 0
                out.append(heading)
                continue
            if _TOP_HEADING.match(text):
                heading, top = None, None
            m = _TOTAL_ITEM.match(text)
            if m:
                label = clean_label(m.group("label"))
                if not m.group("enum").startswith(("(", "（")):
                    top = label
                out.append(self._fact(pos + lead + m.start("s"), level1=top or label, name=label,
                                      weight=float(m.group("w")), score=float(m.group("s"))))
                continue
            if heading is None:
                continue
            points = _ITEM_POINTS.search(text)
            if not points:
                continue
            item = _SCORED_ITEM.match(text)
            if item:
                heading_items += 1
                out.append(self._fact(pos + lead + points.start("n"), level1=heading["level1"],
                                      name=clean_label(item.group("label")), score=float(points.group("n"))))
            elif heading_items == 0:
                # the heading's own body scores it: the heading's number was its weight
                heading["weight"], heading["score"] = heading["score"], float(points.group("n"))
        return out

    # ------------------------------------------------------------------------- indicator statements

    def _statements(self, paras: list[tuple[int, str, str]]) -> list[dict]:
        out: list[dict] = []
        inside = False
        scope = None
        level1 = None
        for pos, para, text in paras:
            # a section title holds 情况 or 分析 (``_STATEMENT_SECTION``): a cheap test before the regex
            if len(text) <= 40 and ("情况" in text or "分析" in text) and _STATEMENT_SECTION.search(text) \
                    and not _SEGMENT.search(text):
                inside, scope, level1 = True, None, None
                m = _LEVEL1_SECTION.match(text)
                if m:
                    level1 = m.group("label")
                continue
            if not inside:
                continue
            if _TOP_HEADING.match(text):
                inside = False
                continue
            m = _LEVEL1_SECTION.match(text)
            if m:
                level1 = m.group("label")
                continue
            m = _LEVEL1_LINE.match(text)
            if m:
                level1 = m.group("label")
                continue
            m = _PROJECT_LINE.match(text)
            if m and not _SEGMENT.search(text):
                scope, level1 = _SPACES.sub("", m.group("name")), None
                continue
            lead = pos + len(para) - len(para.lstrip())
            segs = list(_SEGMENT.finditer(text))
            for k, seg in enumerate(segs):
                end = segs[k + 1].start() if k + 1 < len(segs) else len(text)
                label = seg.group("label")
                body_at = seg.end()
                body = text[body_at:end]
                if _L1_WORD.fullmatch(label):
                    l1 = level1 = label
                    l2 = None
                else:
                    l1, l2 = level1, label
                sub = _SUBLABEL.match(body)
                if sub:
                    l2 = sub.group("sub")
                    body_at += sub.end()
                    body = text[body_at:end]
                out += self._clauses(lead + body_at, body, scope, l1, l2)
        return out

    def _clauses(self, offset: int, body: str, scope: str | None, l1: str | None, l2: str | None) -> list[dict]:
        out = []
        for c in _CLAUSE.finditer(body):
            clause = c.group(0)
            fig = _figure(clause)
            if not fig:
                continue
            start = fig.start("q") if fig.group("q") else fig.start("num")
            name = (clause[:start] + clause[fig.end():]).strip()
            name = _NAME_HEAD.sub("", _SPACES.sub("", name))
            name = _NAME_TAIL.sub("", name)
            if len(name) < 2:
                continue
            actual = _SPACES.sub("", clause[start:fig.end()])
            fields = dict(level1=l1, level2=l2, name=name, actual=actual, score=None)
            if scope:
                fields["scope"] = scope
            out.append(self._fact(offset + c.start() + fig.start("num"), **fields))
        return out

    def validate(self, facts: list[dict]):
        """Check each scored group: the points of a table's rows never exceed their weights.

        Parameters
        ----------
        facts:
            Transformed facts.
        """
        for f in facts:
            if f.get("weight") is not None and f.get("score") is not None \
                    and f["score"] > f["weight"] + SCORE_TOLERANCE:
                self.finding("indicator_score_above_weight",
                             f"{f['scope']} / {f['name']}: 得分 {f['score']} > 分值 {f['weight']}", f["line"])
        return super().validate(facts)


# points are given to two decimals at most
SCORE_TOLERANCE = 0.005
