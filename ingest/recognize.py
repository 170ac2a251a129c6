"""Recognize what a document is from its own text: bureau, fiscal year, document types, province, level.

Nothing here knows the sample documents.  The bureau is the department the text names most often (with
the longest place prefix it is given anywhere, e.g. ``长沙市天心区医疗保障局`` where the text also says
``天心区医疗保障局``), weighted up where a title or a ``填报单位：`` / ``单位名称：`` line names it.
Province and administrative level come from a national list of prefecture-level divisions
(``data/prefectures.tsv``) and from the place words of the bureau's name.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .document import Document
from .loaders.base import DocMeta
from .memo import Memo

__all__ = ["recognize", "DOC_TYPES", "is_disclosure"]

# --------------------------------------------------------------------------------------- departments

_DEPT_CORES = (
    "医疗保障局 医疗保障事务中心 民政厅 财政厅 卫生健康委 人力资源和社会保障厅 教育厅 卫生健康委员会 卫生健康局 卫生和计划生育委员会 民政局 人力资源和社会保障局 "
    "人力资源社会保障局 财政局 教育局 教育体育局 教育和体育局 公安局 司法局 自然资源局 自然资源和规划局 "
    "生态环境局 住房和城乡建设局 住房城乡建设局 交通运输局 水利局 水务局 农业农村局 商务局 文化和旅游局 "
    "文化旅游局 文化广电旅游局 文化广电和旅游局 应急管理局 审计局 市场监督管理局 统计局 林业局 林业和草原局 "
    "退役军人事务局 科学技术局 科技局 工业和信息化局 发展和改革委员会 发展改革委员会 发展和改革局 体育局 "
    "城市管理局 城市管理和综合执法局 信访局 民族宗教事务局 乡村振兴局 医疗保障管理局 人民政府办公室 "
    "政务服务和大数据管理局 行政审批服务局 数据局 粮食和物资储备局 机关事务管理局 档案局 气象局 "
    "残疾人联合会 妇女联合会 总工会 共青团委员会 红十字会 老龄工作委员会 疾病预防控制中心 疾病预防控制局"
).split()
_DEPT_GENERIC = r"[\u4e00-\u9fa5]{2,12}?(?:局|委员会|厅)"
_DEPT = "(?:" + "|".join(sorted(map(re.escape, _DEPT_CORES), key=len, reverse=True)) + ")"

# one place word: a name and its level; names are short, autonomous ones long
_PLACE_WORD = (r"(?:[\u4e00-\u9fa5]{2,12}?(?:自治区|自治州|自治县|自治旗)|[\u4e00-\u9fa5]{1,4}?(?:省|市|州|盟|地区|县|区|旗|新区))")
_FUNCTION_CHARS = set("我的和在于对由为是了将与及等向从按把被所其本该各全年月日度")
_PLACE_CHAIN = re.compile(rf"(?P<place>(?:{_PLACE_WORD}){{1,3}})(?P<dept>{_DEPT})")
# a place run is 2 to 45 characters long (up to three words of at most 15), so a chain starts 2 to 45 characters
# before a department name: ``_place_chains`` tries only those starts instead of every character of the text
_PLACE_RUN_MIN, _PLACE_RUN_MAX = 2, 45
_DEPT_RE = re.compile(_DEPT)
_GENERIC_CHAIN = re.compile(rf"(?P<place>(?:{_PLACE_WORD}){{1,3}})(?P<dept>{_DEPT_GENERIC})")
_NAMED_UNIT = re.compile(r"(?:填报单位|单位名称|部门名称|预算单位|部门（单位）名称|部门\(单位\)名称|名称)[:：]?\s*"
                         r"(?P<name>[\u4e00-\u9fa5]{2,30}?(?:局|委员会|厅|中心|办公室|院))")

# ------------------------------------------------------------------------------------ document types

_BUDGET_WORDS = r"部门预算(?:公开|情况说明|编制说明)|预算情况说明"
_BUDGET_TITLE = r".{0,40}\d{4}年(?:度)?部门预算(?!的通知)"  # a title at the very start of the text
DOC_TYPES = {
    "部门决算": re.compile(r"部门决算(?!数|情况)|决算情况说明|收入支出决算|决算公开"),
    "部门预算": re.compile(rf"{_BUDGET_WORDS}|^{_BUDGET_TITLE}"),
    "部门整体支出绩效自评报告": re.compile(r"部门整体支出(?:（\d{4}年度）)?绩效(?:自评|评价)"),
    "项目支出绩效自评": re.compile(r"项目支出绩效自评|项目绩效自评|专项资金绩效自评|项目支出绩效评价"),
}

_YEAR_TITLE = re.compile(
    r"(?P<y>20\d{2})\s*年\s*度?\s*(?:[\u4e00-\u9fa5]{0,16})?"
    r"(?:部门决算|部门预算|部门整体支出|项目支出绩效|专项资金绩效|决算情况|收入支出决算)"
    r"|部门整体支出（(?P<y2>20\d{2})年度）"
)
_YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年")
_DISCLOSURE_WORDS = re.compile(r"预算|决算|绩效|支出|收入|经费|拨款|资金")
_MONEY = re.compile(r"\d\s*(?:万元|元|亿元)|单位[:：]\s*(?:万元|元)")


@lru_cache(maxsize=1)
def _prefectures() -> tuple[dict[str, str], dict[str, str]]:
    """Prefecture name → province, and full form (with suffix) → bare name."""
    by_name: dict[str, str] = {}
    full: dict[str, str] = {}
    for line in (Path(__file__).parent / "data" / "prefectures.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        province, names = line.split("\t")
        for name in names.split():
            bare = re.sub(r"(?:[\u4e00-\u9fa5]{1,3}?族|蒙古|柯尔克孜|哈萨克)+自治州$|地区$|盟$|林区$", "", name) or name
            by_name[bare] = province
            by_name[name] = province
            full[name] = bare
    return by_name, full


_PROVINCES = ("北京 天津 上海 重庆 河北 山西 内蒙古 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
              "广东 广西 海南 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆").split()
_PROVINCE_WORD = re.compile(r"(" + "|".join(_PROVINCES) + r")(?:省|自治区|壮族自治区|回族自治区|维吾尔自治区|市)")


class _TextCounts:
    """How often words occur in one text (anywhere, and where they start a name), each counted once."""

    def __init__(self, text: str):
        self.count = Memo(lambda word: text.count(word) if text else 0)
        self.starts = Memo(lambda word: len(_BOUNDARY(word).findall(text)))


def _split_places(place: str, text: str | _TextCounts = "") -> list[str]:
    """Split a run of place words into words, right to left: ``长沙市天心区`` → [``长沙市``, ``天心区``].

    A word is accepted when it is a known prefecture or province, or when the text uses it at least twice
    (so ``部门浏阳市`` in ``第一部分 浏阳市…`` yields ``浏阳市``); the word next to the department falls back
    to its shortest reading (a 2-character name and its level) when the text names it only once.
    """
    counts = text if isinstance(text, _TextCounts) else _TextCounts(text)
    words: list[str] = []
    rest = place
    while rest:
        found = None
        for size in range(min(len(rest), 13), 1, -1):
            word = rest[-size:]
            if not _plausible_word(word):
                continue
            # a longer reading wins only where the text never uses the shorter one alone (张家港市, not 门浏阳市)
            used = counts.count[word]
            if _prefecture_of(word) or _PROVINCE_WORD.fullmatch(word) or (
                    used >= 2 and (len(word) <= 3 or used == counts.count[rest[-3:]]
                                   or counts.starts[word] >= 2)):
                found = word
                break
        if found is None and not words:
            for size in (3, 4, 2):
                word = rest[-size:]
                if len(rest) >= size and _plausible_word(word):
                    found = word
                    break
        if found is None:
            break
        words.insert(0, found)
        rest = rest[: -len(found)]
    return words


_LEVEL_CHARS = set("省市州盟县区旗")


def _plausible_word(word: str) -> bool:
    """A place word: a name (no level character or function word inside it) and its level."""
    if not re.fullmatch(_PLACE_WORD, word) or word[0] in _LEVEL_CHARS:
        return False
    name = re.sub(r"(自治区|自治州|自治县|自治旗|地区|新区|省|市|州|盟|县|区|旗)$", "", word)
    if "自治" in word:
        return not any(ch in _FUNCTION_CHARS for ch in name)
    return not any(ch in _FUNCTION_CHARS or ch in "省市县区旗" for ch in name)


def _BOUNDARY(word: str) -> re.Pattern:
    """The word where it starts a name (after a non-Chinese character or at the start of the text)."""
    return re.compile(r"(?<![\u4e00-\u9fa5])" + re.escape(word))


def _prefecture_of(word: str) -> str | None:
    """The bare prefecture name if ``word`` (``长沙市``, ``恩施土家族苗族自治州``) is one, else None."""
    by_name, full = _prefectures()
    if word in full and word != full[word]:
        return full[word]
    m = re.fullmatch(r"(.+?)(市|州|盟|地区)", word)
    if m and m.group(1) in by_name and m.group(1) not in _PROVINCES:
        return m.group(1)
    if m and m.group(1) in ("北京", "天津", "上海", "重庆", "吉林") and m.group(2) == "市":
        return m.group(1)
    return None


def _place_chains(text: str):
    """``_PLACE_CHAIN.finditer(text)``, trying only the positions a chain can start from (same matches)."""
    depts = []  # where a department name starts (names may overlap)
    m = _DEPT_RE.search(text)
    while m is not None:
        depts.append(m.start())
        m = _DEPT_RE.search(text, m.start() + 1)
    pos = 0
    for d in depts:
        p = max(pos, d - _PLACE_RUN_MAX)
        while p <= d - _PLACE_RUN_MIN:
            m = _PLACE_CHAIN.match(text, p)
            if m:
                yield m
                p = m.end()
            else:
                p += 1
        pos = max(pos, p)


def _bureau(doc: Document) -> tuple[str | None, list[str]]:
    """The bureau's full name and the place words of its prefix."""
    text = doc.flow
    full_counts: Counter[tuple[str, str]] = Counter()
    split: dict[str, list[str]] = {}  # a place run is split once per document (the split reads the text)
    counts = _TextCounts(text)  # … and each word is counted in the text once
    for chains in (_place_chains(text), _GENERIC_CHAIN.finditer(text)):
        for m in chains:
            place = m.group("place")
            if place not in split:
                split[place] = _split_places(place, counts)
            words = split[place]
            if words:
                full_counts[("".join(words), m.group("dept"))] += 1
        if full_counts:
            break
    if not full_counts:
        return None, []
    for m in _NAMED_UNIT.finditer(text):
        name = m.group("name")
        for (place, dept) in list(full_counts):
            if name.endswith(place + dept):
                full_counts[(place, dept)] += 5
    # the department named most often (all its place variants together) is the bureau
    per_dept: Counter[str] = Counter()
    for (place, dept), n in full_counts.items():
        per_dept[dept] += n
    dept = per_dept.most_common(1)[0][0]
    variants = [(place, n) for (place, d), n in full_counts.items() if d == dept]
    # the most frequent place, extended by any longer variant that ends with it (天心区 → 长沙市天心区)
    variants.sort(key=lambda pn: (-pn[1], -len(pn[0])))
    best = variants[0][0]
    for place, _ in variants:
        if len(place) > len(best) and place.endswith(best):
            best = place
    return best + dept, split[best] if best in split else _split_places(best, counts)


def _fiscal_year(doc: Document) -> int | None:
    head = doc.flow[:3000]
    for text in (head, doc.flow):
        m = _YEAR_TITLE.search(text)
        if m:
            return int(m.group("y") or m.group("y2"))
    years = Counter(int(m.group("y")) for m in _YEAR.finditer(doc.flow))
    return years.most_common(1)[0][0] if years else None


# ``DOC_TYPES`` as searched: a ``^`` branch can only match at the start of the text, so it is tried there
# alone (a search holding it tries the ``^`` at every character and loses the fast scan for literal words)
_TYPE_SEARCH: dict[str, tuple[re.Pattern, re.Pattern | None]] = {
    name: (rx, None) for name, rx in DOC_TYPES.items()}
_TYPE_SEARCH["部门预算"] = (re.compile(_BUDGET_WORDS), re.compile(_BUDGET_TITLE))


def _doc_types(doc: Document) -> list[str]:
    found = []
    for name, (rx, at_start) in _TYPE_SEARCH.items():
        if at_start is not None and at_start.match(doc.flow):
            found.append((0, name))
            continue
        m = rx.search(doc.flow)
        if m:
            found.append((m.start(), name))
    return [name for _, name in sorted(found)]


def _geography(doc: Document, places: list[str]) -> tuple[str | None, str | None, str | None]:
    """(province, prefecture city, admin level) from the bureau's place words and the text."""
    by_name, _ = _prefectures()
    province = city = level = None
    prefs = [(_prefecture_of(w), w) for w in places]
    for bare, word in prefs:
        if bare:
            city = word if word.endswith(("市", "州", "盟", "地区")) else bare + "市"
            province = by_name[bare]
    last = places[-1] if places else None
    if last:
        if re.search(r"(省|自治区)$", last) or (len(places) == 1 and last[:-1] in ("北京", "天津", "上海", "重庆")):
            level = "省级"
        elif _prefecture_of(last):
            level = "地市级"
        elif last.endswith(("区", "新区")):
            level = "市辖区"
        elif last.endswith(("县", "旗", "自治县", "自治旗")):
            level = "县"
        elif last.endswith("市"):
            level = "县级市"
    if city is None and last and level in ("县", "县级市", "市辖区"):
        # the prefecture the text names most often (a county bureau speaks of its city)
        counts: Counter[str] = Counter()
        for m in re.finditer(r"([\u4e00-\u9fa5]{2,4}?)(市|州)", doc.flow):
            bare = m.group(1)
            if bare in by_name and bare + m.group(2) != last:
                counts[bare] += 1
        stem = re.sub(r"(县|市|区|旗)$", "", last)
        if stem in by_name and last.endswith("县"):
            counts[stem] += 100  # 衡阳县 lies in 衡阳市
        if counts:
            bare = counts.most_common(1)[0][0]
            city, province = bare + "市", by_name[bare]
    if province is None:
        m = _PROVINCE_WORD.search(doc.flow)
        if m:
            province = m.group(1)
    return province, city, level


def recognize(doc: Document) -> DocMeta:
    """Read the bureau, fiscal year, document types, province, city and level from the text.

    Parameters
    ----------
    doc:
        The normalized document.
    """
    bureau, places = _bureau(doc)
    province, city, level = _geography(doc, places)
    return DocMeta(bureau=bureau, fiscal_year=_fiscal_year(doc), doc_types=_doc_types(doc),
                   province=province, city=city, admin_level=level)


def is_disclosure(doc: Document) -> bool:
    """Whether the text speaks the language of a budget disclosure (money and 预算/决算/支出 words).

    Parameters
    ----------
    doc:
        The normalized document.
    """
    return bool(_MONEY.search(doc.flow)) and _DISCLOSURE_WORDS.search(doc.flow) is not None
