"""Money figures stated in running text (prose): ``基本支出 711.01 万元，占总支出的 7.43%``.

The rules are keyed on the documents' own language, never on a bureau, a project or a known value:

* an amount is a number with a money unit (元 / 万元 / 亿元) in ``doc.flow``; a bare number counts only right
  after a known label and before ``占…%`` (``基本支出 603.98 ，占27.83%``);
* its item is the known label (``ingest.vocab``) nearest before the number in its clause; a clause holding
  only measure words (``决算数为``) names the item of the amount before it in the sentence;
* a change amount (``较上年增加 12.05 万元``) is not a fact: its percentage goes to the amount before it;
* measure from the words before the number (年初预算 / 全年预算 / 决算 / 实际支出 …), inherited inside a
  ``其中`` list, default ``actual``;
* scope from the item, the words before it, a parenthesis right after the number, the section headings
  (一般公共预算财政拨款 / 政府性基金 / 财政拨款) and, for 三公经费, ``fiscal``; inside a project's section
  (a report titled by the project, or ``1、<项目名>：`` under a 项目 heading) ``project:<name>``;
* the first percentage after the amount and before the next amount: 占 → share, 完成/执行率/进度 → completion,
  增长/下降 → change (a fall negative);
* a figure of an earlier year (``2021年“三公”经费预算 2.49 万元`` in a 2023 report) gets ``year`` = fiscal
  year − 1; a change amount is never such a figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Document
from ..memo import Memo
from ..numbers import AMOUNT, AMOUNT_END, PCT, change_sign, parse_number, to_wan
from ..vocab import (_MEASURE_WORDS, _SCOPE_WORDS, ALIASES, EXACT_ITEMS, FUNCTION_NAMES, classify_item,
                     function_path, measure_of, normalize_label, scope_of)
from .base import DocMeta

__all__ = ["prose_amounts"]

# ------------------------------------------------------------------------------------------- patterns

# extra spellings met in running text (label → vocabulary item)
_PROSE_ALIASES = {
    "收、支总计": "收支总计",
    "收支总计": "收支总计",
    "本年收入": "本年收入合计",
    "本年度收入合计": "本年收入合计",
    "本年支出": "本年支出合计",
    "本年度支出合计": "本年支出合计",
    "人员经费支出": "人员经费",
    "公用经费支出": "公用经费",
    "日常公用经费支出": "日常公用经费",
    "项目支出总额": "项目支出",
    "基本支出总额": "基本支出",
    "项目资金支出总额": "项目支出",
    "政府性基金拨款收入": "政府性基金预算财政拨款收入",
    "政府性基金预算拨款支出": "政府性基金预算财政拨款支出",
    "一般公共预算支出": "一般公共预算财政拨款支出",
    "国内公务接待支出": "国内公务接待费",
    "外事接待支出": "外事接待费",
    "部门整体支出规模": "部门整体支出",
    "年度资金金额": "年度资金总额",
    "全年收入总计": "收入总计",
    "全年支出总计": "支出总计",
    "实际到位资金": "实际到位资金",
    "一般财政拨款": "财政拨款",
}
# words too generic to name an item on their own in running text
_TOO_GENERIC = {"支出", "收入", "政府采购", "一般公共预算", "政府性基金预算", "国有资本经营预算", "财政资金",
                "固定资产", "车辆", "资金总额", "预算总额", "总收入", "总支出", "财政拨款支出"}

_TERMS = sorted(
    {t for t in list(EXACT_ITEMS) + list(ALIASES) + list(FUNCTION_NAMES) + list(_PROSE_ALIASES)
     if len(t) >= 2 and t not in _TOO_GENERIC}
    | {"三公经费", "“三公”经费", "三公”经费", "“三公经费”", "公务用车购置及公务用车维护费", "一般财政拨款"},
    key=len, reverse=True,
)


def _longest_word_pattern(words: list[str]) -> str:
    """A regex that finds what ``"|".join(words, longest first)`` finds (the longest word at the leftmost
    position), written as a trie: a position is tried against one branch per character instead of every
    word in turn."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            # a word ends here: going on is tried first (greedy), so the longest word wins
            body = "(?:" + body + ")?"
        return body

    return build(trie)


_TERM_RE = re.compile(_longest_word_pattern(_TERMS))
# what ``classify_item`` says of each term (in its vocabulary spelling), computed once: every match of
# _TERM_RE is one of _TERMS, and ``classify_item`` depends on nothing but its argument and the vocabulary
_TERM_CLASS = {t: classify_item(_PROSE_ALIASES.get(t, t)) for t in _TERMS}
_FUNC_MARK = re.compile(r"[（(](?:类|款|项)[）)]")
_FUNC_LABEL = re.compile(r"((?:[^，。；：:、,（(）)\s]{2,30}?[（(](?:类|款|项)[）)])+)")

_SENT_END = re.compile(r"[。；;!！?？]")
_CLAUSE_CUT = "，,；;：:、（(）)。"
_YEAR = re.compile(r"(?<![较比与同])(20\d\d|19\d\d)\s*年(?!度?[末底])")
_CHANGE_BEFORE = re.compile(r"(?:增加|减少|增长|下降|降低|上升|节约|节省|压减|缩减|减|增|多支|少支|超支|相比|变动)了?[为约达]?\s*$")
_APPROX_AFTER = re.compile(r"\s*(?:余|多|以上|以下|左右)")
_BARE_NUMBER = re.compile(r"\s*(?P<num>\d+(?:\.\d+)?)\s*[，,](?=\s*占)")
# the end of every _BARE_NUMBER match: its last digit, then ，/, and 占 (the only digit here is the first
# character, so a scan for it stops at the last digit of every bare number)
_BARE_END = re.compile(r"\d\s*[，,]\s*占")
_SHARE_LEAD = re.compile(r"^\s*占[^，。；%\d]{0,12}(?P<num>\d+(?:\.\d+)?)\s*%")
_RATE_WORDS = re.compile(r"完成|执行率|执行进度|支付进度|支出进度|使用率|控制率|到位率|拨付率")
_SHARE_WORDS = re.compile(r"占")
_RATE_LEAD = re.compile(r"^[^，。；%]{0,10}(?:执行率|完成率|完成预算|支付进度|支出进度)[^，。；%\d]{0,6}(?P<num>\d+(?:\.\d+)?)\s*%")
# clause words that make an amount someone else's money (beneficiaries, the insurance fund), not the bureau's
_FOREIGN = re.compile(r"基金(?!预算)|参保|报销|追回|节省|节约资金|减轻|救助资金|补偿|垫付|人次|违约金|核算金额")

_HEAD_LEVEL = [
    (re.compile(r"^第[一二三四五六七八九十]+部分"), 0),
    (re.compile(r"^[一二三四五六七八九十]+[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[）)]"), 2),
    (re.compile(r"^\d+[、.．](?!\d)"), 3),
    (re.compile(r"^[（(]\d+[）)]"), 4),
]
# the same patterns as one alternation, tried in the same order: the number of the capturing group that
# matched (``lastindex``, the patterns have no group of their own) is the position of the first that matches
_HEAD_LEVEL_ANY = re.compile("|".join(f"({pat.pattern})" for pat, _ in _HEAD_LEVEL))
# a numbered lead (1、 （2） 三、) after 。 or ；: the paragraph is cut right after the 。/； (match start + 1);
# led by the 。/； itself rather than a look-behind, so a search jumps from one 。/； to the next
_LEAD_SPLIT = re.compile(r"[。；]\s*(?=(?:\d+[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、))")
_REPORT_TITLE = re.compile(r"(?:绩效自评报告|绩效评价报告|自评报告|评价报告)$")
_PAREN_PROJECT = re.compile(r"^[（(](?P<name>[^（()）]{2,40}?)(?:支出)?项目[）)]$")
_TITLE_PROJECT = re.compile(r"(?:20\d\d年度?)?(?P<name>[^\s，。]{2,30}?(?:资金|经费|专项|项目))\s*(?:部门|项目)?(?:支出)?绩效")
_LEAD_PROJECT = re.compile(r"^(?:\d+[、.．]|[（(]\d+[）)]、?)\s*(?P<name>[^，。：:；\d]{2,30}?(?:资金|经费|专项|项目|费))[：:]")
_PROJECT_SPEND = re.compile(r"支出|执行|到账|使用")
_QUOTED_AFTER = re.compile(r"[“\"]([^”\"，。]{2,20})[”\"]")
_PROJECT_BUDGET = re.compile(r"下达|预算|批复|到位|往来|拨付|安排|申报|指标")


@dataclass
class _Context:
    """What the headings above a paragraph say."""

    heads: dict  # level → heading text
    last_short: str = ""
    project: str | None = None
    project_kind: str | None = None  # "title" (a report about one project) or "lead" (1、<项目名>：)

    def scope(self) -> str:
        for level in sorted(self.heads, reverse=True):
            if "拨款" not in self.heads[level]:
                continue
            s = _scope_of(self.heads[level])
            if s != "all":
                return s
        return "all"

    def in_project_section(self) -> bool:
        return any("项目" in h for h in self.heads.values())


# every numbered heading starts with one of these characters (or a digit)
_HEAD_FIRST = set("第一二三四五六七八九十（(")
_OPEN_PAREN = ("（", "(")
_CLOSE_PAREN = ("）", ")")


def _may_hold_amount(text: str) -> bool:
    """False when ``text`` certainly holds no amount: each money unit holds 元, 万 or 亿."""
    return "元" in text or "万" in text or "亿" in text


def _clause_start(text: str, end: int, floor: int) -> int:
    k = end - 1
    while k >= floor and text[k] not in _CLAUSE_CUT:
        k -= 1
    return k + 1


_AMBIGUOUS = {"其他支出"}
_SCOPE_TERMS = {"财政拨款", "一般财政拨款", "一般公共预算", "政府性基金预算", "财政资金"}
# what may stand between an item's name and its number: measure words, years, 为/共计 …
_FILLER = re.compile(
    r"20\d\d\s*年度?|年初|全年|本年度?|当年|年末|年底|部门|预算|决算|实际|执行|支出|收入|开支|数|额|总|规模|金额|"
    r"为|是|达到?|共计|共|合计|计|了|的|书|列支|安排|[\s“”\"「」:：]"
)
_TRAILING_PAREN = re.compile(r"[（(][^（()）]*[）)]\s*$")
_LEAD_DIGITS = re.compile(r"^[\d.．、\s]+")
_ADDED_BEFORE = re.compile(r"(?:增拨|追加)[^，。；]{0,4}$")


def _adjacent(label: str, end: int) -> bool:
    """Whether only measure words stand between ``label[end:]`` and the number."""
    return end >= len(label) or not _FILLER.sub("", label[end:])


def _find_item(label: str) -> tuple[str, str, int] | None:
    """The known item right before the number at the end of ``label``: (item, category, start offset)."""
    if "）" in label or ")" in label:  # _TRAILING_PAREN needs a closing parenthesis
        label = _TRAILING_PAREN.sub("", label)
    fl = None
    # every function label holds a （类）/（款）/（项） mark
    if ("类" in label or "款" in label or "项" in label) and _FUNC_MARK.search(label):
        for m in _FUNC_LABEL.finditer(label):
            fl = m
    if fl is not None and _adjacent(label, fl.end()):
        names = [n for n in _FUNC_MARK.split(fl.group(1)) if n]
        names = [normalize_label(_LEAD_DIGITS.sub("", n)) for n in names]
        names = [n for n in names if n]
        if names:
            return function_path(names), "function", fl.start()
    hits = list(_TERM_RE.finditer(label))
    while hits:
        best = hits.pop()
        if not _adjacent(label, best.end()):
            return None
        term = best.group(0)
        if term in _SCOPE_TERMS and hits and _adjacent(label[:best.start()] + label[best.end():], hits[-1].end()):
            label = label[:best.start()] + label[best.end():]
            continue  # 财政拨款 qualifies the item before it (“三公”经费财政拨款支出)
        raw = term
        term = _PROSE_ALIASES.get(term, term)
        got = _TERM_CLASS[raw]  # == classify_item(term)
        if got is None:
            return None
        item, cat = got
        if "三公" in term:
            item, cat = "三公经费", "three_public"
        if raw in _SCOPE_TERMS and _ADDED_BEFORE.search(label, 0, best.start()):  # in label[:best.start()]
            item = "调整增拨" + raw
        return item, cat, best.start()
    return None


def _any_char(chars: str, words: list[str]) -> re.Pattern | None:
    """A pattern finding any of ``chars`` in a text; None when one of ``words`` holds none of them."""
    if not all(set(chars).intersection(w) for w in words):  # pragma: no cover
        return None
    return re.compile("[" + re.escape(chars) + "]")


# every measure word of ``measure_of`` (and the bare 预算 of its fallback) holds one of these characters; it
# looks for them in the text less spaces and some words, which has no character the text has not: a text
# without any of them has no measure (None).  A measure word without any disables the pre-filter.
_MEASURE_CHAR = _any_char("预批调决实执数", [w for w, _ in _MEASURE_WORDS] + ["预算"])


def _measure_of(text: str, fallback: bool = True) -> str | None:
    """``measure_of(text, fallback)``, without its work when ``text`` holds no character of a measure word.

    Parameters
    ----------
    text:
        The words before an amount.
    fallback:
        Whether a bare 预算 means the initial budget.
    """
    if not text or _MEASURE_CHAR is not None and not _MEASURE_CHAR.search(text):
        return None
    return measure_of(text, fallback)


# every scope word of ``scope_of`` holds one of these characters; it looks for them in the text less its
# spaces: a text without any of them speaks of all the money.  A scope word without any disables the
# pre-filter.
_SCOPE_CHAR = _any_char("拨性般", [w for w, _ in _SCOPE_WORDS])


def _scope_of(text: str) -> str:
    """``scope_of(text)``, without its work when ``text`` holds no character of a scope word.

    Parameters
    ----------
    text:
        A heading or the words around an amount.
    """
    if not text or _SCOPE_CHAR is not None and not _SCOPE_CHAR.search(text):
        return "all"
    return scope_of(text)


def _parse_number(num: str) -> float | None:
    """``parse_number(num)`` of a number matched by ``AMOUNT``, ``PCT`` or ``_BARE_NUMBER``.

    An ASCII one (``1,234.56``, ``-5``) needs none of ``parse_number``'s cleaning: less its commas it is what
    ``float`` reads (sign, digits, a decimal part); other digits (full-width …) go through ``parse_number``.

    Parameters
    ----------
    num:
        The matched number.
    """
    return float(num.replace(",", "")) if num.isascii() else parse_number(num)


def _pct_after(text: str, start: int, stop: int) -> tuple[float | None, str | None]:
    """The first percentage in text[start:stop] and its basis."""
    m = PCT.search(text, start, stop) if text.find("%", start, stop) >= 0 else None  # PCT ends in %
    if not m:
        return None, None
    value = _parse_number(m.group("num"))
    between = text[start:m.start()]
    # the percentage's own lead words: after the last comma before it
    lead = between[max(between.rfind("，"), between.rfind(","), between.rfind("；")) + 1:]
    if _SHARE_WORDS.search(lead):
        return value, "share"
    if _RATE_WORDS.search(lead):
        return value, "completion"
    sign = change_sign(lead) or change_sign(between)
    if sign:
        return sign * value, "change"
    if _SHARE_WORDS.search(between):
        return value, "share"
    if _RATE_WORDS.search(between):
        return value, "completion"
    return None, None


def _prior_year(label: str, fiscal_year: int | None) -> int | None:
    if not fiscal_year or "年" not in label:  # every _YEAR match holds 年
        return None
    for m in _YEAR.finditer(label):
        y = int(m.group(1))
        if y < fiscal_year:
            return fiscal_year - 1
    return None


def _table_lines(doc: Document) -> set[int]:
    """Lines inside multi-cell Word table rows (their figures belong to the table extractor)."""
    lines: set[int] = set()
    clean = doc.clean
    for table in doc.tables:
        for row in table.rows:
            if row.source == "tab" and len(row.cells) > 1:
                k = row.last_line
                lines.update(range(row.line, k + 1))
                while k < len(clean) and clean[k].strip() and not clean[k].startswith("\t"):
                    k += 1
                    lines.add(k)
    return lines


def prose_amounts(doc: Document, meta: DocMeta) -> list[dict]:
    """Amount candidates stated in the running text of ``doc``.

    Parameters
    ----------
    doc:
        The document.
    meta:
        What the text says about the document (fiscal year for prior-year figures).

    Returns
    -------
    list of dict
        Candidates with the amount contract fields plus ``line``, ``year`` and ``snippet_last``.
    """
    out: list[dict] = []
    skip = _table_lines(doc)
    line_of = doc.line_of
    ctx = _Context(heads={})
    items = Memo(_find_item)  # label → _find_item(label), each label looked up once
    # each paragraph updates the heading context, and those with an amount give their amounts
    for para, p_start in _paragraphs(doc.flow):
        text = para.strip()
        if not text or skip and line_of(p_start) in skip:
            continue
        has_amount = _may_hold_amount(para) and AMOUNT_END.search(para) is not None
        _update_context(ctx, text, has_amount)
        if has_amount:
            out.extend(_paragraph_amounts(doc, meta, para, p_start, ctx, items))
    return out


def _paragraphs(flow: str) -> Iterator[tuple[str, int]]:
    """The paragraphs of ``flow`` and where they start: its lines, cut before a numbered lead after 。 or ；.

    Parameters
    ----------
    flow:
        The document's running text.
    """
    pos = 0
    for whole in flow.split("\n"):
        w_start = pos
        pos += len(whole) + 1
        # cut right after the 。/； of each lead split (never the line's last character, a lead follows it), so
        # every piece is non-empty
        c0 = 0
        end = len(whole) - 1
        if ("。" in whole or "；" in whole) and (whole.find("。", 0, end) >= 0 or whole.find("；", 0, end) >= 0):
            for m in _LEAD_SPLIT.finditer(whole):
                yield whole[c0:m.start() + 1], w_start + c0
                c0 = m.start() + 1
        if c0 < len(whole):
            yield whole[c0:], w_start + c0


def _update_context(ctx: _Context, text: str, has_amount: bool) -> None:
    """Follow the headings and project titles.

    Parameters
    ----------
    ctx:
        The context, updated in place.
    text:
        The paragraph, stripped.
    has_amount:
        Whether ``AMOUNT`` finds an amount in the paragraph (stripped or not: an amount starts with a sign or
        a digit and ends with its unit, so stripping never cuts one).
    """
    # a numbered lead or heading starts with a numeral or an opening parenthesis (a superset of what
    # _PAREN_PROJECT, _LEAD_PROJECT and the heading patterns start with): other texts need none of them
    lead_char = text[:1]
    numbered = lead_char in _HEAD_FIRST or lead_char.isdecimal()
    # it starts with [（(] and ends with [）)] ($: a stripped text has no final line break)
    m = _PAREN_PROJECT.match(text) if lead_char in _OPEN_PAREN and text.endswith(_CLOSE_PAREN) else None
    if m:
        ctx.project, ctx.project_kind = m.group("name").strip(), "title"
        return
    short, ctx.last_short = ctx.last_short, (text if len(text) < 40 and not has_amount else "")
    # every _REPORT_TITLE word ends in 报告 and the pattern is anchored at the end (a stripped text has no
    # final line break for ``$`` to stop before)
    if len(text) < 60 and text.endswith("报告") and _REPORT_TITLE.search(text):
        m = _TITLE_PROJECT.search(text) or _TITLE_PROJECT.search(short + text)
        if m and not has_amount:
            ctx.project, ctx.project_kind = re.sub(r"^.*?20\d\d年度?", "", m.group("name")), "title"
        else:
            ctx.project, ctx.project_kind = None, None
        ctx.heads = {}
        return
    if text.startswith("附件") and len(text) < 20:
        ctx.project, ctx.project_kind, ctx.heads = None, None, {}
        return
    if not numbered:
        return  # no lead, no heading
    # it starts with a digit or [（(] and holds a colon
    lead = _LEAD_PROJECT.match(text) if (lead_char in _OPEN_PAREN or lead_char.isdecimal()) \
        and ("：" in text or ":" in text) else None
    if lead and (ctx.in_project_section() or not text[lead.end():].strip()) and ctx.project_kind != "title":
        ctx.project, ctx.project_kind = lead.group("name").strip(), "lead"
    hm = _HEAD_LEVEL_ANY.match(text)  # the heading level: the first _HEAD_LEVEL pattern that matches
    level = None if hm is None else _HEAD_LEVEL[hm.lastindex - 1][1]
    first = AMOUNT.search(text) if has_amount and level is not None and level <= 2 else None
    if level is not None and level <= 2 and first and not lead:
        ctx.heads = {k: v for k, v in ctx.heads.items() if k < level}
        ctx.heads[level] = text[:first.start()]
    # a numbered line (level is not None) is a heading when it is short and states no amount (what the former
    # _is_heading said of it: its numbering pattern matches exactly the lines _HEAD_LEVEL numbers)
    elif level is not None and (lead or not has_amount and len(text) <= 45):
        if lead is None and ctx.project_kind == "lead" and level <= 1:
            ctx.project, ctx.project_kind = None, None
        heading = text if lead is None else ""
        if lead is not None and ctx.project_kind == "lead":
            heading = ""
        if ctx.heads and max(ctx.heads) >= level:  # (else no heading to drop: the dict stays)
            ctx.heads = {k: v for k, v in ctx.heads.items() if k < level}
        if heading:
            ctx.heads[level] = heading


def _paragraph_amounts(doc: Document, meta: DocMeta, para: str, p_start: int, ctx: _Context,
                       items: Memo) -> list[dict]:
    """The amounts of one paragraph; ``items`` holds the ``_find_item`` answers of the document so far."""
    out: list[dict] = []
    fy = meta.fiscal_year
    # sentences
    bounds = [0] + [m.end() for m in _SENT_END.finditer(para)] + [len(para)]
    sentences = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i + 1] > bounds[i]]
    # the headings' scope: the context does not change within the paragraph
    ctx_scope = ctx.scope()
    # a bare number after a label in a sentence ends at or after the sentence's start: no _BARE_END there,
    # no bare number, and no need to look for labels
    last_bare = -1
    for m in _BARE_END.finditer(para) if "占" in para else ():
        last_bare = m.start()
    for si, (s0, s1) in enumerate(sentences):
        found = [m.span() + m.group("num", "unit") for m in AMOUNT.finditer(para, s0, s1)]
        # a bare number right after a known label, followed by ，占…%
        for m in _TERM_RE.finditer(para, s0, s1) if last_bare >= s0 else ():
            b = _BARE_NUMBER.match(para, m.end())
            if b and not any(f[0] <= b.start("num") < f[1] for f in found):
                found.append((b.start("num"), b.end("num"), b.group("num"), None))
        found.sort()
        facts_here: list[dict] = []
        prev_end = s0
        in_list = False
        for idx, (a0, a1, num, unit) in enumerate(found):
            floor = prev_end
            prev_end = a1
            if _APPROX_AFTER.match(para, a1):
                continue
            if _CHANGE_BEFORE.search(para, floor, a0):  # in para[floor:a0] (no look-behind; $ at a0)
                continue  # a change amount: not a figure of its own
            c0 = _clause_start(para, a0, floor)
            clause = para[c0:a0]
            if not in_list and para.find("其中", s0, a0) >= 0:
                in_list = True
            hit = items[clause]
            if hit is None:
                # the subject may sit before the clause, in the same sentence (…支出年初预算数为 X，决算数为 Y)
                w0 = max(s0, floor)
                if w0 != c0:  # (else the same text as the clause: the same answer)
                    wide = para[w0:a0]
                    hit = items[wide]
                if hit is None and facts_here and not _strip_measure(clause):
                    prev = facts_here[-1]
                    hit = (prev["item"], prev["category"], 0)
            item = category = None
            if hit is not None:
                item, category, _ = hit
            quoted = _QUOTED_AFTER.match(para, a1) if ctx.project else None
            if ctx.project and hit is not None and (item in ctx.project or item == "项目支出"):
                hit = item = category = None  # the project's own name, not a budget line
            if quoted:
                item = quoted.group(1)
                category = "other"  # a project's own budget line, named after its number
            elif ctx.project and (hit is None or category in ("total",)):
                words = para[max(s0, floor):a0]
                if "结余" in clause:
                    item, category = "本年结余", "total"
                elif _PROJECT_SPEND.search(words) or _PROJECT_BUDGET.search(words) or "资金" in words \
                        or "经费" in words:
                    item, category = "年度资金总额", "total"
            if item is None:
                continue
            if category not in ("function", "three_public") and _FOREIGN.search(clause) \
                    and not (ctx.project and item == "年度资金总额"):
                continue
            if para.find("涉及", max(s0, a0 - 40), a0) >= 0:
                continue  # coverage of an evaluation (涉及…资金 X 万元), not a budget line
            if item in _AMBIGUOUS and facts_here and facts_here[-1]["category"] in ("function", "nature"):
                category = facts_here[-1]["category"]
            value = _parse_number(num)
            value = to_wan(value, unit) if unit else value
            if value is None:
                continue
            # measure
            measure = _measure_of(clause, fallback=not ctx.project)
            if quoted:
                measure = _project_measure(para[s0:found[0][0]], "") or measure
            elif ctx.project and (measure is None or measure == "budget_initial" and "年初" not in clause):
                measure = _project_measure(para[s0:a0], clause) or measure
            if measure is None and facts_here and (in_list or not _strip_measure(clause) and hit and hit[2] == 0):
                measure = facts_here[-1]["measure"]
            if measure is None:
                measure = _measure_of(para[max(s0, floor):a0]) if hit is not None else None
            measure = measure or "actual"
            # scope
            scope = _scope(item, category, clause, para, a1, ctx, facts_here, in_list, ctx_scope)
            # prior-year figure
            year = _prior_year(para[s0:a0] if not facts_here else clause, fy)
            if year is None and facts_here and facts_here[-1].get("year") != fy and not _YEAR.search(clause):
                year = facts_here[-1].get("year")
            year = year or fy
            # asset parts take the verb of the sentence's first item (新增 / 处置)
            if category == "asset" and facts_here and item in ("通用设备", "专用设备", "家具用具装具", "车辆"):
                head = facts_here[0]["item"]
                for verb in ("新增", "处置"):
                    if head.startswith(verb):
                        item = verb + item
            # percentage: up to the next figure (not a change amount) in the sentence
            stop = s1
            for b0, b1, _n, _u in found[idx + 1:]:
                # (a change word at the end of para[max(a1, b0 - 12):b0] is one at the end of para[a1:b0]: the
                # first test decides)
                if not _CHANGE_BEFORE.search(para, a1, b0):
                    stop = b0
                    break
            pct, basis = _pct_after(para, a1, stop)
            if pct is None and stop == s1 and si + 1 < len(sentences):
                nxt = para[sentences[si + 1][0]:sentences[si + 1][1]]
                r = _RATE_LEAD.match(nxt)
                if r:
                    pct, basis = parse_number(r.group("num")), "completion"
                r = _SHARE_LEAD.match(nxt)
                if r:
                    pct, basis = parse_number(r.group("num")), "share"
            line = doc.line_of(p_start + a0)
            fact = dict(item=item, category=category, measure=measure, scope=scope, value_wan=value,
                        pct=pct, pct_basis=basis, line=line, year=year,
                        snippet_last=doc.line_of(p_start + a1 - 1))
            facts_here.append(fact)
            out.append(fact)
        if si + 1 < len(sentences) and facts_here:
            _change_in_next(para, sentences[si + 1], facts_here)
    _rates_stated_later(para, sentences, out)
    _changes_stated_later(para, sentences, out, fy)
    return out


def _amountless_sentences(para: str, sentences: list[tuple[int, int]], word: str) -> Iterator[str]:
    """The sentences of ``para`` that hold ``word`` and state no amount of their own, in order.

    Parameters
    ----------
    para:
        The paragraph.
    sentences:
        Its sentence bounds.
    word:
        What the sentence must hold.
    """
    if word not in para:
        return
    for s0, s1 in sentences:
        if para.find(word, s0, s1) >= 0 and not AMOUNT_END.search(para, s0, s1):
            yield para[s0:s1]


# “三公”经费控制率为 100% / 项目支出执行率达 98.5% — a rate in a sentence of its own, no amount in it
_LATER_RATE = re.compile(r"(?P<label>[^，。；：%\d]{2,16}?)(?:控制率|执行率|完成率|预算完成率)"
                         r"(?:为|是|达到|达|约为)?\s*(?P<num>\d+(?:\.\d+)?)\s*%")


def _rates_stated_later(para: str, sentences: list[tuple[int, int]], facts: list[dict]) -> None:
    """A rate stated in a later sentence of the paragraph goes to the figure it names (first without a rate).

    Parameters
    ----------
    para:
        The paragraph.
    sentences:
        Its sentence bounds.
    facts:
        The amounts found in it, in order.
    """
    if not facts:
        return
    for sentence in _amountless_sentences(para, sentences, "率"):  # (every rate word holds 率)
        for m in _LATER_RATE.finditer(sentence):
            label = re.sub(r"[“”\"、\s]", "", m.group("label"))
            for fact in facts:
                core = re.sub(r"[“”\"]", "", fact["item"]).replace("合计", "")
                if (fact["pct"] is None and fact["measure"] == "actual" and len(core) >= 2
                        and core in label):
                    fact["pct"], fact["pct_basis"] = parse_number(m.group("num")), "completion"
                    break


# a change on the prior year stated for one measure, in a sentence of its own
# (年初预算本年数与上年数比降低64.26%, 实际支出与上年相比增长5%)
_LATER_CHANGE = re.compile(
    r"(?P<measure>年初预算|全年预算|调整后预算|预算|实际支出|决算)[^，。；%\d]{0,6}?与上年(?:数|度|同期)?(?:相)?比较?"
    r"(?P<word>增长|增加|上升|降低|下降|减少)了?(?P<num>\d+(?:\.\d+)?)\s*%")


def _changes_stated_later(para: str, sentences: list[tuple[int, int]], facts: list[dict],
                          fiscal_year: int | None) -> None:
    """A change on the prior year stated for a measure in a later sentence of the paragraph, with no amount
    of its own, goes to the paragraph's first figure of that measure and year that has no percentage.

    Parameters
    ----------
    para:
        The paragraph.
    sentences:
        Its sentence bounds.
    facts:
        The amounts found in it, in order.
    fiscal_year:
        The document's year (the change is the current year's).
    """
    if not facts:
        return
    for sentence in _amountless_sentences(para, sentences, "与上年"):
        for m in _LATER_CHANGE.finditer(sentence):
            measure = measure_of(m.group("measure"))
            sign = change_sign(m.group("word"))
            for fact in facts:
                if fact["pct"] is None and fact["measure"] == measure and fact["year"] == fiscal_year:
                    fact["pct"], fact["pct_basis"] = sign * parse_number(m.group("num")), "change"
                    break


_PLAIN_NOISE = re.compile(r"[、“”\s]")


def _change_in_next(para: str, bounds: tuple[int, int], facts_here: list[dict]) -> None:
    """``X 2529.41万元。与2020年相比，X增加997.29万元，增长65.09%``: the change goes to X."""
    nxt = para[bounds[0]:bounds[1]]
    m = PCT.search(nxt) if "%" in nxt else None  # PCT ends in %
    sign = change_sign(nxt[:m.start()]) if m else 0
    if not sign:
        return
    for a in AMOUNT.finditer(nxt, 0, m.start()):
        if not _CHANGE_BEFORE.search(nxt[:a.start()]):
            return  # the sentence states a figure of its own
    plain = _PLAIN_NOISE.sub("", nxt[:m.start()])
    for fact in facts_here:
        core = fact["item"].replace("经费", "").replace("合计", "")
        if fact["pct"] is None and core and core[:4] in plain:
            fact["pct"] = sign * parse_number(m.group("num"))
            fact["pct_basis"] = "change"
            return


_YEAR_WORD = re.compile(r"20\d\d\s*年度?")
_MEASURE_ONLY = re.compile(r"年初|预算|全年|决算|实际|执行|支出|数|为|共|计|合计|了|的|书|本年")


def _strip_measure(clause: str) -> str:
    """What is left of a clause after measure words and years: empty means 'the same item as before'."""
    t = _YEAR_WORD.sub("", clause)
    return _MEASURE_ONLY.sub("", t).strip(" ：:，,")


def _project_measure(sentence: str, clause: str) -> str | None:
    for words in (clause, sentence):
        if _PROJECT_SPEND.search(words):
            return "actual"
        if _PROJECT_BUDGET.search(words):
            return "budget_initial" if "年初" in sentence else "budget_final"
    return None


_SCOPE_AFTER = re.compile(r"[^。；]{0,20}?为(一般公共预算财政拨款|政府性基金预算财政拨款|财政拨款)")


def _scope(item, category, clause, para, a1, ctx: _Context, facts_here, in_list, ctx_scope: str) -> str:
    """The scope of an amount; ``ctx_scope``: ``ctx.scope()`` (computed once per paragraph)."""
    if ctx.project and category == "other":
        return f"project:{ctx.project}"
    if ctx.project and (item in ("年度资金总额", "本年结余") or category == "source" and ctx.project_kind):
        if item in ("年度资金总额", "本年结余"):
            return f"project:{ctx.project}"
    own = _scope_of(item)
    if own in ("general_public", "gov_fund"):
        return own
    k = clause.find(item[:2]) if item else -1
    before = clause[:k] if k > 0 else ("" if item and item[:2] in clause else clause)
    s = _scope_of(before)
    if s != "all":
        return s
    after = para[a1:a1 + 60]
    if after.startswith(("（", "(")):
        close = after.find("）")
        s = _scope_of(after[:close if close > 0 else 60])
        if s != "all":
            return s
    m = _SCOPE_AFTER.match(after) if "拨款" in after else None  # each _SCOPE_AFTER word holds 拨款
    if m:
        return _scope_of(m.group(1))
    if facts_here and in_list:
        return facts_here[-1]["scope"] if facts_here[-1]["category"] != "source" else "all"
    s = ctx_scope
    if s != "all" and category != "source":
        return s
    if category == "three_public":
        return "fiscal"
    return "all"
