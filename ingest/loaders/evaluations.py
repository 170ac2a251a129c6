"""Evaluation facts: the overall self-evaluation result of the department or of one project.

Sources, keyed on the documents' wording:

* ``…自评得分 98 分，等级为“优秀”`` / ``该项目自评得95分`` / ``自评总得分99分，评价等级为优秀``: the scope is the
  subject before 自评 (部门整体, a named 项目/资金/经费) or, for 该项目 and no subject, the report it sits in;
* ``评价得分：<label> 88分`` inside a project report: that report's project;
* numbered result lists under a 评价结论 / 评价结果 heading: ``1、举报奖励资金：75 分``;
* the 总分 row of an indicator table (``总分 100 98``, ``综合评定等级 优秀 总 分 100 99``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from .base import FactLoader
from .indicator_tables import DEPARTMENT, GRADE, scan_indicator_tables, scope_at
from .indicators import mark_index

_SPACES = re.compile(r"\s+")  # layout spaces, dropped from labels and cells

__all__ = ["EvaluationLoader"]

_NUM = r"\d+(?:\.\d+)?"
_SELF = re.compile(rf"自评[，,]?\s*(?:总)?得分?(?:为|是)?[:：]?\s*(?P<n>{_NUM})\s*分")
_NOT_OVERALL = re.compile(r"(?:此项|该项指标|该项(?!目)|此项指标)(?:自评)?$")
_REVIEW = re.compile(rf"评价得分[:：]\s*(?P<label>[^0-9，。；]{{0,30}}?)\s*(?P<n>{_NUM})\s*分")
_LIST_ITEM = re.compile(rf"^\s*\d+[、.．]\s*(?P<label>[^：:，。；\d]{{2,30}}?)[：:]\s*(?P<n>{_NUM})\s*分[。；]?\s*$")
_RESULT_HEADING = re.compile(r"评价结论|评价结果|自评结果|评价得分|评分结果|得分情况")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_HEADING_FIRST = frozenset("一二三四五六七八九十（(")  # the characters a ``_HEADING`` can start with
_GRADE_AFTER = re.compile(r"(?:等级|等次|结果|评定|评级)(?:为|是|[:：])?\s*[“\"「]?(?P<g>优秀|良好|合格|中等|较差|一般|不合格|差)")
_SUBJECT_END = re.compile(r"[，,。；;：:、]")
_DEPARTMENT_WORDS = re.compile(r"部门整体|整体支出|部门支出|单位整体")
_PROJECT_SUBJECT = re.compile(r"(?:项目|资金|经费)$")
_THIS = re.compile(r"^(?:该|本|此)")
# the grade is looked for this many characters after the score
_GRADE_WINDOW = 40


def _paragraphs_holding(flow: str, char: str) -> Iterator[tuple[int, str]]:
    """The paragraphs (lines) of ``flow`` holding ``char``, with the offset of their first character."""
    k = flow.find(char)
    while k >= 0:
        start = flow.rfind("\n", 0, k) + 1
        end = flow.find("\n", k)
        if end < 0:
            end = len(flow)
        yield start, flow[start:end]
        k = flow.find(char, end + 1)


class EvaluationLoader(FactLoader):
    """Overall self-evaluation results (kind ``evaluation``)."""

    kind = "evaluation"

    def extract(self) -> list[dict]:
        """Evaluation candidates from the prose and from the 总分 rows of indicator tables."""
        out = []
        for t in scan_indicator_tables(self.doc).totals:
            out.append(dict(scope=t.scope, score=t.score, grade=t.grade, line=t.line,
                            key_extra=mark_index(self.doc, t.line)))
        out += self._prose()
        return out

    def _cand(self, offset: int, scope: str | None, score: float, text: str, after: int) -> dict:
        line = self.doc.line_of(offset)
        g = _GRADE_AFTER.search(text[after:after + _GRADE_WINDOW])
        return dict(scope=scope or scope_at(self.doc, line), score=score, grade=g.group("g") if g else None,
                    line=line, key_extra=mark_index(self.doc, line))

    def _subject_scope(self, before: str, line: int) -> str | None:
        cut = max((m.end() for m in _SUBJECT_END.finditer(before)), default=0)
        subject = _SPACES.sub("", before[cut:])
        if _DEPARTMENT_WORDS.search(subject):
            return DEPARTMENT
        if not subject or _THIS.match(subject):
            return None
        if _PROJECT_SUBJECT.search(subject) and len(subject) <= 25:
            return subject
        return None

    @staticmethod
    def _is_heading(text: str) -> bool:
        """A heading paragraph (stripped, not empty): ``一、`` / ``（二）`` or a short line ending in a colon."""
        # _HEADING needs one of _HEADING_FIRST first; text[-1] is the last character
        return bool((text[0] in _HEADING_FIRST and _HEADING.match(text))
                    or (len(text) <= 20 and text[-1] in "：:"))

    def _prose(self) -> list[dict]:
        flow = self.doc.flow
        out = []
        # Every pattern below ends in 分, so only the paragraphs (lines of the flow) holding one are read.
        # A numbered result item counts only in a results section: one whose last heading (the item's own
        # paragraph included) names 评价结论 / 评价结果 …; that heading is found by walking back from the item,
        # no further than the last item asked about, whose section is then the answer.
        known = (-1, False)  # the last paragraph asked about (its start), and whether in a results section

        def in_results_section(start: int) -> bool:
            nonlocal known
            state, s = known[1], start
            while s > known[0]:
                end = flow.find("\n", s)
                text = flow[s:end if end >= 0 else len(flow)].strip()
                if text and self._is_heading(text):
                    state = bool(_RESULT_HEADING.search(text))
                    break
                if s == 0:
                    break  # no heading above: not a results section (known[0] is -1 here)
                s = flow.rfind("\n", 0, s - 1) + 1
            known = (start, state)
            return state

        for pos, para in _paragraphs_holding(flow, "分"):
            text = para.strip()
            # _SELF starts with 自评, _REVIEW with 评价得分, _LIST_ITEM with a digit (``\s*`` is empty: text is
            # stripped, and ``\d`` is ``str.isdecimal``)
            self_said, review_said, numbered = "自评" in text, "评价得分" in text, text[0].isdecimal()
            if not (self_said or review_said or numbered):
                continue
            lead = pos + len(para) - len(para.lstrip())
            for m in _SELF.finditer(text) if self_said else ():
                before = text[:m.start()]
                if _NOT_OVERALL.search(before[-8:]):
                    continue
                line = self.doc.line_of(lead + m.start("n"))
                scope = self._subject_scope(before, line)
                out.append(self._cand(lead + m.start("n"), scope, float(m.group("n")), text, m.end()))
            for m in _REVIEW.finditer(text) if review_said else ():
                line = self.doc.line_of(lead + m.start("n"))
                scope = scope_at(self.doc, line)
                if scope == DEPARTMENT and m.group("label").strip():
                    scope = _SPACES.sub("", m.group("label"))
                out.append(self._cand(lead + m.start("n"), scope, float(m.group("n")), text, m.end()))
            m = _LIST_ITEM.match(text) if numbered else None
            if m and in_results_section(pos):
                out.append(self._cand(lead + m.start("n"), _SPACES.sub("", m.group("label")),
                                      float(m.group("n")), text, m.end()))
        return out

    def transform(self, candidates: Iterable[dict]) -> list[dict]:
        """One fact per scope and score within a report section; a grade stated with any statement is kept.

        Parameters
        ----------
        candidates:
            What ``extract()`` returned.
        """
        cands = sorted(candidates, key=lambda c: c["line"])
        kept: dict[tuple, dict] = {}
        for c in cands:
            key = (c["scope"], c["score"], c.get("key_extra"))
            if key in kept:
                if kept[key]["grade"] is None and c["grade"]:
                    kept[key]["grade"] = c["grade"]
                continue
            kept[key] = dict(c)
        return super().transform(list(kept.values()))

    def dedupe_key(self, fact: dict) -> tuple:
        """Facts are already merged by scope, score and report section in ``transform``.

        Parameters
        ----------
        fact:
            A transformed fact.
        """
        return (fact["line"], fact["scope"], fact["score"])

    def validate(self, facts: list[dict]):
        """A score above the usual maximum of 100 points is reported (and kept).

        Parameters
        ----------
        facts:
            Transformed facts.
        """
        for f in facts:
            if f.get("score") is not None and f["score"] > MAX_POINTS + POINTS_TOLERANCE:
                self.finding("evaluation_score_above_max", f"{f['scope']}: {f['score']} > {MAX_POINTS}", f["line"])
            if f.get("grade") and not GRADE.fullmatch(f["grade"]):
                self.finding("evaluation_grade_unknown", f"{f['scope']}: grade {f['grade']!r}", f["line"])
        return super().validate(facts)


MAX_POINTS = 100.0
POINTS_TOLERANCE = 0.005
