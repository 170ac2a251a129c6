"""Money figures stated in tables: Word tab tables and flattened PDF tables.

Every decision is read from the table's own language, never from a bureau, a file or a known value:

* **Column headers** decide measure and year: ``年初预算数`` → budget_initial, ``全年预算数`` / ``调整预算数`` →
  budget_final, ``全年执行数`` / ``决算数`` / ``实际支出`` → actual, ``执行率`` → the completion percentage of the
  row's actual, ``2020年决算数`` in a 2021 document → year 2020; ``分值`` / ``得分`` / ``编制数`` … are columns
  that hold no money.  In a PDF table the header is often broken over several short lines; the words are
  read from the text gathered since the last figure row, in order.
* **Transposed tables** (items across, measures down: ``项目 | 支出合计 | 基本支出 …`` then ``年初部门预算 | …``)
  and **label–value pairs** (``预算数： | 5 | 执行数： | 4.5``, ``其中：一般公共预算 | 605.2 | 基本支出 | 610.11``).
* **Chart data** left in converted text (``2020年 2021年 1532.12 2529.41`` under a chart title).
* **Unit** from the nearest ``单位：万元`` / ``单位：元`` / ``（万元）`` before the figure (元 and 亿元 → 万元).
* **Scope**: a project table (``项目名称 …``, ``（…项目）`` title) → ``project:<name>``; 三公经费 → fiscal;
  a label naming 一般公共预算 / 政府性基金 → that scope; a table title naming 财政拨款 → fiscal; else all.

``table_amounts(doc, meta)`` returns amount candidates (contract fields + ``line`` + optional ``year``) for
the amount loader to transform, merge with the prose figures and validate.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import partial

from ..document import Document, Row, Table, squeeze
from ..memo import Memo
from ..numbers import UNIT_FACTOR, parse_number, to_wan
from ..vocab import EXACT_ITEMS, classify_item, normalize_label, scope_of
from .base import DocMeta

__all__ = ["table_amounts", "column_kind", "ColumnKind"]

# how many lines above a table are read for its title, unit, header and project name
CONTEXT_LINES = 40
# how much of the text since the last figure row is kept for header words, labels and project names
BUFFER_CHARS = 160

# --------------------------------------------------------------------------------------- column words


@dataclass(frozen=True)
class ColumnKind:
    """What one table column holds: money of a measure (maybe of a year), a percentage, or nothing of ours."""

    kind: str  # "money", "pct", "skip"
    measure: str | None = None
    year: int | None = None
    year_offset: int | None = None  # 上年 → -1, 本年 → 0


# one alternation, longest phrases first, so a header text is cut into its column words left to right;
# the leading lookahead lists the first characters of all the alternatives, so that the scan skips the other
# positions at once instead of trying every alternative there (keep it in step with the words)
_COLUMN_WORD = re.compile(
    r"(?=[12上本年部批预全调执完决支实分得权编在控比占增])(?:"
    r"(?P<year>(?:19|20)\d{2})\s*年度?\s*(?P<ymeasure>年初预算数|年初预算|预算数|预算|决算数|决算|执行数|实际支出数|实际支出|实际数)"
    r"|(?P<rel>上年|本年|上年度|本年度)(?P<rmeasure>年初预算数|预算数|决算数|执行数|实际数|数)"
    r"|(?P<initial>年初部门预算数?|年初预算数|年初预算|部门预算数|年初批复数|批复预算数|预算批复数)"
    r"|(?P<final>全年预算数|全年预算|调整后预算数|调整后预算|调整预算数|预算调整数|调整预算)"
    r"|(?P<pct>预算执行率|执行率|完成率|执行进度)"
    r"|(?P<actual>全年执行数|部门决算数|决算数|执行数|实际支出数|实际支出|实际执行数|支出数|完成数|实际数)"
    r"|(?P<budget>预算数)"
    r"|(?P<skip>分值|得分|权重|编制数|在职人数|实有人数|控制率|比重|占比|增减率|增长率|增减额|增减))"
)
# how every ``_COLUMN_WORD`` word starts (keep in step with the words): its first two characters and the
# third that can follow them, or a year up to its 年.  A word can only start where this matches, and this
# alternation, every branch of which starts with a literal, is found far faster than a ``_COLUMN_WORD``
# attempt fails
_COLUMN_WORD_HEAD = re.compile(
    r"19\d\d\s*年|20\d\d\s*年|上年[度年预决执实数]|本年[度年预决执实数]"
    r"|年初[部预批]|部门[预决]|批复预|预算[批调执数]|全年[预执]|调整[后预]"
    r"|执行[率进数]|完成[率数]|决算数|实际[支执数]|支出数"
    r"|分值|得分|权重|编制数|在职人|实有人|控制率|比重|占比|增减|增长率"
)
# words that make a header an indicator (绩效指标) table: its numbers are no money
_INDICATOR_HEADER = re.compile(r"指标值|完成值|三级指标|二级指标|一级指标|指标名称")


def _initial_or_final(budget_doc: bool) -> str:
    return "budget_initial" if budget_doc else "budget_final"


def column_kind(text: str, fiscal_year: int | None = None, budget_doc: bool = False) -> ColumnKind | None:
    """The kind of column a header cell names, or None when it names no column of ours.

    Parameters
    ----------
    text:
        The header cell (spaces and line breaks are ignored).
    fiscal_year:
        The document's fiscal year, to resolve 上年 / 本年.
    budget_doc:
        Whether the document is a 部门预算 (then a bare 预算数 is the initial budget).
    """
    kinds = header_columns(squeeze(text or "").replace(" ", ""), fiscal_year, budget_doc)[0]
    return kinds[0] if len(kinds) == 1 else None


def header_columns(text: str, fiscal_year: int | None, budget_doc: bool) -> tuple[list[ColumnKind], int]:
    """The column words of a header text, in order, and where the last one ends.

    Parameters
    ----------
    text:
        Header text with layout spaces removed.
    fiscal_year:
        The document's fiscal year.
    budget_doc:
        Whether the document is a 部门预算.
    """
    spans = header_columns_spans(text, fiscal_year, budget_doc)
    return [k for k, _, _ in spans], (spans[-1][2] if spans else 0)


# the text between two column words of one header run: a unit, a (%) mark, a stray word of a broken cell
HEADER_GAP = 8


def _last_header_run(spans: list[tuple[ColumnKind, int, int]]) -> tuple[list[ColumnKind], int, int]:
    """The last run of column words that follow each other closely (one header), with its start and end."""
    if not spans:
        return [], 0, 0
    first = len(spans) - 1
    while first > 0 and spans[first][1] - spans[first - 1][2] <= HEADER_GAP:
        first -= 1
    run = spans[first:]
    return [k for k, _, _ in run], run[0][1], run[-1][2]


def header_columns_spans(text: str, fiscal_year: int | None, budget_doc: bool,
                         pos: int = 0) -> list[tuple[ColumnKind, int, int]]:
    """The column words of a header text, in order, each with its start and end in ``text``.

    Parameters
    ----------
    text:
        Header text with layout spaces removed.
    fiscal_year:
        The document's fiscal year.
    budget_doc:
        Whether the document is a 部门预算.
    pos:
        Where in ``text`` the scan starts.
    """
    return _spans_from(text, fiscal_year, budget_doc, _COLUMN_WORD_HEAD.search(text, pos))


def _spans_from(text: str, fiscal_year: int | None, budget_doc: bool,
                head: re.Match | None) -> list[tuple[ColumnKind, int, int]]:
    """``header_columns_spans(text, …, pos)``, given ``head``: ``_COLUMN_WORD_HEAD.search(text, pos)``."""
    # ``_COLUMN_WORD.finditer(text, pos)``, attempting only where a word can start: ``finditer`` attempts at
    # every position and goes on after a match from its end; the attempts elsewhere fail (no anchor, no
    # lookbehind: an attempt depends on the text from its position on)
    spans = []
    while head:
        m = _COLUMN_WORD.match(text, head.start())
        if m:
            spans.append((_match_kind(m, fiscal_year, budget_doc), m.start(), m.end()))
            pos = m.end()
        else:
            pos = head.start() + 1
        head = _COLUMN_WORD_HEAD.search(text, pos)
    return spans


# the kinds of the column words that name no year (immutable: shared)
_PLAIN_KINDS = {
    "initial": ColumnKind("money", "budget_initial"),
    "final": ColumnKind("money", "budget_final"),
    "pct": ColumnKind("pct"),
    "actual": ColumnKind("money", "actual"),
    "skip": ColumnKind("skip"),
}
_BUDGET_KINDS = {True: ColumnKind("money", _initial_or_final(True)), False: ColumnKind("money", _initial_or_final(False))}


def _match_kind(m: re.Match, fiscal_year: int | None, budget_doc: bool) -> ColumnKind:
    """The column kind of one ``_COLUMN_WORD`` match."""
    g = m.lastgroup
    # a word of the initial/final/pct/actual/skip branches: its group is the last one matched (the branches
    # exclude each other), and the year and rel groups are then empty, so the tests below would give this
    kind = _PLAIN_KINDS.get(g)
    if kind is not None:
        return kind
    if m.group("year"):
        word = m.group("ymeasure")
        if "决算" in word or "执行" in word or "实际" in word:
            measure = "actual"
        elif "年初" in word:
            measure = "budget_initial"
        else:
            # a year's 预算数 is that year's approved (initial) budget
            measure = "budget_initial"
        return ColumnKind("money", measure, int(m.group("year")))
    if m.group("rel"):
        word = m.group("rmeasure")
        off = -1 if m.group("rel").startswith("上年") else 0
        measure = "actual" if ("决算" in word or "执行" in word or "实际" in word or word == "数") else \
            "budget_initial"
        year = fiscal_year + off if fiscal_year else None
        return ColumnKind("money", measure, year, off)
    if g == "budget":
        return _BUDGET_KINDS[bool(budget_doc)]
    kind = _PLAIN_KINDS.get(g)
    return kind if kind is not None else ColumnKind("skip")


# the most text one ``_COLUMN_WORD`` match can read when the text holds no whitespace (only its ``\s*`` can
# stretch a match): ``2020年度年初预算数``, 4 digits + 年度 + a 5-character measure (keep in step with the words)
_COLUMN_WORD_REACH = 11


def _has_space(text: str) -> bool:
    """Whether ``text`` holds a character ``\\s`` matches (or is empty: a caution that costs nothing).

    ``str.split()`` cuts at exactly those characters (both test ``Py_UNICODE_ISSPACE``), quicker than a regex.
    """
    return text.split() != [text]


def _spans_after(old: str, old_spans: list[tuple[ColumnKind, int, int]], spaceless_from: int, cut: int,
                 new: str, fiscal_year: int | None, budget_doc: bool) -> list[tuple[ColumnKind, int, int]]:
    """``header_columns_spans(new, …)``: ``new`` is ``old`` + more text, less its first ``cut`` characters.

    Only the text near the two ends of ``new`` is read again; the words of ``old`` between are kept where the
    two scans must agree.  Why the result is the same: ``_COLUMN_WORD`` has no anchor and no lookbehind, so
    its attempt at a position depends on the text from there on only; in a text without whitespace an
    attempt at ``p`` reads less than ``_COLUMN_WORD_REACH`` characters, so an attempt at
    ``p < len(old) - REACH`` gives the same result in ``old`` and in ``new`` (the same characters, and the
    end of ``old`` is not reached).  A scan attempts at every position that is not inside one of its words.

    * front — ``new`` is scanned from its start, stepping with ``match`` as ``finditer`` does, until the scan
      is at a position where the scan of ``old`` attempted too (not inside one of the words of ``old``);
    * middle — from there both scans attempt at the same positions with the same results up to ``restart``,
      the last position before ``len(old) - REACH`` (included) where the scan of ``old`` attempted: the
      words of ``old`` there are kept;
    * end — a scan of ``new`` from ``restart`` gives the rest.

    Parameters
    ----------
    old, old_spans:
        The previous text and all its column words (``header_columns_spans(old, …)``).
    spaceless_from:
        ``old[spaceless_from:]`` holds no whitespace (the words are read anew when whitespace may follow
        ``cut``: an ``\\s*`` can stretch a match).
    cut:
        How many characters of ``old`` + more text were dropped at the front to make ``new``.
    new:
        The text to scan.
    fiscal_year, budget_doc:
        As for ``_match_kind``.
    """
    if cut >= len(old) or spaceless_from > cut:
        return header_columns_spans(new, fiscal_year, budget_doc)
    if not old_spans:
        # no words: the scan of ``old`` attempted everywhere, at ``cut`` and at ``len(old) - REACH`` too
        return header_columns_spans(new, fiscal_year, budget_doc, max(0, len(old) - _COLUMN_WORD_REACH - cut))
    spans: list[tuple[ColumnKind, int, int]] = []
    # front (q is a position of ``old``: a position of ``new`` + cut)
    q = cut
    i = 0  # the first word of ``old`` that ends after q
    n_old = len(old_spans)
    while True:
        while i < n_old and old_spans[i][2] <= q:
            i += 1
        if i == n_old or old_spans[i][1] >= q:
            break  # q is not inside a word of ``old``
        m = _COLUMN_WORD.match(new, q - cut)
        if m:
            spans.append((_match_kind(m, fiscal_year, budget_doc), m.start(), m.end()))
            q = m.end() + cut
        else:
            q += 1
    # middle
    restart = len(old) - _COLUMN_WORD_REACH
    if restart <= q:
        restart = q
    else:
        for _, s, e in old_spans[i:]:
            if s >= restart:
                break
            if e > restart:
                restart = s  # restart falls inside this word: the scan of ``old`` attempted at its start
                break
    for kind, s, e in old_spans[i:]:
        if s >= restart:
            break
        spans.append((kind, s - cut, e - cut))
    # end
    spans.extend(header_columns_spans(new, fiscal_year, budget_doc, restart - cut))
    return spans


# ------------------------------------------------------------------------------------ context phrases

_UNIT = re.compile(r"单位[:：]\s*(?P<u>亿元|万元|千元|元)|[（(](?P<u2>亿元|万元|千元|元)[）)]")
_PROJECT_NAME = re.compile(
    r"项目(?:支出)?名称[:：]?(?P<name>[^\n]{2,60}?)(?=主管部门|实施单位|项目负责人|项目资金|预算单位|\n|$)"
)
_PROJECT_TITLE = re.compile(r"^[（(](?P<name>[^（()）]{2,40}?)(?:支出)?项目[）)]$")
_OPEN_PARENS = frozenset("（(")
_PROJECT_TABLE = re.compile(r"^(?:\d{4}年度?)?(?P<name>[^\s，。；]{2,40}?)(?:支出)?项目(?:支出)?绩效(?:自评|目标)")
_TITLE_LIKE = re.compile(r"(?:表|情况|总计|合计|图)$")
_TITLE_LAST = frozenset("表况计图\n")  # the last character of any text _TITLE_LIKE finds a match in
_PROJECT_MONEY = re.compile(r"项目资金|资金总额|预算执行情况|资金情况|项目预算")
_LABEL_PREFIX = re.compile(r"^[^：:]{1,8}[：:](?=.)")  # 资金来源：（1）财政拨款
_CLASS_MARK = re.compile(r"[（(]类[）)](?=支出$)")
_UNIT_TAIL = re.compile(r"^.*[（(](?:亿元|万元|千元|元)[）)]")
_PCT_TOKEN = re.compile(r"^[-+]?\d+(?:\.\d+)?%$")  # (any text it matches holds "%": a cheap test first)
_DASH = re.compile(r"^[—\-–]{1,2}$")
_DASH_FIRST = frozenset("—-–")  # the first character of any text _DASH matches (a cheap test first)
_YEAR_LABEL = re.compile(r"^(?P<y>(?:19|20)\d{2})年度?$")
_GENERIC_TOTAL = ("合计", "小计", "总计")
_PROSE = re.compile(r"[，。；！？]|万元")  # a row label never holds running-text punctuation
_UNIT_MARK = re.compile(r"[（(](?:亿元|万元|千元|元)[）)]")
_STAGE_WORDS = re.compile(r"决算|预算|、")
MAX_LABEL = 40


# two spellings of one project name (事务中心窗口工作人员服装费 / 中心窗口工作人员服装经费) at least this similar
PROJECT_NAME_SIMILARITY = 0.8


def _bare_project(name: str) -> str:
    """A project name without layout spaces, colons and its trailing (支出)项目."""
    name = squeeze(name).replace("\t", "").strip("：: ")
    return re.sub(r"(?:支出)?项目$", "", name)


def _is_num(text: str) -> bool:
    t = text.strip()
    return bool(t) and (parse_number(t) is not None or ("%" in t and bool(_PCT_TOKEN.match(t))))


def _num(text: str) -> float | None:
    t = text.strip().rstrip("%")
    return parse_number(t)


@dataclass
class _State:
    """What has been read of a table so far."""

    unit: str = "万元"
    project: str | None = None
    title: str = ""
    scope: str = "all"
    columns: list[ColumnKind] | None = None  # PDF: columns in order; Word: by cell index (None = no column)
    by_index: dict[int, ColumnKind] = field(default_factory=dict)  # Word header columns
    pair_measure: dict[int, str] = field(default_factory=dict)  # Word label–value pairs: measure by index
    item_cols: dict[int, tuple[str, str]] = field(default_factory=dict)  # transposed tables: items across
    last_measure: str | None = None  # transposed tables: the measure of the last measure row
    buffer: str = ""  # PDF: text since the last figure row
    last_text: str = ""  # the last text line read (a chart's title)
    ahead: dict[int, ColumnKind] = field(default_factory=dict)  # Word: the next header of measures below
    label_from: int = 0  # PDF: where the text after the header words starts in ``buffer``
    scanned: str | None = None  # PDF: the ``buffer`` whose column words are ``spans``
    spans: list[tuple[ColumnKind, int, int]] = field(default_factory=list)  # … (kind, start, end) each
    spaceless_from: int = 0  # PDF: ``scanned[spaceless_from:]`` holds no whitespace


class _TableReader:
    """Reads the tables of one document (see the module docstring)."""

    def __init__(self, doc: Document, meta: DocMeta):
        self.doc = doc
        self.meta = meta
        self.fy = meta.fiscal_year
        self.budget_doc = any("预算" in t for t in (meta.doc_types or [])) and not any(
            "决算" in t or "自评" in t for t in (meta.doc_types or []))
        self.default_measure = "budget_initial" if self.budget_doc else "actual"
        self.out: list[dict] = []
        self._names: list[tuple[str, int]] | None = None
        # the answers of pure functions of a cell or line text, each computed once per distinct text: a table
        # repeats its labels and header words, and every cell is tested by several readers
        self._numeric = Memo(_is_num)
        self._value = Memo(_num)
        self._kind = Memo(partial(column_kind, fiscal_year=self.fy, budget_doc=self.budget_doc))
        self._scope_of = Memo(scope_of)
        # _classify depends on the state only through whether a project is read: by (label, that)
        self._item_of = Memo(lambda key: self._classify_label(*key))
        self._canonical_of: dict[tuple[str, int], str] = {}

    # ----------------------------------------------------------------------------------------- driver

    def run(self) -> list[dict]:
        prev_end = 0
        compact = self.doc.compact  # (a property: built once, then the same list)
        for table in self.doc.tables:
            state = _State()
            start = max(prev_end + 1, table.line - CONTEXT_LINES)
            for n in range(start, table.line):
                text = compact[n - 1]
                if text:
                    self._text(state, text, n)
            if table.rows[0].source == "tab":
                self._word_table(table, state)
            else:
                self._pdf_table(table, state)
            # ``max(r.last_line for r in table.rows)``: the lines of all cells, and those of rows without any
            prev_end = max([c.line for r in table.rows for c in r.cells] +
                           [r.line for r in table.rows if not r.cells])
        return self.out

    # ------------------------------------------------------------------------------------ text lines

    def _text(self, state: _State, text: str, line: int, pdf: bool = True) -> None:
        """A text line above or inside a table: title, unit, project name, header words."""
        # each test below first looks for what any match must hold: 元 (_UNIT), 项目 (_PROJECT_TITLE and
        # _PROJECT_TABLE), a last character 表/况/计/图 or a line break that ``$`` may stand before (_TITLE_LIKE)
        if "元" in text:
            for m in _UNIT.finditer(text):
                state.unit = m.group("u") or m.group("u2")
        if "项目" in text:
            m = _PROJECT_TITLE.match(text) or _PROJECT_TABLE.match(text)
            if m and not text.startswith("部门"):
                self._set_project(state, m.group("name"), line)
        if len(text) <= 40 and text[-1:] in _TITLE_LAST and _TITLE_LIKE.search(text) and \
                not self._numeric[text]:
            state.title = text
            state.scope = "fiscal" if scope_of(text) == "fiscal" and "财政拨款" in text else "all"
        if not pdf:
            return
        old = state.buffer
        buffer = old + text
        cut = len(buffer) - BUFFER_CHARS  # keep the last BUFFER_CHARS characters
        if cut > 0:
            buffer = buffer[cut:]
        else:
            cut = 0
        state.buffer = buffer
        state.last_text = text
        # "名称" is in every text _PROJECT_NAME matches
        m = _PROJECT_NAME.search(buffer) if "名称" in buffer else None
        if m:
            self._set_project(state, m.group("name"), line)
            buffer = state.buffer = buffer[m.end():]
            cut += m.end()
        if cut:
            # where the text after the header words starts moves with the buffer's start (to its start once
            # the header words have left the buffer)
            state.label_from = max(0, state.label_from - cut)
        # the buffer read before holds no _INDICATOR_HEADER word (it would have been emptied), so a word can
        # only end in the new text, and starts at most 3 characters before it (the words are 3 or 4 long);
        # and "指标" or "完成值" is in each of them
        tail = buffer[-len(text) - 3:]
        if ("指标" in tail or "完成值" in tail) and _INDICATOR_HEADER.search(buffer):
            state.columns = None
            state.buffer = ""
            return
        # the column words of the buffer, read anew only near its ends (the same words as a scan of all of it)
        old_spans = state.spans
        spaceless_from = state.spaceless_from
        if state.scanned is old and cut < len(old) and spaceless_from <= cut:
            if old_spans:
                spans = _spans_after(old, old_spans, spaceless_from, cut, buffer, self.fy,
                                     self.budget_doc)
            else:
                # ``_spans_after`` without words in ``old``: the scan of ``old`` attempted everywhere and
                # found nothing, at ``len(old) - REACH`` too, where a scan of ``buffer`` from there starts
                start = len(old) - _COLUMN_WORD_REACH - cut
                head = _COLUMN_WORD_HEAD.search(buffer, start if start > 0 else 0)
                spans = _spans_from(buffer, self.fy, self.budget_doc, head) if head else []
            # what is left of ``old`` holds no whitespace (spaceless_from <= cut); the new text may hold some
            # (``text.split() != [text]``: ``_has_space(text)``, written out)
            spaceless_from = len(buffer) if text.split() != [text] else 0
        else:
            spans = header_columns_spans(buffer, self.fy, self.budget_doc)
            spaceless_from = len(buffer) if _has_space(buffer) else 0
        state.scanned, state.spans, state.spaceless_from = buffer, spans, spaceless_from
        if not spans:
            return  # no column words: neither branch below applies
        cols, _, end = _last_header_run(spans)
        kinds = [c.kind for c in cols]
        money = kinds.count("money")
        if money >= 2 or (money and "pct" in kinds):
            state.columns = cols
            state.label_from = end
        elif len(kinds) >= 2 and kinds.count("skip") == len(kinds):
            # a header of counts (编制数, 在职人数, 控制率 …): its rows hold no money
            state.columns = []
            state.label_from = end

    def _project_names(self) -> list[tuple[str, int]]:
        """Project names with the line of their first mention (headings ``（…项目）``, ``项目名称：…``)."""
        if self._names is None:
            self._names = []
            seen = set()
            compact = self.doc.compact
            for n in [n for n, text in enumerate(self.doc.clean, 1) if "项目" in text]:
                t = compact[n - 1]
                # a title starts with a parenthesis, and "名称" is in every text _PROJECT_NAME matches
                m = (t[:1] in _OPEN_PARENS and _PROJECT_TITLE.match(t)) or (
                    "名称" in t and _PROJECT_NAME.search(t))
                if m:
                    name = _bare_project(m.group("name"))
                    if name and name not in seen:
                        seen.add(name)
                        self._names.append((name, n))
        return self._names

    def _canonical_project(self, name: str, line: int) -> str:
        """The name a project was given where the document first spoke of it (tables often vary it).

        Only names mentioned before ``line`` count; an exact earlier mention wins, then one name containing
        the other, then the most similar spelling.
        """
        names = self._project_names()
        # the names are listed in the order of their lines: those before ``line`` are the first ``k``, and the
        # answer depends on the name and ``k`` only
        k = bisect_left([n for _, n in names], line)
        key = (name, k)
        if key not in self._canonical_of:
            self._canonical_of[key] = self._canonical_among([x for x, _ in names[:k]], name)
        return self._canonical_of[key]

    @staticmethod
    def _canonical_among(earlier: list[str], name: str) -> str:
        """``_canonical_project`` given the names mentioned earlier."""
        if name in earlier:
            return name
        inside = [x for x in earlier if min(len(x), len(name)) >= 4 and (x in name or name in x)]
        if len(inside) == 1:
            return inside[0]
        best, ratio = name, PROJECT_NAME_SIMILARITY
        matcher = difflib.SequenceMatcher(None, "", name)  # what it learns of ``name`` serves every x
        for x in earlier:
            matcher.set_seq1(x)
            # real_quick_ratio() >= quick_ratio() >= ratio(): a name whose bounds stay below ``ratio`` is no
            # better, and ratio() is only computed for the others
            if matcher.real_quick_ratio() < ratio or matcher.quick_ratio() < ratio:
                continue
            r = matcher.ratio()
            if r >= ratio:
                best, ratio = x, r
        return best

    def _set_project(self, state: _State, name: str, line: int) -> None:
        name = _bare_project(name)
        if 2 <= len(name) <= 40:
            name = self._canonical_project(name, line)
            state.project = name
            state.columns = None
            state.by_index = {}
            state.pair_measure = {}
            state.item_cols = {}

    # ------------------------------------------------------------------------------------ labels

    def _classify(self, label: str, state: _State) -> tuple[str, str] | None:
        """Item and category of a row label (layout noise, 资金来源： prefixes, 部门 prefixes removed)."""
        return self._item_of[label, bool(state.project)]

    def _classify_label(self, label: str, in_project: bool) -> tuple[str, str] | None:
        """``_classify`` of a label, in a project's table or not."""
        # (a regex below is skipped where a character every match of it holds is missing: 类, 元, a colon)
        label = squeeze(label)
        if "类" in label:
            label = _CLASS_MARK.sub("", label)
        if "元" in label:
            label = _UNIT_MARK.sub("", label)
        if not label or self._numeric[label] or _PROSE.search(label) or len(label) > MAX_LABEL:
            return None
        if in_project and _PROJECT_MONEY.search(label) and not re.search(r"财政|结转|其他", label):
            return "年度资金总额", "total"
        got = classify_item(label)
        # without a colon _LABEL_PREFIX changes nothing, and the tail below is the label itself
        if ("：" in label or ":" in label) and (
                got is None or got[0] == normalize_label(label) and _LABEL_PREFIX.match(label)):
            tail = _LABEL_PREFIX.sub("", label)
            if tail != label:
                got = classify_item(tail) or got
        if got is None:
            return None
        item, category = got
        if item.startswith("部门") and item[2:] in EXACT_ITEMS:
            item, category = item[2:], EXACT_ITEMS[item[2:]]
        elif item not in EXACT_ITEMS:
            # 收、支决算总计 (a chart title) → 收支总计
            bare = _STAGE_WORDS.sub("", item)
            if bare in EXACT_ITEMS:
                item, category = bare, EXACT_ITEMS[bare]
        return item, category

    def _scope(self, item: str, category: str, state: _State) -> str:
        if state.project:
            return f"project:{state.project}"
        if category == "three_public":
            return "fiscal"
        s = self._scope_of[item]
        if s in ("general_public", "gov_fund"):
            return s
        return state.scope

    # --------------------------------------------------------------------------------------- output

    def _emit(self, state: _State, item: str, category: str, measure: str, text: str, line: int,
              year: int | None = None, pct: float | None = None) -> None:
        v = self._value[text]
        if v is None:
            return
        value = to_wan(v, state.unit if state.unit in UNIT_FACTOR else "万元")
        cand = {
            "item": item, "category": category, "measure": measure,
            "scope": self._scope(item, category, state), "value_wan": value, "pct": pct,
            "pct_basis": "completion" if pct is not None else None, "line": line,
        }
        if year is not None and year != self.fy:
            cand["year"] = year
        self.out.append(cand)

    def _emit_columns(self, state: _State, label: tuple[str, str], values: list[tuple[str, int]],
                      cols: list[ColumnKind | None]) -> None:
        """Emit one row's values under its columns; a 执行率 column goes with the row's actual."""
        pct = None
        for (text, _), col in zip(values, cols):
            if col is not None and col.kind == "pct" and self._numeric[text]:
                pct = self._value[text]
        item, category = label
        for (text, line), col in zip(values, cols):
            if col is None or col.kind != "money" or not self._numeric[text] or (
                    "%" in text and _PCT_TOKEN.match(text.strip())):
                continue
            year = col.year
            if col.year_offset is not None and self.fy:
                year = self.fy + col.year_offset
            self._emit(state, item, category, col.measure, text, line, year,
                       pct if col.measure == "actual" else None)

    # ------------------------------------------------------------------------------------- PDF tables

    def _pdf_table(self, table: Table, state: _State) -> None:
        for row in table.rows:
            if len(row.cells) == 1:
                self._text(state, row.cells[0].text, row.line)
                continue
            self._pdf_row(row, state)
            state.buffer, state.label_from, state.last_text = "", 0, ""

    def _pdf_row(self, row: Row, state: _State) -> None:
        parts = [p.strip() for p in row.raw.split("\t") if p.strip()]
        isnum = [self._numeric[p] for p in parts]  # each part tested once
        labels = [p for p, num in zip(parts, isnum) if not num]
        nums = [p for p, num in zip(parts, isnum) if num]
        if len(parts) > 2 and len(labels) == len(nums) >= 2 and parts[:len(labels)] == labels:
            self._chart_row(row, state, labels, nums)
            return
        first = row.cells[0]
        dash = first.text[:1] in _DASH_FIRST and _DASH.match(first.text)
        label = None if self._numeric[first.text] or dash else first.text
        values = [(c.text, c.line) for c in row.cells[(0 if label is None else 1):]]
        if label is None:
            label = _UNIT_TAIL.sub("", state.buffer[state.label_from:])
        if not state.columns or not label:
            return
        got = self._classify(label, state)
        if got is None:
            return
        self._emit_columns(state, got, values, list(state.columns[: len(values)]))

    def _chart_row(self, row: Row, state: _State, labels: list[str], nums: list[str]) -> None:
        """Chart data: category labels followed by as many values (years across, or items across)."""
        years = [_YEAR_LABEL.match(squeeze(x)) for x in labels]
        if all(years):
            got = self._classify(state.last_text, state)
            if got is None:
                return
            for y, text in zip(years, nums):
                self._emit(state, got[0].replace("、", ""), got[1], self.default_measure, text, row.line,
                           int(y.group("y")))
            return
        # items across (基本支出 | 项目支出 | 603.98 | 1565.91): a chart restates figures of the text without
        # saying whose money they are, so they are left to the running text

    # ------------------------------------------------------------------------------------ Word tables

    def _column_kinds(self, texts: list[str]) -> dict[int, ColumnKind]:
        """The columns the cells of a row name, by cell index (cells that name none left out)."""
        kinds = {i: self._kind[t] for i, t in enumerate(texts) if t}
        return {i: k for i, k in kinds.items() if k is not None}

    @staticmethod
    def _money_header(kinds: dict[int, ColumnKind] | None) -> dict[int, ColumnKind] | None:
        """The columns of a Word row that is a header of measures (no numbers, two column words or more).

        ``kinds`` are the row's ``_column_kinds``, None for a row that holds a number.
        """
        if kinds is None:
            return None
        money = sum(k.kind == "money" for k in kinds.values())
        return kinds if money >= 2 else None

    def _word_table(self, table: Table, state: _State) -> None:
        # each row's cell texts, which of them are numbers, and for a row without numbers the columns its
        # cells name: computed once here for the look-ahead below, the row and its header reading
        texts = [[c.text for c in row.cells] for row in table.rows]
        isnum = [[self._numeric[t] for t in row_texts] for row_texts in texts]
        kinds = [None if any(row_isnum) else self._column_kinds(row_texts)
                 for row_texts, row_isnum in zip(texts, isnum)]
        # the next header of measures below each row: used only for rows of several unlabelled values that
        # no header above explains (a table whose rows were put out of order)
        ahead: list[dict[int, ColumnKind]] = [{} for _ in table.rows]
        nxt: dict[int, ColumnKind] = {}
        for k in range(len(table.rows) - 1, -1, -1):
            ahead[k] = nxt
            nxt = self._money_header(kinds[k]) or nxt
        for k, row in enumerate(table.rows):
            state.ahead = ahead[k]
            self._word_row(row, state, texts[k], isnum[k], kinds[k])

    def _word_row(self, row: Row, state: _State, texts: list[str], isnum: list[bool],
                  kinds: dict[int, ColumnKind] | None) -> None:
        """One row of a Word table, with its cell texts, which of them are numbers and its ``_column_kinds``
        (None when it holds a number)."""
        cells = row.cells
        nonempty = [t for t in texts if t]
        numeric = [i for i, t in enumerate(texts)
                   if isnum[i] or (i > 0 and t[:1] in _DASH_FIRST and _DASH.match(t))]
        if not nonempty:
            return
        if len(nonempty) == 1 and not numeric:
            self._text(state, nonempty[0], row.line, pdf=False)
            if len(texts) == 1:  # a title row across the whole table
                state.by_index, state.pair_measure, state.item_cols = {}, {}, {}
            return
        joined = "".join(texts)
        # "名称" is in every text _PROJECT_NAME matches, 元 in every one _UNIT matches
        m = _PROJECT_NAME.search(joined) if "名称" in joined else None
        if m:
            self._text(state, joined, row.line, pdf=False)
            self._set_project(state, m.group("name"), row.line)
            return
        for t in texts:
            m = _UNIT.search(t) if "元" in t else None
            if m:
                state.unit = m.group("u") or m.group("u2")
        if not numeric:
            self._word_header(row, state, texts, kinds)
            return
        if state.item_cols:
            self._word_transposed(row, state)
            return
        # a row of values: each number belongs to the nearest label on its left
        row_label = next((t for i, t in enumerate(texts) if t and not isnum[i]
                          and self._kind[t] is None), None)
        pct = None
        for i, col in state.by_index.items():
            if col.kind == "pct" and i < len(texts) and isnum[i]:
                pct = self._value[texts[i]]
        for j in numeric:
            if not isnum[j] or ("%" in texts[j] and _PCT_TOKEN.match(texts[j])):
                continue
            left = next((i for i in range(j - 1, -1, -1) if texts[i] and not isnum[i]), None)
            if left is None:
                continue
            lkind = self._kind[texts[left]]
            col = state.by_index.get(j)
            if lkind is not None and lkind.kind == "money":
                # 预算数： 5 执行数： 4.5 — the label names the measure; the row names the item
                state.pair_measure[j] = lkind.measure
                label, measure, year = row_label, lkind.measure, lkind.year
            elif col is not None:
                if col.kind != "money":
                    continue
                label, measure, year = row_label, col.measure, col.year
            elif j in state.pair_measure:
                label, measure, year = texts[left], state.pair_measure[j], None
            elif state.by_index:
                continue  # a column without a header word of ours (分值, 得分, counts)
            elif sum(1 for i in numeric if i > left and not any(texts[x] and not isnum[x]
                                                                 for x in range(left + 1, i))) > 1:
                # one label, several values, no header above: the columns are those of the header below, if any
                ahead = state.ahead.get(j)
                if ahead is None or ahead.kind != "money":
                    continue
                label, measure, year = row_label, ahead.measure, ahead.year
            else:
                label, measure, year = texts[left], self.default_measure, None
            if not label:
                continue
            got = self._classify(label, state)
            if got is None:
                continue
            self._emit(state, got[0], got[1], measure, texts[j], cells[j].line, year,
                       pct if measure == "actual" and col is not None else None)

    def _word_header(self, row: Row, state: _State, texts: list[str], kinds: dict[int, ColumnKind]) -> None:
        """A row without numbers: a header of measures, a header of items (transposed), or a sub-heading.

        ``texts`` are its cell texts and ``kinds`` the columns they name (``_column_kinds``).
        """
        # "指标" or "完成值" is in every text _INDICATOR_HEADER matches
        if any(("指标" in t or "完成值" in t) and _INDICATOR_HEADER.search(t) for t in texts):
            state.by_index, state.pair_measure, state.item_cols = {}, {}, {}
            state.columns = None
            return
        if sum(k.kind == "money" for k in kinds.values()) >= 1 and len(kinds) >= 2 or \
                sum(k.kind == "skip" for k in kinds.values()) >= 2:
            state.by_index = kinds
            state.pair_measure, state.item_cols = {}, {}
            return
        items = {}
        for i, t in enumerate(texts):
            if i == 0 or not t:
                continue
            got = self._classify(t, state)
            if got is not None:
                items[i] = got
        if len(items) >= 2:
            others = [c for it, c in items.values() if it not in _GENERIC_TOTAL]
            if others and all(c == "three_public" for c in others):
                items = {i: (("三公经费", "three_public") if it in _GENERIC_TOTAL else (it, c))
                         for i, (it, c) in items.items()}
            state.item_cols = items
            state.by_index, state.pair_measure = {}, {}
            state.last_measure = None
            return
        # a sub-heading row (按收入性质分 | 按支出性质分): the columns above no longer hold
        state.by_index, state.pair_measure = {}, {}

    def _word_transposed(self, row: Row, state: _State) -> None:
        """A row of a table with items across and measures down (``部门决算数 | 693.22 | 512.36 …``)."""
        texts = row.texts
        head = next((t for t in texts if t), "")
        kind = self._kind[head]
        if kind is not None and kind.kind == "money":
            state.last_measure = kind.measure
            sub = None
        else:
            sub = self._classify(head, state)
            if sub is None or state.last_measure is None:
                return
        for i, (item, category) in state.item_cols.items():
            if i >= len(texts) or not self._numeric[texts[i]] or (
                    "%" in texts[i] and _PCT_TOKEN.match(texts[i])):
                continue
            if sub is not None:
                # 其中：资产购置支出 under 支出合计 | 基本支出 | 项目支出
                name = sub[0] if category == "total" else item + sub[0]
                got = (name, sub[1])
            else:
                got = (item, category)
            self._emit(state, got[0], got[1], state.last_measure, texts[i], row.cells[i].line,
                       kind.year if kind is not None and sub is None else None)


def table_amounts(doc: Document, meta: DocMeta) -> list[dict]:
    """Amount candidates stated in the document's tables (see the module docstring).

    Parameters
    ----------
    doc:
        The document.
    meta:
        What the document says about itself (fiscal year and document types are used).
    """
    return _TableReader(doc, meta).run()
