"""Headcount facts: staff figures (编制数, 在职人数, 实有人数, 离退休人员, 编外人员 …) in persons.

Two shapes are read:

* prose: a sentence about the department's staff (it names 编制 / 在职 / 在编 / 实有人数 / 干部职工 /
  离退休 …) in which every ``<label> N 人|名`` (and ``编制 N 个``) is a figure; the label is the words before
  the number, back to the previous comma, bracket or ``其中``, without time and owner words
  (``2021年我局共有``, ``年末``, ``为``);
* tables: a header of staff columns (``编制数 | 2021年实际在职人数 | 控制率``, Word cells or PDF lines)
  followed by a row of numbers in the same order.

The item is the label as the document writes it; a bare status (``在职22人``) becomes ``在职人数`` and a
bare ``编制42个`` becomes ``编制数``. Repeated statements of the same count under another name of the same
concept (编制人数 / 编制数, 在职人数 / 实际在职人数) are one fact; different values are kept.
"""

from __future__ import annotations

import re

from .base import FactLoader

_SPACES = re.compile(r"\s+")  # layout spaces, dropped from labels and cells

__all__ = ["HeadcountLoader"]

SUM_TOLERANCE_PERSONS = 0
"""Staff parts listed under 其中 must add up to their total exactly (persons are whole)."""

_NUM = r"\d{1,6}"
# a sentence about the department's own staff names one of these
_STAFF_ANCHOR = re.compile(r"编制|在职|在编|在岗|实有人数|干部职工|职工总数|离退休|退休人员|离休人员|编外|人员情况|人员构成")
# a label is a staff figure when it names one of these …
_STAFF_WORD = re.compile(
    r"编制|在职|在编|在岗|实有|职工|退休|离休|编外|聘用|聘请|工勤|军转|公务员|参公|人员|人数|遗属|学生")
# … and none of these (beneficiaries, services, events)
_NOT_STAFF = re.compile(
    r"参保|患者|救助|对象|群众|居民|人口|贫困|脱贫|死亡|人次|户|服务|培训|学员|会议|检查|监管人员|工作人员|"
    r"班子|领导|代表|委员|志愿|受益|就诊|住院|门诊|享受|困难|儿童|老人|残疾|低保|特困|农民|学生人次|"
    r"补助|资助|人员经费|人员支出|万|元")
_COUNT = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>人|名|个)(?![次民工口均数员])")
_CUT = re.compile(r".*(?:[，,、；;：:（(）)。\n]|其中|包括|含|另有|另外|以及|及|和)")
_LEAD = re.compile(
    r"^(?:(?:截[止至]|到|至)?\d{4}\s*年(?:度|底|末|年末|年底|\d{1,2}月(?:\d{1,2}日)?)?(?:底|末)?|目前|现|"
    r"我局|本局|我委|本委|我部门|本部门|我单位|本单位|我中心|本中心|全局|全委|局|单位|部门|年末|年底|"
    r"共有|现有|实有(?!人数)|核定|共设|设有|设|共|有|总计|合计|总数|其中)+")
_TRAIL = re.compile(r"(?:共计|总计|合计|共|为|是|达|计|约|有)+$")
_BARE_STATUS = re.compile(r"(?:在职|在编|在岗|实有|退休|离休|离退休)$")

# table columns: staff headers, in order; percentages (控制率) are read and skipped
_TABLE_COLUMN = re.compile(
    r"(?:\d{4}年(?:年末|年底|末|底)?)?(?:实际|年末|核定)?(?:在职|实有|在编|编制|离退休|退休|离休|编外|聘用|财政供养)"
    r"(?:人员)?(?:人数|数)|[\u4e00-\u9fff]{0,4}率")
# a staff table is anchored on a line naming 人员情况, 编制数, 编制人数, 在职人数 or 实有人数; the lines are found
# by two searches that each start with a literal (a search skips to the next occurrence of it at once):
# the 人 of four of the words, then 编制数
_TABLE_ANCHORS = (re.compile(r"人(?:员情况|数(?<=编制人数|在职人数|实有人数))"), re.compile(r"编制数"))
_TABLE_REACH = 12
"""How many lines a staff table's header and number row may span."""
_TABLE_NUMBER = re.compile(r"^\d{1,6}(?:\.\d+)?%?$")


def _concept(item: str) -> str:
    """The concept a label names, so that 编制人数 and 编制数, 在职人数 and 实际在职人数 are one."""
    key = re.sub(r"^(?:\d{4}年(?:年末|年底|末|底)?|实际|核定|年末)+", "", item)
    key = re.sub(r"(?:人员|人数|数)$", "", key)
    if key in ("编制", "人员编制", "编制人"):
        return "编制"
    return key


class HeadcountLoader(FactLoader):
    """Staff figures of the department (persons)."""

    kind = "headcount"

    # -------------------------------------------------------------------------------------- prose

    @staticmethod
    def _label(before: str, unit: str) -> str | None:
        cut = _CUT.match(before)
        label = before[cut.end():] if cut else before
        label = _SPACES.sub("", label)
        for _ in range(3):
            trimmed = _TRAIL.sub("", _LEAD.sub("", label))
            if trimmed == label:
                break  # a fixed point: the remaining rounds would change nothing either
            label = trimmed
        if not label or len(label) > 30:
            return None
        if unit == "个" and not label.endswith("编制"):
            return None
        if not _STAFF_WORD.search(label) or _NOT_STAFF.search(label):
            return None
        if label == "编制":
            return "编制数"
        if _BARE_STATUS.search(label):
            label += "人数"
        return label

    def _prose(self) -> list[dict]:
        flow = self.doc.flow
        out = []
        # sentences end at 。 or a paragraph break; only a sentence naming a staff word is read. A staff
        # word holds neither 。 nor a line break, so one search of the flow from the end of the last sentence
        # read finds the next sentence holding one: the other sentences are never cut out and searched.
        pos = 0
        while (anchor := _STAFF_ANCHOR.search(flow, pos)) is not None:
            at = anchor.start()
            start = max(flow.rfind("。", 0, at), flow.rfind("\n", 0, at)) + 1
            ends = [e for e in (flow.find("。", at), flow.find("\n", at)) if e >= 0]
            end = min(ends) if ends else len(flow)
            sentence = flow[start:end]
            for m in _COUNT.finditer(sentence):
                label = self._label(sentence[max(0, m.start() - 40):m.start()], m.group("unit"))
                if label:
                    line = self.doc.line_of(start + m.start("num"))
                    out.append({"item": label, "value": float(m.group("num")), "line": line})
            pos = end + 1
        return out

    # -------------------------------------------------------------------------------------- tables

    def _tables(self) -> list[dict]:
        """Staff tables, read from the cleaned lines so that Word cells and PDF header lines both work."""
        clean, out = self.doc.clean, []
        n, resume = len(clean), 0
        for i in self._anchor_lines(clean):
            if i < resume or len(clean[i].strip()) > 60:
                continue
            header, values, j = [], [], i
            while j < min(n, i + _TABLE_REACH):
                text = clean[j].strip()
                toks = text.split()  # str.split() splits at runs of \s (str.isspace, \u3000 included)
                if toks and all(_TABLE_NUMBER.match(t) for t in toks):
                    values.extend((t, j + 1) for t in toks)
                elif values and (text or not clean[j].startswith("\t")):
                    break
                elif text:
                    header.append(_SPACES.sub("", text))
                j += 1
            cols = _TABLE_COLUMN.findall("".join(header))
            if not values or len(cols) != len(values) or not any(not c.endswith("率") for c in cols):
                continue
            for col, (tok, line) in zip(cols, values):
                if col.endswith("率") or tok.endswith("%"):
                    continue
                out.append({"item": re.sub(r"^\d{4}年", "", col), "value": float(tok), "line": line})
            resume = j  # the next table starts after this one's rows
        return out

    @staticmethod
    def _anchor_lines(clean: list[str]) -> list[int]:
        """Indexes of the lines holding a staff-table anchor (``编制数``, ``人员情况`` …), in order.

        The searches of ``_TABLE_ANCHORS`` run over the lines joined by line breaks: neither an anchor nor a
        cleaned line holds a line break, so every match lies in one line and every line holding an anchor
        holds a match.
        """
        joined = "\n".join(clean)
        lines: list[int] = []
        line, seen = 0, 0
        for at in sorted(m.start() for rx in _TABLE_ANCHORS for m in rx.finditer(joined)):
            line += joined.count("\n", seen, at)
            seen = at
            if not lines or lines[-1] != line:
                lines.append(line)
        return lines

    # -------------------------------------------------------------------------------------- chain

    def extract(self) -> list[dict]:
        """Staff figures from staff sentences and staff tables."""
        return self._prose() + self._tables()

    def dedupe_key(self, fact: dict) -> tuple:
        """The same count of the same concept (编制人数 = 编制数) is one figure; the first statement is kept."""
        return (_concept(fact["item"]), fact["value"], fact["year"])

    def validate(self, facts: list[dict]):
        """Check that 在编/在职 parts listed in brackets add up to their total (findings only).

        Parameters
        ----------
        facts:
            Transformed facts.
        """
        for f in facts:
            if not re.search(r"在编|在职|实有", f["item"]):
                continue
            parts = [g for g in facts if g is not f and 0 <= g["line"] - f["line"] <= 2
                     and re.search(r"(?:行政|事业|参公|工勤)编制", g["item"])]
            if len(parts) >= 2:
                total = sum(g["value"] for g in parts)
                if abs(total - f["value"]) > SUM_TOLERANCE_PERSONS and total > f["value"]:
                    self.finding("headcount_parts", f"{f['item']} {f['value']:g} but its 编制 parts add up to "
                                 f"{total:g}", f["line"])
        return super().validate(facts)
