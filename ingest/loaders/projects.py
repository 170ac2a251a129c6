"""Project facts: one project's money and self-evaluation result (项目支出绩效自评).

A document speaks about a project in three shapes, often all three for the same project:

* the national 项目支出绩效自评表: a ``项目名称`` / ``项目支出名称`` cell, a header ``年初预算数 全年预算数 全年执行数
  分值 执行率 得分``, a ``年度资金总额`` row of numbers in that order and a ``总分 100 88`` row;
* a Word table with ``预算数：5`` / ``执行数：4.5`` cells under a title line ``（XX项目）``;
* prose: a per-project report (``2021年项目支出绩效自评报告`` + ``（XX支出项目）``, ``XX部门绩效评价报告``) or
  numbered lists ``1、XX资金：…`` whose items state the money (下达 / 预算 … 万元, 支出 … 万元), the rate
  (预算执行率 / 支出进度 / 资金使用率 …%) and the score (自评得 95 分, ``1、XX资金：75 分``).

Every place naming a project opens a *block* of text; the figures found in it belong to that project. The
blocks of one project are merged into one fact. Two blocks of the same name that disagree on more than one
figure are different statements (e.g. two reports on two allocations of one fund) and stay separate facts;
a single disagreement is resolved in favour of the figure that agrees with the stated execution rate and
reported as a finding.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from ..numbers import parse_number, to_wan
from .base import FactLoader

_SPACES = re.compile(r"\s+")  # layout spaces, dropped from labels and cells

__all__ = ["ProjectLoader"]

RATE_TOLERANCE_PCT = 0.1
"""How far (in percentage points) actual / budget may be from the stated execution rate and still agree."""

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MONEY_UNIT = r"(?:亿元|万元|千元|元)"
_HEAD = r"(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+部分)"

# places that name a project --------------------------------------------------------------------------
_TABLE_NAME = re.compile(
    r"项\s*目\s*(?:支\s*出\s*)?名\s*称\s*[:：]?[ \t\n]*(?P<name>[^\n\t]{2,60}?)[ \t]*(?=\n|主管部门|实施单位|$)")
_PAREN_TITLE = re.compile(r"^\s*[（(](?P<name>[^（()）\n]{2,60})[）)]\s*$", re.M)
_REPORT_TITLE = re.compile(
    r"^(?P<pre>[^\n，。；：:]{0,60}?)绩\s*效\s*(?:目\s*标\s*)?(?:自\s*评|评\s*价)\s*(?:报\s*告|表)?[ \t]*$", re.M)
_LIST_ITEM_BODY = r"\s*\d{1,2}\s*[、.．]\s*(?P<name>[^：:，,。；;\n]{2,40}?(?:资金|经费|项目|补助|补贴|专项|工程|费))\s*[：:]"
_LIST_ITEM = re.compile("^" + _LIST_ITEM_BODY, re.M)
# the same item after a line break: a search for the break's literal skips the text between lines at once
_LIST_ITEM_AFTER_BREAK = re.compile("\n" + _LIST_ITEM_BODY)
_HEADING_LINE = re.compile(rf"^\s*(?:{_HEAD}|\d{{1,2}}\s*[、])", re.M)

# names that are money categories of the 决算, not projects
_NOT_A_PROJECT = re.compile(
    r"三公|公务|接待|出国|出境|公车|用车|会议费|培训费|基本支出|项目支出$|人员经费|公用经费|机关运行|收入|"
    r"支出合计|总计|合计|^资金$|^经费$|^项目$|^专项$|^其他$")
_WHOLE_DEPARTMENT = re.compile(r"部门整体|整体支出|决算|预算执行")
_GENERIC_TITLE = re.compile(
    r"^[\d\-—、.．\s]*(?:部门|预算|支出|项目|单位|专项|本级|政策|和|、)*$|(?:部门|单位|局|委员会|本级)$")

# figures inside a block --------------------------------------------------------------------------------
_TOTAL_ROW = re.compile(
    rf"年\s*度\s*资\s*金\s*总\s*额(?P<nums>(?:[ \t\n]*(?:{_NUM}%?|[-—–]+))+)")
_COLUMN = re.compile(r"年初预算数|全年预算数|调整后预算数|全年执行数|执行数|预算数|分值|执行率|得分")
_MONEY_COLUMNS = ("年初预算数", "全年预算数", "调整后预算数", "全年执行数", "执行数", "预算数")
_TABLE_UNIT = re.compile(r"(?:单位|金额单位)[:：]?(亿元|万元|千元|元)|[（(](亿元|万元|千元|元)[）)]")
_UNIT_REACH = 200
"""How far before a project table its 单位：万元 line may stand (characters of running text)."""
_TABLE_BUDGET = re.compile(rf"(?<![年全初])预算数\s*[:：]\s*(?P<num>{_NUM})")
_TABLE_ACTUAL = re.compile(rf"(?<![年全])执行数\s*[:：]\s*(?P<num>{_NUM})")
_TOTAL_SCORE = re.compile(rf"总\s*分[ \t\n]*(?P<max>{_NUM})[ \t\n]+(?P<score>{_NUM})(?![\d.%])")
_AMOUNT = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>{_MONEY_UNIT})")
_RATE = re.compile(
    rf"(?P<word>预算执行率|执行率|支出进度|支付进度|执行进度|资金使用率|使用率)(?:为|是|达到?|[:：])?\s*(?P<num>{_NUM})\s*%")
_RATE_RANK = {"预算执行率": 0, "执行率": 0, "支出进度": 1, "支付进度": 1, "执行进度": 1, "资金使用率": 2, "使用率": 2}
_SCORE = re.compile(
    rf"(?:自评|评价|综合|绩效|项目)(?:得分|评分|得)(?:为|是|[:：])?[^\d\n，。；]{{0,30}}?(?P<num>{_NUM})\s*分")
_LEAD_SCORE = re.compile(rf"\s*(?P<num>{_NUM})\s*分")
# ``支付(?<!转移支付)`` is ``(?<!转移)支付`` checked after the word: every alternative then starts with a
# character, which lets a search skip to the next of those characters
_ACTUAL_VERB = re.compile(r"(?:支出|执行数?|到账|使用|花费|支付(?<!转移支付))[^，。；\n\d]{0,14}$")
_BUDGET_VERB = re.compile(
    r"(?P<word>年初预算|全年预算|调整后预算|预算|下达|批复|安排|到位|拨付|申报)[^，。；\n]{0,24}$")
_IGNORE_VERB = re.compile(r"(?:结余|结转|以内|小于|大于|不超过|控制|违约金|追回|累计|≤|≥|<|>)[^，。；\n\d]{0,10}$")
_YEAR_PREFIX = re.compile(r"^.*?\d{4}\s*年度?")
_NAME_SUFFIX = re.compile(r"(?:支出项目|经费项目|项目)$")
_YEAR = re.compile(r"\d{4}\s*年")
_TITLE_ENDING = re.compile(r"(?:部门|单位)?(?:项目支出|支出)?$")
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[）)]")
_NOT_A_NAME = re.compile(r"\d+(?:\.\d+)?%|名称|主管部门")
_CLAUSE_MARK = re.compile(r"[，。；：:]")
_COLON = re.compile(r"[：:]")
_HEADER_NOISE = re.compile(r"[\s()（）%]")


def _report_titles(flow: str) -> Iterator[re.Match]:
    """The matches of ``_REPORT_TITLE.finditer(flow)``, trying only the lines that hold a 绩.

    A title match starts at a line start (``^``) and its ``pre`` holds no line break, so its 绩 stands on the
    line it starts on: a line without one cannot start a match, and ``match`` at a line start is the attempt
    finditer makes there. Like finditer, no line starting before the end of the last match is tried (the
    ``\\s*`` of a title may run over line breaks).
    """
    resume, k = 0, flow.find("绩")
    while k >= 0:
        start = flow.rfind("\n", 0, k) + 1
        if start >= resume:
            m = _REPORT_TITLE.match(flow, start)
            if m:
                yield m
                resume = m.end()
        end = flow.find("\n", k)
        k = flow.find("绩", end + 1) if end >= 0 else -1


def _list_items(flow: str) -> Iterator[re.Match]:
    """The items ``_LIST_ITEM.finditer(flow)`` finds (the same ``name`` groups): one at the start of the flow,
    then each after a line break.

    ``^`` holds at the start and after each line break: there the two patterns make the same attempt. An
    item ends in a colon, never at a line start, so resuming after it finds the same next line break.
    """
    first = _LIST_ITEM.match(flow)
    if first:
        yield first
    yield from _LIST_ITEM_AFTER_BREAK.finditer(flow, first.end() if first else 0)


def _amounts(text: str) -> Iterator[re.Match]:
    """The matches of ``_AMOUNT.finditer(text)``, each looked for from the 元 it must end with.

    A match ends with its unit's 元 and holds no other, so it lies between two 元 and ends at the second;
    before that 元 it holds only digits (``\\d`` is ``str.isdecimal``), separators, spaces (``\\s`` is
    ``str.isspace``) and the 亿/万/千 of its unit. No position before the run of such characters that ends at
    the 元 can start a match, and a match starting after it ends at the 元: searching that run alone, up to
    and including the 元, finds the match finditer finds there (the pattern looks neither behind nor ahead).
    """
    after_last = 0  # just after the previous 元: where finditer resumes
    end = text.find("元")
    while end >= 0:
        start = end
        while start > after_last and (text[start - 1].isdecimal() or text[start - 1].isspace()
                                      or text[start - 1] in ",.亿万千"):
            start -= 1
        m = _AMOUNT.search(text, start, end + 1)
        if m:
            yield m
        after_last = end + 1
        end = text.find("元", after_last)


def _clean_name(name: str) -> str:
    name = _SPACES.sub("", name).strip("：:，,。 ")
    name = _EMPTY_BRACKETS.sub("", name)
    return name


_KEY_YEAR = re.compile(r"^\d{4}年度?")
_KEY_PAREN = re.compile(r"[（(][^）)]*[）)]$")
_KEY_ENDING = re.compile(r"(?:支出项目|经费项目|项目|支出|经费|资金|费)$")


def _name_key(name: str) -> str:
    """A project name reduced for comparison: no year/place prefix, no 项目/经费/费/支出 ending."""
    key = _KEY_YEAR.sub("", name)
    key = _KEY_PAREN.sub("", key)
    for _ in range(3):
        key = _KEY_ENDING.sub("", key) or key
    return key


def _same_project(a: str, b: str, name_key: Callable[[str], str] = _name_key) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return a == b
    return ka == kb or (min(len(ka), len(kb)) >= 4 and (ka in kb or kb in ka))


@dataclass
class _Block:
    name: str
    start: int
    end: int
    shape: str  # "table", "report" or "list"
    line: int = 0
    figures: dict = field(default_factory=dict)  # field -> (value, flow offset)
    actual_options: list = field(default_factory=list)  # (value, offset)
    rate_rank: int = 99


class ProjectLoader(FactLoader):
    """项目支出绩效自评: one fact per project with its budget, spending, execution rate and score."""

    kind = "project"
    FIELDS = ("budget_initial", "budget_final", "actual", "execution_rate", "score", "max_score")

    # ------------------------------------------------------------------------------------- anchors

    def _anchors(self) -> list[_Block]:
        flow = self.doc.flow
        found: dict[int, _Block] = {}

        def add(name: str, pos: int, shape: str) -> None:
            name = _clean_name(name)
            if len(name) < 2 or _NOT_A_PROJECT.search(name) or _NOT_A_NAME.search(name):
                return
            if pos not in found:
                found[pos] = _Block(name=name, start=pos, end=len(flow), shape=shape)

        for m in _TABLE_NAME.finditer(flow):
            add(m.group("name"), m.start("name"), "table")
        for m in _report_titles(flow):
            name = self._title_name(m.group("pre"))
            if name:
                add(name, m.start(), "report")
                continue
            # the name sits on the line after, in brackets ("（医保政策风险评估支出项目）"), or on the line
            # before ("东湖区2022年医疗救助补助资金 / 部门绩效评价报告")
            after = _PAREN_TITLE.match(flow, m.end() + 1) if m.end() < len(flow) else None
            if after:
                name = self._title_name(after.group("name"))
                if name:
                    add(name, after.start("name"), "report")
                continue
            prev_end = m.start() - 1
            prev_start = flow.rfind("\n", 0, max(prev_end, 0)) + 1
            prev = flow[prev_start:prev_end] if prev_end > 0 else ""
            if (m.group("pre").strip() and len(prev) <= 40 and not _CLAUSE_MARK.search(prev)
                    and _YEAR.search(prev)):
                name = self._title_name(prev)
                if name:
                    add(name, prev_start, "report")
        for m in _list_items(flow):
            add(m.group("name"), m.start("name"), "list")

        anchors = sorted(found.values(), key=lambda b: b.start)
        titles = [b.start for b in anchors if b.shape != "list"]
        for i, b in enumerate(anchors):
            if b.shape == "list":
                nxt = anchors[i + 1].start if i + 1 < len(anchors) else len(flow)
                line_end = flow.find("\n", b.start)
                head = _HEADING_LINE.search(flow, line_end + 1) if line_end >= 0 else None
                b.end = min(nxt, head.start() if head else len(flow))
            else:
                later = bisect_right(titles, b.start)  # titles are in order: the first one after b
                b.end = titles[later] if later < len(titles) else len(flow)
            b.line = self.doc.line_of(b.start)
        return anchors

    @staticmethod
    def _table_unit(text: str) -> str:
        """The money unit a project table states (``单位：元``, ``项目资金（元）``); 万元 when it says none."""
        # every statement holds 元 and 位 or a bracket, which dropping the spaces neither adds nor removes
        if "元" not in text or ("位" not in text and "（" not in text and "(" not in text):
            return "万元"
        # the spaces dropped as _SPACES.sub("", text) does, but faster: str.split() cuts at the same
        # characters (``\s`` is ``str.isspace``)
        units = [m.group(1) or m.group(2) for m in _TABLE_UNIT.finditer("".join(text.split()))]
        return units[-1] if units else "万元"

    @staticmethod
    def _title_name(text: str) -> str | None:
        """The project named by a title's text, or None for a generic title (部门整体支出, 项目支出 …)."""
        name = _clean_name(text)
        if _YEAR.search(name):
            name = _YEAR_PREFIX.sub("", name)
        if not name or _WHOLE_DEPARTMENT.search(name):
            return None
        name = _TITLE_ENDING.sub("", name)
        if not name or _GENERIC_TITLE.search(name):
            return None
        return _NAME_SUFFIX.sub("", name) or name

    # ----------------------------------------------------------------------------------- figures

    def _set(self, b: _Block, name: str, value: float | None, pos: int) -> None:
        if value is not None and name not in b.figures:
            b.figures[name] = (value, pos)

    def _read_block(self, b: _Block) -> None:
        flow = self.doc.flow
        text = flow[b.start:b.end]
        # the national table: header columns, then the 年度资金总额 row in the same order
        total = _TOTAL_ROW.search(text)
        # the Word table's 预算数：/ 执行数： cells (figure names, match)
        cells = []
        for rx, word, names in ((_TABLE_BUDGET, "预算数", ("budget_initial", "budget_final")),
                                (_TABLE_ACTUAL, "执行数", ("actual",))):
            # a match starts where its word does: the search starts at the word's first occurrence (the
            # lookbehind still sees the character before it)
            at = text.find(word)
            m = rx.search(text, at) if at >= 0 else None
            if m:
                cells.append((names, m))
        # only a table's money needs its unit, looked for in the running text before the block and the block's
        # text before its table (one slice of the flow)
        unit = None
        if total or cells:
            table_at = b.start + (total.start() if total else 0)
            unit = self._table_unit(flow[max(0, b.start - _UNIT_REACH):table_at])
        if total:
            header = _HEADER_NOISE.sub("", text[: total.start()])
            cols = _COLUMN.findall(header)
            nums = total.group("nums").split()
            offset = 0
            for col, tok in zip(cols, nums):
                offset = total.group("nums").find(tok, offset)
                pos = b.start + total.start("nums") + offset
                offset += len(tok)
                value = parse_number(tok.rstrip("%"))
                if value is not None and col in _MONEY_COLUMNS:
                    value = to_wan(value, unit)
                if col in ("年初预算数",):
                    self._set(b, "budget_initial", value, pos)
                elif col in ("全年预算数", "调整后预算数"):
                    self._set(b, "budget_final", value, pos)
                elif col == "预算数":
                    self._set(b, "budget_initial", value, pos)
                    self._set(b, "budget_final", value, pos)
                elif col in ("全年执行数", "执行数"):
                    self._set(b, "actual", value, pos)
                elif col == "执行率":
                    self._set(b, "execution_rate", value, pos)
                    b.rate_rank = 0
        for names, m in cells:
            for name in names:
                self._set(b, name, to_wan(parse_number(m.group("num")), unit), b.start + m.start("num"))
        m = _TOTAL_SCORE.search(text)
        if m:
            self._set(b, "score", parse_number(m.group("score")), b.start + m.start("score"))
            self._set(b, "max_score", parse_number(m.group("max")), b.start + m.start("max"))
        # prose
        rates = []
        for m in _RATE.finditer(text) if "%" in text else ():  # a rate ends in %
            rates.append((_RATE_RANK[m.group("word")], m.start(), m))
        if rates:
            rank, _, m = min(rates, key=lambda r: (r[0], r[1]))
            if rank < b.rate_rank:
                b.figures["execution_rate"] = (parse_number(m.group("num")), b.start + m.start("num"))
                b.rate_rank = rank
        for m in _amounts(text):
            before = text[max(0, m.start() - 40): m.start()]
            if _IGNORE_VERB.search(before):
                continue
            am, bm = _ACTUAL_VERB.search(before), _BUDGET_VERB.search(before)
            if not am and not bm:
                continue
            # parsed only when kept: parsing an _AMOUNT number never fails and has no other effect
            value = to_wan(parse_number(m.group("num")), m.group("unit"))
            pos = b.start + m.start("num")
            if am and (not bm or am.start() > bm.start()):
                b.actual_options.append((value, pos))
                continue
            if bm:
                word = bm.group("word")
                if word == "年初预算":
                    self._set(b, "budget_initial", value, pos)
                elif word in ("全年预算", "调整后预算", "下达", "到位", "拨付"):
                    self._set(b, "budget_final", value, pos)
                else:
                    self._set(b, "budget_initial", value, pos)
                    self._set(b, "budget_final", value, pos)
        m = _SCORE.search(text) if "分" in text else None  # a score ends in 分
        if m:
            self._set(b, "score", parse_number(m.group("num")), b.start + m.start("num"))
        if b.shape == "list":
            colon = _COLON.search(text)
            m = _LEAD_SCORE.match(text, colon.end()) if colon else None
            if m:
                self._set(b, "score", parse_number(m.group("num")), b.start + m.start("num"))
        if "actual" not in b.figures and b.actual_options:
            b.figures["actual"] = self._pick_actual(b.actual_options, b.figures)

    @staticmethod
    def _agrees(actual: float, figures: dict) -> bool:
        budget = (figures.get("budget_final") or figures.get("budget_initial") or (None,))[0]
        rate = (figures.get("execution_rate") or (None,))[0]
        if not budget or rate is None:
            return False
        return abs(actual / budget * 100 - rate) <= RATE_TOLERANCE_PCT

    def _pick_actual(self, options: list, figures: dict) -> tuple:
        """Of several spending figures: the one agreeing with the execution rate, else the last before it."""
        agreeing = [o for o in options if self._agrees(o[0], figures)]
        if agreeing:
            return agreeing[0]
        rate = figures.get("execution_rate")
        if rate:
            before = [o for o in options if o[1] < rate[1]]
            if before:
                return before[-1]
        return options[0]

    # ------------------------------------------------------------------------------------- merging

    def _merge(self, blocks: list[_Block]) -> list[dict]:
        records: list[dict] = []
        name_key = lru_cache(maxsize=None)(_name_key)  # each name is compared many times: reduce it once
        for b in blocks:
            figs = dict(b.figures)
            if not figs:
                continue
            target = None
            for rec in records:
                if not _same_project(rec["project"], b.name, name_key):
                    continue
                clash = [k for k, (v, _) in figs.items()
                         if k != "max_score" and rec["figs"].get(k) and abs(rec["figs"][k][0] - v) > 1e-6]
                if len(clash) <= 1:
                    target = rec
                    break
            if target is None:
                records.append({"project": b.name, "figs": figs, "shape": b.shape, "line": b.line})
                continue
            for k, (v, pos) in figs.items():
                old = target["figs"].get(k)
                if old is None:
                    target["figs"][k] = (v, pos)
                elif abs(old[0] - v) > 1e-6:
                    figs_now = target["figs"]
                    if k == "actual" and self._agrees(v, figs_now) and not self._agrees(old[0], figs_now):
                        target["figs"][k] = (v, pos)
                    self.finding("project_restated", f"{target['project']}: {k} stated as {old[0]:g} "
                                 f"(line {self.doc.line_of(old[1])}) and {v:g} "
                                 f"(line {self.doc.line_of(pos)})",
                                 self.doc.line_of(pos))
        return records

    def extract(self) -> list[dict]:
        """Find every project's figures (tables, reports, numbered lists) and merge them by project."""
        blocks = self._anchors()
        for b in blocks:
            self._read_block(b)
        out = []
        for rec in self._merge(blocks):
            figs = rec["figs"]
            has_result = "score" in figs or "execution_rate" in figs
            has_money = any(k in figs for k in ("budget_initial", "budget_final", "actual"))
            # a numbered list item needs money and a result; a table or report needs a result or its spending
            in_list = rec["shape"] == "list"
            if not ((has_result and (has_money or not in_list)) or (not in_list and "actual" in figs)):
                continue
            cand = {k: (figs[k][0] if k in figs else None) for k in self.FIELDS}
            if cand["max_score"] is None and cand["score"] is not None and cand["score"] <= 100:
                cand["max_score"] = 100.0
            lines = sorted(self.doc.line_of(pos) for _, pos in figs.values())
            cand.update(project=rec["project"], line=lines[0], snippet_last=min(lines[-1], lines[0] + 3))
            out.append(cand)
        return out

    def validate(self, facts: list[dict]):
        """Check each project's 执行数 / 预算数 against its stated 执行率 (findings only; figures stay as stated).

        Parameters
        ----------
        facts:
            Transformed facts.
        """
        for f in facts:
            budget = f.get("budget_final") or f.get("budget_initial")
            actual, rate = f.get("actual"), f.get("execution_rate")
            if budget and actual is not None and rate is not None:
                computed = actual / budget * 100
                if abs(computed - rate) > RATE_TOLERANCE_PCT:
                    self.finding("project_rate", f"{f['project']}: 执行率 stated {rate:g}% but 执行数 {actual:g} / "
                                 f"预算数 {budget:g} = {computed:.2f}%", f["line"])
        return super().validate(facts)

    def dedupe_key(self, fact: dict) -> tuple:
        """A project restated with the same figures is one fact; different figures stay apart."""
        return (fact["project"],) + tuple(fact.get(k) for k in self.FIELDS)
