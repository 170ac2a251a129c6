"""Read performance-indicator tables (绩效指标表) and the scopes they belong to.

Shared by ``IndicatorLoader`` (one fact per table row) and ``EvaluationLoader`` (the table's 总分 row).

Two table shapes are read, both keyed on the tables' own header words (一级指标 / 二级指标 / 三级指标 /
指标值 / 完成值 / 分值 / 得分), never on a bureau or a project:

* Word tables (``Document.tables`` rows of source ``tab``): one cell per column, merged cells empty or
  missing on the left, so cells are aligned to the header from the right.
* flattened PDF tables: cells broken over many short lines and rows ending with their points
  (``资金审批时效 ≤30天 ≤30天 2 2``).  A row is closed by its trailing points; the text before it is cut into
  level labels (a known 一级/二级 word, or any label carrying its weight ``预算编审管理（3）``) and then into the
  three text cells (三级指标, 指标值, 完成值) by the most plausible cut (see ``_best_cut``).

The scope of a table is the project it names (``项目名称 X``, a ``（X项目）`` line under the title) or
``部门整体``; ``scope_at`` gives the scope of any line from the report titles before it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations

from ..document import Document, display_width
from ..numbers import parse_number

_SPACES = re.compile(r"\s+")  # layout spaces, dropped from labels and cells

__all__ = [
    "DEPARTMENT", "IndicatorRow", "IndicatorScan", "TableTotal", "clean_label", "project_name",
    "scan_indicator_tables", "scope_at", "scope_marks", "GRADE",
]

DEPARTMENT = "部门整体"

# ------------------------------------------------------------------------------------------ vocabulary

_L1 = (r"(?:投入管理指标|投入指标|过程指标|产出指标|效益指标|满意度指标|决策指标|管理指标|完成指标|"
       r"项目产出|项目效益|项目决策|项目过程|产出|效益|满意度)")
_L2 = (r"(?:数量指标|质量指标|时效指标|成本指标|经济效益指标|社会效益指标|生态效益指标|可持续影响指标|"
       r"(?:社会公众或)?服务对象满意度指标|满意度指标|经济成本指标|社会成本指标|生态环境成本指标|"
       r"数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)")
_WEIGHT = r"(?:[（(]\s*(?P<w>\d+(?:\.\d+)?)\s*分?\s*[）)])"
L1_RE = re.compile(rf"^(?P<label>{_L1}){_WEIGHT}?$")
L2_RE = re.compile(rf"^(?P<label>{_L2}){_WEIGHT}?$")
# any short label carrying its weight: 预算编审管理（3）, 部门结转结余资金管理（4）
L2_WEIGHTED_RE = re.compile(rf"^(?P<label>[\u4e00-\u9fff、]{{2,16}}?){_WEIGHT}$")
WEIGHT_ONLY_RE = re.compile(rf"^{_WEIGHT}$")
# ``_L1`` and ``_L2`` are alternatives of literal words (parts of some optional): a level word starts where
# a run of their literal characters starts and ends where one ends, and a label carrying its weight ends
# with the weight's bracket.  A text starting or ending otherwise is no level label (tested before the
# regexes: most texts are not labels)
_WORD_RUNS = re.findall(r"[\u4e00-\u9fff]+", _L1 + _L2)
_LABEL_FIRST = frozenset(run[0] for run in _WORD_RUNS)
_WEIGHT_CLOSE = frozenset("）)")
_LABEL_LAST = frozenset(run[-1] for run in _WORD_RUNS) | _WEIGHT_CLOSE
GRADE = re.compile(r"(优秀|良好|合格|中等|较差|一般|不合格|差|中)")

_BARE_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_UNIT_START = re.compile(r"^(?:万|亿|元|人|户|次|家|个|件|份|天|月|年|本|套|篇|项|%)")
_PUNCT_START = re.compile(r"^[，。、；：:,.）)”’%]")
_OPERATOR_START = re.compile(r"^(?:[≥≤<>=]|\d)")
_TOTAL_RE = re.compile(r"^(?:总分|合计|总计)")
_HEADER_L2 = re.compile(r"二级指标")
_HEADER_L3 = re.compile(r"三级指?标|一级指标")
_TITLE_RE = re.compile(r"自评表|评价表|绩效目标表|绩效目标自评|绩效自评$")
_NAME_IN_TITLE = re.compile(r"项目(?:支出)?名称[:：]?(?P<name>.+?)(?=主管部门|实施单位|预算单位|项目资金|$)")
_ANNEX_RE = re.compile(r"^附件\s*\d")
_PAREN_LINE = re.compile(r"^[（(](?P<name>[^（）()]{2,40})[）)]$")

# PDF tables: a region ends after this many non-blank lines without a row
_MAX_GAP_LINES = 40
# how far back (lines) the title of a table is looked for
_TITLE_LOOKBACK = 80


_WEIGHT_END = re.compile(rf"{_WEIGHT}$")
_DIGIT = re.compile(r"\d")
_DIGIT_END = re.compile(r"\d$")


def _lines_holding(lines: list[str], word: str) -> list[int]:
    """The 0-based indices of the ``lines`` (no line breaks in them) holding ``word`` (none in it either), in
    order: one search of the lines joined, instead of a test per line."""
    joined = "\n".join(lines)
    out: list[int] = []
    line, pos = 0, 0  # the line holding offset ``pos`` of ``joined``
    at = joined.find(word)
    while at >= 0:
        line += joined.count("\n", pos, at)
        out.append(line)
        end = joined.find("\n", at)
        if end < 0:
            break
        line, pos = line + 1, end + 1
        at = joined.find(word, pos)
    return out


def clean_label(text: str | None) -> str | None:
    """A level label without layout spaces and without its weight (``产出指标（50分）`` → ``产出指标``).

    Parameters
    ----------
    text:
        The label as written.
    """
    if text is None:
        return None
    t = _SPACES.sub("", text)
    t = _WEIGHT_END.sub("", t)
    return t or None


def _label_weight(text: str) -> float | None:
    m = _WEIGHT_END.search(_SPACES.sub("", text or ""))
    return float(m.group("w")) if m else None


def project_name(text: str) -> str:
    """A project's name from a title such as ``（医保政策风险评估支出项目）``: brackets and 支出项目 dropped.

    Parameters
    ----------
    text:
        The title text.
    """
    t = _SPACES.sub("", text).strip("（）()")
    t = re.sub(r"(?:支出)?项目$", "", t) if not t.endswith("项目资金") else t
    return t or text


# ---------------------------------------------------------------------------------------- the results


@dataclass
class IndicatorRow:
    """One row of an indicator table, in contract fields (plus the line of its figure)."""

    scope: str
    level1: str | None
    level2: str | None
    name: str
    target: str | None
    actual: str | None
    weight: float | None
    score: float | None
    line: int
    last_line: int | None = None
    group: int = 0  # rows of one table share a group id (repeated rows of two tables stay apart)


@dataclass
class TableTotal:
    """The 总分 row of an indicator table: the self-evaluation result of its scope."""

    scope: str
    score: float
    max_score: float | None
    grade: str | None
    line: int


@dataclass
class IndicatorScan:
    """Everything read from a document's indicator tables."""

    rows: list[IndicatorRow] = field(default_factory=list)
    totals: list[TableTotal] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- scopes

_REPORT_TITLE = re.compile(r"(?:部门|项目)?(?:支出)?(?:绩效)?(?:自评|评价)(?:总)?报告$")
_YEAR_PREFIX = re.compile(r"^.*?\d{4}\s*年度?")
_CLAUSE_END = re.compile(r"[。：；]$")


def _title_scope(title: str, next_text: str) -> str | None:
    name = _REPORT_TITLE.sub("", title)
    name = re.sub(r"(?:部门|项目)?(?:支出)?绩效$", "", name)
    if "部门整体" in title or "整体支出" in title:
        return DEPARTMENT
    name = _YEAR_PREFIX.sub("", name).strip()
    m = _PAREN_LINE.match(next_text)
    if m and (not name or name in ("项目支出", "项目")):
        return project_name(m.group("name"))
    if not name or name in ("项目支出", "项目", "部门", "专项资金"):
        return None
    if re.search(r"(?:局|委员会|厅|部|中心|单位)$", name):
        return DEPARTMENT
    return name


def scope_marks(doc: Document) -> list[tuple[int, str]]:
    """Lines where a report about one scope starts (report titles), as ``(line, scope)`` in order.

    Built once per document (``Document.derived``).

    Parameters
    ----------
    doc:
        The document.
    """
    return doc.derived("indicator_scope_marks", _scope_marks)


def _scope_marks(doc: Document) -> list[tuple[int, str]]:
    marks: list[tuple[int, str]] = []
    compact = doc.compact
    clean = doc.clean
    # a title holds the 报告 of ``_REPORT_TITLE``: only the lines (not blank) holding it are looked at, and
    # their neighbours are the nearest lines not blank before and after them
    candidates = [n for n in _lines_holding(compact, "报告") if clean[n].strip()]
    for n in candidates:
        text = compact[n]
        if len(text) > 45 or "，" in text or not _REPORT_TITLE.search(text):
            continue
        title = text
        if len(_REPORT_TITLE.sub("", text)) <= 4:  # the title broken before 评价报告
            prev = next((compact[m] for m in range(n - 1, -1, -1) if clean[m].strip()), None)
            if prev is not None and len(prev) <= 30 and not _CLAUSE_END.search(prev):
                title = prev + text
        nxt = next((compact[m] for m in range(n + 1, len(clean)) if clean[m].strip()), "")
        scope = _title_scope(title, nxt)
        if scope:
            marks.append((n + 1, scope))
    return marks


def scope_at(doc: Document, line: int) -> str:
    """The scope of the report section holding ``line`` (``部门整体`` when no project report encloses it).

    Parameters
    ----------
    doc:
        The document.
    line:
        1-based original line.
    """
    scope = DEPARTMENT
    for n, s in scope_marks(doc):
        if n > line:
            break
        scope = s
    return scope


def _table_scope(doc: Document, header_line: int, floor: int) -> str:
    """The scope of a table whose header sits on ``header_line``: 项目名称 / （X项目） under its title."""
    compact = doc.compact
    start = max(floor, header_line - _TITLE_LOOKBACK, 1)
    title_at = None
    for n in range(header_line - 1, start - 1, -1):
        t = compact[n - 1]
        if t and len(t) <= 40 and _TITLE_RE.search(t):
            title_at = n
            break
    joined = "".join(compact[(title_at or start) - 1:header_line - 1])  # lines title_at (or start)..header-1
    m = _NAME_IN_TITLE.search(joined)
    if m and len(m.group("name")) >= 2:
        return _SPACES.sub("", m.group("name"))
    if title_at:
        title = compact[title_at - 1]
        if "部门整体" in title or "整体支出" in title:
            return DEPARTMENT
        for n in range(title_at + 1, min(title_at + 3, header_line)):
            pm = _PAREN_LINE.match(compact[n - 1])
            if pm and not re.search(r"\d{4}", pm.group("name")):
                return project_name(pm.group("name"))
    return scope_at(doc, header_line)


# ---------------------------------------------------------------------------------------- Word tables

_COLUMNS = (
    ("level1", re.compile(r"一级指标")),
    ("level2", re.compile(r"二级指标")),
    ("name", re.compile(r"三级指?标")),
    ("actual", re.compile(r"实际|完成值")),
    ("target", re.compile(r"指标值|目标值|预期|年度指标")),
    ("weight", re.compile(r"分值|权重")),
    ("score", re.compile(r"得分")),
)


def _header_columns(texts: list[str]) -> dict[str, int] | None:
    # a header has a 三级指标 column (``name``): a row without 级 is none
    if "级" not in "".join(texts):
        return None
    cols: dict[str, int] = {}
    for i, text in enumerate(texts):
        t = _SPACES.sub("", text)
        if len(t) > 12:  # too long for a header cell: no column is read from it
            continue
        for name, rx in _COLUMNS:
            if name not in cols and rx.search(t) and len(t) <= 12:
                cols[name] = i
                break
    if "name" in cols and ("level2" in cols or "level1" in cols) and ("target" in cols or "actual" in cols):
        return cols
    return None


def _cell(text: str) -> str | None:
    t = _SPACES.sub("", text or "")
    return t or None


def _num(text: str | None) -> float | None:
    return parse_number(text) if text else None


def _word_tables(doc: Document, scan: IndicatorScan, group: list[int]) -> None:
    for table in doc.tables:
        cols: dict[str, int] | None = None
        width = 0
        l1 = l2 = None
        scope = DEPARTMENT
        for row in table.rows:
            if row.source != "tab":
                continue
            texts = row.texts
            found = _header_columns(texts)
            if found:
                cols, width = found, len(texts)
                l1 = l2 = None
                scope = _table_scope(doc, row.line, 1)
                group[0] += 1
                continue
            if cols is None:
                continue
            if any(_TOTAL_RE.match(_SPACES.sub("", t)) for t in texts):
                nums = [v for v in (_num(_cell(t)) for t in texts) if v is not None]
                if nums:
                    grade = next((g.group(1) for t in texts if (g := GRADE.fullmatch(_cell(t) or ""))), None)
                    line = next(c.line for c in reversed(row.cells) if _num(_cell(c.text)) is not None)
                    scan.totals.append(TableTotal(scope, nums[-1], nums[0] if len(nums) > 1 else None,
                                                  grade, line))
                cols = None
                continue
            cells = list(row.cells)
            if len(cells) > width:
                cells = cells[len(cells) - width:]
            pad = width - len(cells)

            def get(name: str):
                i = cols.get(name)
                if i is None or i - pad < 0:
                    return None
                return cells[i - pad]

            c1, c2, cn = get("level1"), get("level2"), get("name")
            if c1 is not None and _cell(c1.text):
                l1, l2 = clean_label(c1.text), None
            if c2 is not None and _cell(c2.text):
                l2 = clean_label(c2.text)
            name = _cell(cn.text) if cn is not None else None
            target, actual = get("target"), get("actual")
            if not name or (target is None and actual is None):
                continue
            if _HEADER_L3.search(name) and _HEADER_L2.search("".join(texts)):
                continue
            weight, score = get("weight"), get("score")
            fig = target if target is not None and _cell(target.text) else (actual or cn)
            scan.rows.append(IndicatorRow(
                scope=scope, level1=l1, level2=l2, name=name,
                target=_cell(target.text) if target is not None else None,
                actual=_cell(actual.text) if actual is not None else None,
                weight=_num(_cell(weight.text)) if weight is not None else None,
                score=_num(_cell(score.text)) if score is not None else None,
                line=fig.line, last_line=row.last_line, group=group[0]))


# ----------------------------------------------------------------------------------------- PDF tables


@dataclass
class _Tok:
    text: str
    line: int
    first: bool  # first token of its line


def _tokens(text: str, line: int) -> list[_Tok]:
    parts = text.split()
    merged: list[str] = []
    for p in parts:
        # the length tests first (the same conjunctions, cheapest terms first)
        if merged and len(p) == 1 and len(merged[-1]) == 1 and _CJK_CHAR.fullmatch(merged[-1]) \
                and _CJK_CHAR.fullmatch(p):
            merged[-1] += p  # 指 标, 总 分: a word spaced out
        elif merged and len(p) <= 3 and _UNIT_START.match(p) and _DIGIT_END.search(merged[-1]) \
                and _CJK_CHAR.match(p):
            merged[-1] += p  # 39.5 万元, <=73 万
        else:
            merged.append(p)
    return [_Tok(t, line, i == 0) for i, t in enumerate(merged)]


def _scores_at(toks: list[_Tok], k: int) -> int | None:
    """Index where the row's ``k`` trailing points start (text after them is a deviation note)."""
    if k <= 0 or len(toks) < k:
        return None
    # the last bare number, unless a figure follows it (not a closed row): scanning back from the end, the
    # first token holding a digit decides (a bare number holds one)
    last = None
    for i in range(len(toks) - 1, -1, -1):
        text = toks[i].text
        if _DIGIT.search(text):
            if _BARE_NUMBER.match(text):
                last = i
            break
    if last is None or last - k + 1 < 0:
        return None
    start = last - k + 1
    if not all(_BARE_NUMBER.match(t.text) for t in toks[start:last + 1]):
        return None
    return start


def _match_label(text: str, generic: bool) -> tuple[str, str, float | None, bool] | None:
    """``(level, label, weight, points_word)`` when ``text`` is a whole level label.

    ``level`` is "1", "2" or "12" (满意度指标 can be either); ``generic`` allows any short label carrying
    its weight (预算编审管理（3）).
    """
    t = _SPACES.sub("", text)
    # ``t`` has no spaces, so ``$`` in the patterns is its very end: the first and last characters must fit
    if not t or not ((t[0] in _LABEL_FIRST and t[-1] in _LABEL_LAST) or (generic and t[-1] in _WEIGHT_CLOSE)):
        return None
    m1, m2 = L1_RE.match(t), L2_RE.match(t)
    m = m1 or m2
    if m:
        level = "12" if (m1 and m2) else ("1" if m1 else "2")
        w = m.group("w")
        return level, m.group("label"), float(w) if w else None, "分" in t[len(m.group("label")):]
    m = L2_WEIGHTED_RE.match(t) if generic else None
    if m and not _DIGIT.search(m.group("label")):
        return "2", m.group("label"), float(m.group("w")), "分" in t[len(m.group("label")):]
    return None


def _peel_labels(toks: list[_Tok]) -> tuple[list[tuple[str, str, float | None, bool]], list[_Tok]]:
    """Split a row's tokens into its level labels and its cell tokens (junk before the last label dropped)."""
    labels: list[tuple[int, int, tuple[str, str, float | None, bool]]] = []
    texts = [t.text for t in toks]
    # tokens are pieces of ``str.split()`` (not empty, no spaces): the joined text of tokens i..i+j-1 starts
    # with the first character of token i and ends with the last of token i+j-1, so the test of
    # ``_match_label`` on those two characters is made here before joining (and a token that can neither
    # start a level word nor close a weight starts no label)
    can_start = [t[0] in _LABEL_FIRST for t in texts]
    can_end = [t[-1] in _LABEL_LAST for t in texts]
    weighted = [t[-1] in _WEIGHT_CLOSE for t in texts]
    i = 0
    while i < len(toks):
        hit = None
        if can_start[i] or weighted[i]:
            for j in range(min(4, len(toks) - i), 0, -1):
                if not (can_start[i] and can_end[i + j - 1]) and not (j == 1 and weighted[i]):
                    continue
                lab = _match_label("".join(texts[i:i + j]), j == 1)
                if lab:
                    hit = (j, lab)
                    break
        if hit:
            j, lab = hit
            end = i + j
            if end < len(toks) and WEIGHT_ONLY_RE.match(toks[end].text):
                w = float(WEIGHT_ONLY_RE.match(toks[end].text).group("w"))
                lab = (lab[0], lab[1], lab[2] if lab[2] is not None else w, "分" in toks[end].text)
                end += 1
            labels.append((i, end, lab))
            i = end
        else:
            i += 1
    if not labels:
        return [], toks
    # labels must be contiguous at the end of the junk: keep the last run of adjacent labels
    run = [labels[-1]]
    for lab in reversed(labels[:-1]):
        if lab[1] == run[0][0]:
            run.insert(0, lab)
        else:
            break
    return [x[2] for x in run], toks[run[-1][1]:]


def _width(text: str) -> float:
    return display_width(text) / 2


_FIGURE_END = re.compile(r"[\d%]$")
_RANGE_WORD = re.compile(r"^(?:以[上内下]|左右)")
_SENTENCE_END = re.compile(r"[。；]$")


def _gap_scores(toks: list[_Tok], widths: list[float]) -> tuple[list[float], list[float]]:
    """For each gap between two tokens: the score of cutting there and of not cutting there."""
    cut = [0.0] * len(toks)
    keep = [0.0] * len(toks)
    for i in range(1, len(toks)):
        left, right = toks[i - 1], toks[i]
        same_line = right.line == left.line
        if same_line:
            mergeable = (_CJK_CHAR.search(left.text[-1]) and _OPERATOR_START.match(right.text)) or \
                        (_DIGIT_END.search(left.text) and _UNIT_START.match(right.text))
            keep[i] -= 1.0 if mergeable else 4.0
        elif _FIGURE_END.search(left.text) and _CJK_CHAR.match(right.text) \
                and not _RANGE_WORD.match(right.text):
            keep[i] -= 2.0
        if _PUNCT_START.match(right.text):
            cut[i] -= 5.0
        if _UNIT_START.match(right.text) and len(right.text) <= 2:
            cut[i] -= 3.0
        if not same_line and _OPERATOR_START.match(right.text) and _CJK_CHAR.search(left.text[-1]):
            cut[i] += 1.0
        if not same_line and i >= 2 and toks[i - 2].line != left.line and widths[i - 1] < widths[i - 2] - 0.5:
            cut[i] += 1.0
        if not same_line and abs(widths[i - 1] - widths[i]) <= 0.5 and widths[i - 1] >= 2 \
                and not _SENTENCE_END.search(left.text):
            cut[i] -= 1.5  # two lines of the same width are one cell wrapped
    return cut, keep


def _group_score(toks: list[_Tok], widths: list[float], a: int, b: int) -> float:
    """Penalty for a short line inside a cell (a cell's lines are full width but its last)."""
    if b - a < 2:
        return 0.0
    top = max(widths[a:b])
    last_line = toks[b - 1].line
    return -sum(1.0 for k in range(a, b - 1) if toks[k].line != last_line and widths[k] < top - 2)


def _group_scores(toks: list[_Tok], widths: list[float]) -> list[list[float]]:
    """``_group_score`` of every cell: ``scores[a][b]`` for the tokens ``a:b``.

    For one end ``b`` the cells are grown to the left a token at a time: the widest width ``top`` is kept
    as it goes, and so is the count of short lines (tokens not on the last line, narrower than ``top - 2``):
    a new token is counted if short, and when it is the widest so far the tokens are counted again.  The
    count is that of ``_group_score``, and so is the value: no penalty is 0.0 (``-sum`` of no terms is 0,
    the same in a sum of floats), else minus the count.
    """
    n = len(toks)
    lines = [t.line for t in toks]
    scores = [[0.0] * (n + 1) for _ in range(n + 1)]
    for b in range(2, n + 1):
        last_line = lines[b - 1]
        top = widths[b - 1]
        limit = top - 2
        count = 0
        for a in range(b - 2, -1, -1):
            w = widths[a]
            if w > top:
                top = w
                limit = top - 2
                count = sum(1 for k in range(a, b - 1) if lines[k] != last_line and widths[k] < limit)
            elif lines[a] != last_line and w < limit:
                count += 1
            if count:
                scores[a][b] = -float(count)
    return scores


def _likeness(a: str, b: str, count=Counter) -> float:
    """Bonus for two neighbouring cells alike (a name repeated as its target, 满意度达95% / ≥95%).

    The likeness is the share of characters the two cells have in common (a multiset overlap: cheap, and
    close to an edit-based ratio for cells of a few dozen characters).  ``count`` gives the character
    counts of a text (a caller comparing the same texts many times passes a cached one).
    """
    if a == b:
        return 3.0
    if 2 * min(len(a), len(b)) < 0.5 * (len(a) + len(b)):
        return 0.0
    count_a, count_b = count(a), count(b)
    common = sum(min(count_a[ch], count_b[ch]) for ch in count_a.keys() & count_b.keys())
    return _overlap_bonus(common, len(a), len(b))


def _overlap_bonus(common: int, len_a: int, len_b: int) -> float:
    """The bonus of ``_likeness`` for two different cells of lengths ``len_a`` and ``len_b`` sharing
    ``common`` characters (one formula for ``_likeness`` and the incremental tables of ``_best_cut3``)."""
    ratio = 2.0 * common / (len_a + len_b)
    return 2.0 * ratio if ratio >= 0.5 else 0.0


def _neighbour_likeness(words: list[str], pre: list[int], text) -> tuple[list[list[float]], ...]:
    """``_likeness`` of the neighbouring cells of every three-cell cut of the tokens ``words``.

    Returns ``head`` and ``tail``: ``head[i][j]`` is the likeness of cells ``0:i`` and ``i:j``, ``tail[i][j]``
    that of cells ``i:j`` and ``j:n`` (``pre`` holds the token lengths summed, ``text(a, b)`` the text of
    cell ``a:b``).  The values are those of ``_likeness``, computed incrementally: with one cell fixed, the
    other grows a token at a time, and adding a character to it raises the multiset overlap by one exactly
    when the fixed cell holds more of that character than the grown cell did (``room``: the fixed cell's
    counts less the grown cell's, kept while above zero).  So each overlap is the same integer
    ``_likeness`` sums, and ``_overlap_bonus`` turns it into the same float.  A cut whose cells differ too
    much in length scores 0.0 (``_likeness``'s length test, reproduced as is); since the growing cell only
    gets longer, the first such cell longer than the fixed one ends its run.  Equal texts (3.0) share all
    their characters, so the texts are compared only when the overlap says they may be equal.
    """
    n = len(words)
    head = [[0.0] * n for _ in range(n)]
    tail = [[0.0] * n for _ in range(n)]
    # characters as small numbers, so that counts are lists
    ids: dict[str, int] = {}
    codes = [[ids.setdefault(ch, len(ids)) for ch in word] for word in words]
    fixed = [0] * len(ids)  # character counts of cell 0:i
    for i in range(1, n - 1):
        for c in codes[i - 1]:
            fixed[c] += 1
        la = pre[i]
        room = fixed[:]  # … less those of cell i:j
        common = 0
        row = head[i]
        for j in range(i + 1, n):
            for c in codes[j - 1]:
                r = room[c]
                if r > 0:
                    common += 1
                    room[c] = r - 1
            lb = pre[j] - pre[i]
            if 2 * min(la, lb) < 0.5 * (la + lb):
                if lb > la:
                    break
                continue
            if common == la == lb and text(0, i) == text(i, j):
                row[j] = 3.0
            else:
                row[j] = _overlap_bonus(common, la, lb)
    fixed = [0] * len(ids)  # character counts of cell j:n
    for j in range(n - 1, 1, -1):
        for c in codes[j]:
            fixed[c] += 1
        lc = pre[n] - pre[j]
        room = fixed[:]  # … less those of cell i:j, grown to the left
        common = 0
        for i in range(j - 1, 0, -1):
            for c in codes[i]:
                r = room[c]
                if r > 0:
                    common += 1
                    room[c] = r - 1
            lb = pre[j] - pre[i]
            if 2 * min(lb, lc) < 0.5 * (lb + lc):
                if lb > lc:
                    break
                continue
            if common == lb == lc and text(i, j) == text(j, n):
                tail[i][j] = 3.0
            else:
                tail[i][j] = _overlap_bonus(common, lb, lc)
    return head, tail


def _best_cut(toks: list[_Tok], parts: int) -> list[str]:
    """Cut the cell tokens of a row into ``parts`` cells, choosing the most plausible cut.

    The score of a cut adds up: gaps (a cut before punctuation or a unit is implausible, two tokens of one
    line are two cells, a shorter line ends a cell), cells (no short line inside a cell) and neighbours
    (a cell repeated or nearly repeated by the next one is the usual 指标 / 指标值 pattern).
    """
    if len(toks) <= parts:
        return [t.text for t in toks]
    if len(toks) > 40:  # not a table row
        return []
    widths = [_width(t.text) for t in toks]
    cut, keep = _gap_scores(toks, widths)
    base = sum(keep)
    texts: dict[tuple[int, int], str] = {}
    groups: dict[tuple[int, int], float] = {}
    pairs: dict[tuple[int, int, int], float] = {}

    counts: dict[str, Counter] = {}

    def text(a: int, b: int) -> str:
        if (a, b) not in texts:
            texts[a, b] = "".join(t.text for t in toks[a:b])
        return texts[a, b]

    def count(cell: str) -> Counter:
        if cell not in counts:
            counts[cell] = Counter(cell)
        return counts[cell]

    if parts == 3:
        return _best_cut3(toks, widths, cut, keep, base, text)
    best, best_score = None, None
    for cuts in combinations(range(1, len(toks)), parts - 1):
        bounds = (0, *cuts, len(toks))
        sc = base + sum(cut[i] - keep[i] for i in cuts)
        for a, b in zip(bounds, bounds[1:]):
            if (a, b) not in groups:
                groups[a, b] = _group_score(toks, widths, a, b)
            sc += groups[a, b]
        for a, b, c in zip(bounds, bounds[1:], bounds[2:]):
            if (a, b, c) not in pairs:
                pairs[a, b, c] = _likeness(text(a, b), text(b, c), count)
            sc += pairs[a, b, c]
        if best_score is None or sc > best_score:
            best, best_score = cuts, sc
    bounds = (0, *best, len(toks))
    return [text(a, b) for a, b in zip(bounds, bounds[1:])]


def _best_cut3(toks, widths, cut, keep, base, text) -> list[str]:
    """``_best_cut`` into three cells: the same scores, summed in the same order, with the per-cell and
    per-pair terms computed once each (the general loop rebuilds its bounds for every cut) and the
    likeness of neighbouring cells read from ``_neighbour_likeness``."""
    n = len(toks)
    gap = [cut[i] - keep[i] for i in range(n)]
    group = _group_scores(toks, widths)
    pre = [0]
    for t in toks:
        pre.append(pre[-1] + len(t.text))
    like_head, like_tail = _neighbour_likeness([t.text for t in toks], pre, text)
    best, best_score = None, None
    for i in range(1, n):
        g0 = group[0][i]
        group_i = group[i]
        head_i = like_head[i]
        for j in range(i + 1, n):
            sc = base + (0 + gap[i] + gap[j])
            sc += g0
            sc += group_i[j]
            sc += group[j][n]
            sc += head_i[j]
            sc += like_tail[i][j]
            if best_score is None or sc > best_score:
                best, best_score = (i, j), sc
    i, j = best
    return [text(0, i), text(i, j), text(j, n)]


def _score_columns(header_text: str) -> int:
    t = _SPACES.sub("", header_text)
    if "分值" in t and "得分" in t:
        return 2
    return 1 if ("得分" in t or "分值" in t) else 0


def _pdf_tables(doc: Document, scan: IndicatorScan, group: list[int]) -> None:
    clean = doc.clean
    n = len(clean)
    i = 0  # the first line not read yet
    floor = 1
    # a header holds 二级指标: only the lines holding 级 are looked at (a cheap test before dropping spaces)
    for at in _lines_holding(clean, "级"):
        if at < i:  # read as a row of the table before
            continue
        text = clean[at]
        flat = _SPACES.sub("", text)
        if text.startswith("\t") or not (_HEADER_L2.search(flat) and _HEADER_L3.search(flat)):
            continue
        header_line = at + 1
        scope = _table_scope(doc, header_line, floor)
        # the header runs on over the next short lines: read the point columns from it
        head = [flat]
        j = at + 1
        while j < n and len(head) < 30:
            t = _SPACES.sub("", clean[j])
            if t:
                if L1_RE.match(clean_label(t) or "") or _scores_at(_tokens(clean[j], j + 1), 1) is not None:
                    break
                head.append(t)
            j += 1
        k = _score_columns("".join(head))
        group[0] += 1
        i = _read_pdf_rows(doc, at + 1, k, scope, scan, group[0])
        floor = i


def _read_pdf_rows(doc: Document, start: int, k: int, scope: str, scan: IndicatorScan, group: int) -> int:
    """Read rows from 0-based line ``start`` until the 总分 row; returns the 0-based line to go on from."""
    clean = doc.clean
    buf: list[_Tok] = []
    l1 = l2 = None
    l2_weight = None
    l2_rows: list[IndicatorRow] = []
    gap = 0
    i = start

    def close_group():
        if k < 2 and len(l2_rows) == 1 and l2_weight is not None and l2_rows[0].weight is None:
            l2_rows[0].weight = l2_weight

    while i < len(clean):
        text = clean[i].strip()
        i += 1
        if not text:
            continue
        flat = _SPACES.sub("", text)
        if _TOTAL_RE.match(flat):
            nums = [parse_number(x) for x in text.split() if _BARE_NUMBER.match(x)]
            if nums:
                grade = GRADE.search(flat[2:])
                scan.totals.append(TableTotal(scope, nums[-1], nums[0] if len(nums) > 1 else None,
                                              grade.group(1) if grade and not re.search(r"\d", grade.group(1))
                                              else None, i))
            break
        if text.startswith("\t") or _ANNEX_RE.match(flat) or (len(flat) <= 40 and _TITLE_RE.search(flat)) \
                or (_HEADER_L2.search(flat) and _HEADER_L3.search(flat)):
            i -= 1
            break
        toks = _tokens(text, i)
        at = _scores_at(toks, k)
        if at is None:
            buf.extend(toks)
            gap += 1
            if gap > _MAX_GAP_LINES:
                break
            continue
        gap = 0
        points = [parse_number(t.text) for t in toks[at:at + k]]
        row_toks = buf + toks[:at]
        buf = []
        labels, cells = _peel_labels(row_toks)
        for r, (level, label, w, points_word) in enumerate(labels):
            if level == "12":  # 满意度(指标): a 一级 heading, or a 二级 label under one
                if r > 0 and labels[r - 1][0] in ("1", "12"):
                    level = "2"
                elif r + 1 < len(labels) or points_word or l1 is None:
                    level = "1"
                else:
                    level = "2" if l2 is not None else "1"
                labels[r] = (level, label, w, points_word)
            if level == "1":
                close_group()
                l1, l2, l2_weight, l2_rows = label, None, None, []
            else:
                close_group()
                l2, l2_weight, l2_rows = label, w, []
        if not labels and len(cells) > 6:
            cells = cells[-6:]
        if len(cells) < 2:
            continue
        name, target, actual = (_best_cut(cells, 3) + [None, None, None])[:3]
        if not name or (_HEADER_L3.search(name) and len(name) <= 6):
            continue
        weight, score = (points[0], points[1]) if k >= 2 else (None, points[0])
        fig_line = toks[at].line
        row = IndicatorRow(scope=scope, level1=l1, level2=l2, name=name, target=target, actual=actual,
                           weight=weight, score=score, line=fig_line, group=group)
        scan.rows.append(row)
        l2_rows.append(row)
    close_group()
    return i


# ------------------------------------------------------------------------------------------- the scan

def scan_indicator_tables(doc: Document) -> IndicatorScan:
    """Read every indicator table of ``doc`` (Word and flattened PDF); built once per document.

    Parameters
    ----------
    doc:
        The document.
    """
    return doc.derived("indicator_scan", _scan_indicator_tables)


def _scan_indicator_tables(doc: Document) -> IndicatorScan:
    scan = IndicatorScan()
    group = [0]
    _word_tables(doc, scan, group)
    _pdf_tables(doc, scan, group)
    scan.rows.sort(key=lambda r: r.line)
    scan.totals.sort(key=lambda t: t.line)
    return scan
