"""Read a disclosure document and normalize its text, keeping a map back to the original lines.

A converted disclosure arrives in one of two shapes (often mixed in one file):

* PDF text: hard-wrapped paragraphs (every line about the same width, often a blank line between two lines
  of one paragraph), words and numbers broken across lines (``193.`` / ``25``), table rows flattened into
  space-separated cells (``三公经费 0.15 3 1.62``).
* Word text: one paragraph per line, tables written one cell per line with a leading tab, rows separated by
  a blank line, cells that span lines, empty cells (a lone tab) and ``[bookmark: …]`` noise.

``Document`` offers three views of the same text, each mapped back to the 1-based original line numbers:

``clean``   one cleaned string per original line (noise removed, full-width digits made ASCII).
``flow``    the running text: hard-wrapped lines re-joined into paragraphs, spaces between Chinese text and
            numbers dropped; ``line_of(offset)`` gives the original line of any character.
``tables``  rows of cells rebuilt from tab tables (Word) and from space-separated rows (PDF).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

__all__ = ["Cell", "Document", "DocumentError", "Row", "Table", "read_document", "clean_line"]


T = TypeVar("T")


class DocumentError(ValueError):
    """A file that cannot be read as a disclosure document; the message names the file and the reason."""


# --------------------------------------------------------------------------------------------- cleaning

_FULLWIDTH = {ord("０") + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({
    ord("％"): "%", ord("．"): ".", ord("\u3000"): " ", ord("\xa0"): " ", ord("＜"): "<", ord("＞"): ">",
    ord("＝"): "=", ord("≧"): "≥", ord("≦"): "≤", ord("﹪"): "%", ord("\u2002"): " ", ord("\u2003"): " ",
    ord("\u2009"): " ", ord("\u200b"): None, ord("\ufeff"): None, ord("\r"): None, ord("\x0c"): None,
    ord("－"): "-", ord("＋"): "+", ord("，"): "，",
})
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# the characters ``_FULLWIDTH`` changes: a line without any is left as it is (``str.translate`` is slow)
_TO_TRANSLATE = re.compile("[" + "".join(
    re.escape(chr(k)) for k, v in _FULLWIDTH.items() if v != k and v != chr(k)) + "]")

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201f\u2014\u2026\u00b7"
# a run of spaces next to a Chinese character or Chinese punctuation carries no meaning
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t]+|[ \t]+(?=[{_CJK}])")


def clean_line(text: str) -> str:
    """Clean one line: drop bookmarks and control noise, make full-width digits and signs ASCII.

    Parameters
    ----------
    text:
        One original line, without its line break.
    """
    if "[bookmark:" in text:
        text = _BOOKMARK.sub("", text)
    if _TO_TRANSLATE.search(text):
        text = text.translate(_FULLWIDTH)
    return text


def squeeze(text: str) -> str:
    """Drop the spaces that sit next to Chinese text, keep those between two numbers.

    Parameters
    ----------
    text:
        Cleaned text.
    """
    if " " not in text and "\t" not in text:
        return text.strip()  # nothing to drop
    return _SPACE_NEAR_CJK.sub("", text).strip()


_WIDE_RANGES = (r"\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                r"\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6")
_NOT_WIDE = re.compile(rf"[^{_WIDE_RANGES}]+")


def display_width(text: str) -> int:
    """Width of ``text`` in terminal columns (wide East Asian characters count 2).

    Parameters
    ----------
    text:
        Any text.
    """
    # the wide characters are what is left once the others are dropped
    return len(text) + len(_NOT_WIDE.sub("", text))


# a wide character that never occurs in a disclosure text (a Hangul filler), to cut a joined text into lines
_WIDE_SEPARATOR = "\u115f"


def _display_widths(lines: list[str]) -> list[int]:
    """``display_width`` of each line, computed in one pass over the lines joined together.

    Parameters
    ----------
    lines:
        Lines without line breaks.
    """
    joined = _WIDE_SEPARATOR.join(lines)
    if joined.count(_WIDE_SEPARATOR) != len(lines) - 1:  # the separator occurs in the text itself
        return [display_width(x) for x in lines]
    # the separator is wide, so it survives the sub and still cuts the wide characters line by line
    wide = _NOT_WIDE.sub("", joined).split(_WIDE_SEPARATOR) if lines else []
    return [len(x) + len(w) for x, w in zip(lines, wide)]


# ----------------------------------------------------------------------------------------------- tables


@dataclass
class Cell:
    """One table cell: its text (layout spaces removed) and the original line where it starts."""

    text: str
    line: int


@dataclass
class Row:
    """One table row; ``line`` is the original line of its first cell."""

    cells: list[Cell]
    line: int
    source: str  # "tab" (Word table) or "space" (flattened PDF row)
    raw: str = ""  # the row's cleaned text with its spaces kept (cells joined by tabs for Word rows)

    @property
    def texts(self) -> list[str]:
        """The cells' texts."""
        return [c.text for c in self.cells]

    @property
    def last_line(self) -> int:
        """Original line of the row's last cell."""
        return max(c.line for c in self.cells) if self.cells else self.line


@dataclass
class Table:
    """Consecutive rows of one table, in document order."""

    rows: list[Row] = field(default_factory=list)

    @property
    def line(self) -> int:
        """Original line of the table's first row."""
        return self.rows[0].line if self.rows else 0


_NUMBER_TOKEN = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$|^[—\-–]{1,2}$")


# the last character of any ``_NUMBER_TOKEN`` is a decimal digit or one of these
_NUMBER_END = frozenset("%—-–")


def _is_number_token(tok: str) -> bool:
    return bool(_NUMBER_TOKEN.match(tok))


# --------------------------------------------------------------------------------------------- document


@dataclass
class Document:
    """A disclosure document's text with three line-mapped views (see the module docstring)."""

    name: str
    text: str
    sha256: str
    size_bytes: int
    path: Path | None = None
    lines: list[str] = field(init=False)
    clean: list[str] = field(init=False)
    flow: str = field(init=False)
    _flow_starts: list[int] = field(init=False, repr=False)  # where each line's text starts in ``flow``
    _flow_owners: list[int] = field(init=False, repr=False)  # … and that line's 1-based number
    tables: list[Table] = field(init=False)
    wrapped: bool = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.clean = [clean_line(x) for x in self.lines]
        # each cleaned line stripped, and its display width (0 for a blank line), computed once
        self._stripped = [x.strip() for x in self.clean]
        self._widths = _display_widths(self._stripped)
        self.wrapped, self._width = self._measure_wrapping()
        self._build_flow()
        self.tables = self._build_tables()

    # ---------------------------------------------------------------------------------- line access

    @property
    def compact(self) -> list[str]:
        """Each cleaned line squeezed (``squeeze``) and without tabs; built once, on first use."""
        lines = self.__dict__.get("_compact")
        if lines is None:
            # squeeze(line) == squeeze(line.strip()): the flow's pieces, kept by ``_build_flow``, serve
            lines = self.__dict__["_compact"] = [x.replace("\t", "") for x in self._squeezed]
        return lines

    def derived(self, key: str, build: Callable[[Document], T]) -> T:
        """A value read off the document, built by ``build(self)`` on first use and kept with the document.

        Several loaders read the same structures (the indicator tables, the report titles); each is built
        once per document and goes away with it.

        Parameters
        ----------
        key:
            The value's name (one name per ``build``).
        build:
            Builds the value from the document.
        """
        cache = self.__dict__.setdefault("_derived", {})
        if key not in cache:
            cache[key] = build(self)
        return cache[key]

    def raw_line(self, line: int) -> str:
        """The original text of 1-based ``line``.

        Parameters
        ----------
        line:
            1-based line number.
        """
        return self.lines[line - 1] if 1 <= line <= len(self.lines) else ""

    def line_of(self, offset: int) -> int:
        """The original 1-based line of character ``offset`` of ``flow``.

        Parameters
        ----------
        offset:
            Index into ``self.flow``.
        """
        if not self.flow:
            return 1
        offset = min(max(offset, 0), len(self.flow) - 1)
        return self._flow_owners[bisect_right(self._flow_starts, offset) - 1]

    def snippet(self, first: int, last: int | None = None, limit: int = 200,
                focus: list[str] | Callable[[], list[str]] | None = None) -> str:
        """Source text around lines ``first``..``last`` (whole lines, blank lines skipped, ≤ ``limit`` chars).

        The lines themselves come first; neighbouring lines are added while the limit allows, so the
        figure's own line is always in the snippet.

        Parameters
        ----------
        first, last:
            1-based original line range holding the figure.
        limit:
            Maximum length in characters.
        focus:
            Renderings of the figure (``1740.44``); a line longer than ``limit`` is cut around the first
            one found.  May be a function returning them (called only for such a line).
        """
        last = last or first
        lines = self._collapsed_lines()
        count = len(lines) - 1

        def text(n: int) -> str:
            return lines[n] if 0 < n <= count else ""

        core = " ".join(t for t in (text(n) for n in range(first, last + 1)) if t)
        if len(core) >= limit:
            # a long paragraph: the window around the figure (its first rendering found in the text)
            if callable(focus):
                focus = focus()
            for f in focus or []:
                at = core.find(f) if f else -1
                if at >= 0:
                    start = max(0, min(at - limit // 2, len(core) - limit))
                    return core[start:start + limit]
            return core[:limit]
        # add the nearest non-blank line after, then before, while the snippet stays within the limit
        # (lines outside the document are blank: start inside it); several figures of one line share it
        done = self.__dict__.setdefault("_snippets", {})
        key = (first, last, limit)
        if key in done:
            return done[key]
        before, after = min(first - 1, count), max(last + 1, 1)
        above: list[str] = []
        below: list[str] = []
        size = len(core)
        grew = True
        while grew:
            grew = False
            while after <= count and not lines[after]:
                after += 1
            if after <= count and size + 1 + len(lines[after]) <= limit:
                below.append(lines[after])
                size += 1 + len(lines[after])
                after, grew = after + 1, True
            while before >= 1 and not lines[before]:
                before -= 1
            if before >= 1 and size + 1 + len(lines[before]) <= limit:
                above.append(lines[before])
                size += 1 + len(lines[before])
                before, grew = before - 1, True
        done[key] = got = " ".join(above[::-1] + [core] + below)
        return got

    def _collapsed_lines(self) -> list[str]:
        """The original lines with bookmarks removed and whitespace collapsed, 1-based (index 0 is blank)."""
        lines = self.__dict__.get("_collapsed")
        if lines is None:
            lines = self.__dict__["_collapsed"] = [""] + [
                " ".join((_BOOKMARK.sub("", x) if "[bookmark:" in x else x).split()) for x in self.lines]
        return lines

    # ------------------------------------------------------------------------------------ wrapping

    def _measure_wrapping(self) -> tuple[bool, int]:
        measured = [(x, w) for raw, x, w in zip(self.clean, self._stripped, self._widths)
                    if x and not raw.startswith("\t")]
        widths = sorted(w for _, w in measured)
        if len(widths) < 20:
            return False, 0
        width = widths[int(len(widths) * 0.75)]
        if width < 30:
            return False, width
        full = [x for x, w in measured if 0.8 * width <= w <= 1.15 * width]
        open_ended = sum(1 for x in full if x[-1] not in "。；！？”）);:：")
        # a hard-wrapped text has many lines of about the same width, most of them cut mid-sentence;
        # Word paragraphs vary in width and end with their sentence
        return len(full) / len(widths) >= 0.35 and open_ended / max(len(full), 1) >= 0.6, width

    def _joins_next(self, text: str, width: int) -> bool:
        """Whether a hard-wrapped line (``text``, ``width`` columns wide) continues on the next non-blank line."""
        if not self.wrapped or not text:
            return False
        if text[-1] in "。！？；：:;!?）)" and width < 0.97 * self._width:
            return False
        return width >= 0.8 * self._width

    def _build_flow(self) -> None:
        parts: list[str] = []
        # the flow is cut into runs of one line each (its line break, if any, then its text): the run's
        # start offset and its line
        starts: list[int] = []
        owners: list[int] = []
        size = 0
        joining = False
        # each line squeezed ("" when blank), all lines in one pass: the spaces ``squeeze`` drops never
        # include a line break, and a line break is no Chinese character, so each line comes out as alone
        # (its own ``strip`` is a no-op: the lines are stripped, and squeezing only drops inner spaces)
        squeezed = self._squeezed = _SPACE_NEAR_CJK.sub("", "\n".join(self._stripped)).split("\n") \
            if self._stripped else []
        for n, (text, width) in enumerate(zip(self._stripped, self._widths), 1):
            if not text:
                continue
            starts.append(size)
            owners.append(n)
            if parts and not joining:
                parts.append("\n")
                size += 1
            # a number or a latin word broken across two joined lines meets again without a gap
            piece = squeezed[n - 1]
            parts.append(piece)
            size += len(piece)
            joining = self._joins_next(text, width)
        self.flow = "".join(parts)
        self._flow_starts, self._flow_owners = starts, owners

    # -------------------------------------------------------------------------------------- tables

    def _build_tables(self) -> list[Table]:
        tables: list[Table] = []
        current = Table()
        clean, stripped = self.clean, self._stripped
        i, n = 0, len(clean)

        def close() -> None:
            nonlocal current
            if current.rows:
                tables.append(current)
            current = Table()

        while i < n:
            text = clean[i]
            if text.startswith("\t"):
                # a Word table row: tab-led cells until a blank line; untabbed lines continue the cell
                cells: list[Cell] = []
                while i < n and stripped[i] != "" or (i < n and clean[i].startswith("\t")):
                    t = clean[i]
                    if t.startswith("\t"):
                        for k, part in enumerate(t.split("\t")[1:]):
                            cells.append(Cell(squeeze(part), i + 1))
                    elif cells:
                        cells[-1].text += squeeze(t)
                    else:
                        cells.append(Cell(squeeze(t), i + 1))
                    i += 1
                if cells:
                    raw = "\t".join(c.text for c in cells)
                    current.rows.append(Row(cells, cells[0].line, "tab", raw))
                # blank lines between rows keep the table open; prose closes it
                j = i
                while j < n and not stripped[j] and not clean[j].startswith("\t"):
                    j += 1
                if j >= n or not clean[j].startswith("\t"):
                    close()
                i = j
                continue
            s = stripped[i]
            # a row ends in a number token (a digit, % or a dash): other lines need no splitting
            row = self._space_row(s, i + 1) if s and (s[-1].isdecimal() or s[-1] in _NUMBER_END) else None
            if row is not None:
                if current.rows and current.rows[-1].source == "tab":
                    close()
                current.rows.append(row)
            elif stripped[i] and current.rows and current.rows[-1].source == "space":
                # a text line inside a flattened table (header, label) is kept as a one-cell row,
                # a long prose line ends the table
                if self._widths[i] < 60:
                    current.rows.append(Row([Cell(self._squeezed[i], i + 1)], i + 1, "space", stripped[i]))
                else:
                    close()
            i += 1
        close()
        # drop one-cell-only "tables"
        return [t for t in tables if any(len(r.cells) > 1 for r in t.rows)]

    @staticmethod
    def _space_row(text: str, line: int) -> Row | None:
        """A flattened PDF table row: a label followed by two or more space-separated numbers."""
        toks = text.strip().split()
        if len(toks) < 2:
            return None
        nums = 0
        for tok in reversed(toks):
            if _is_number_token(tok):
                nums += 1
            else:
                break
        if nums < 1 or (nums < 2 and len(toks) - nums > 1) or nums == len(toks) and nums < 2:
            return None
        label = squeeze(" ".join(toks[: len(toks) - nums]))
        cells = ([Cell(label, line)] if label else []) + [Cell(t, line) for t in toks[len(toks) - nums:]]
        return Row(cells, line, "space", text.strip())


# ---------------------------------------------------------------------------------------------- reading

_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, name: str) -> str:
    """Decode a document's bytes (UTF-8, GB18030 or UTF-16 with BOM), or raise ``DocumentError``.

    Parameters
    ----------
    data:
        The file's bytes.
    name:
        File name, for the error message.
    """
    if not data.strip():
        raise DocumentError(f"{name}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"{name}: cannot decode as UTF-16 ({exc.reason})") from exc
    if b"\x00" in data[:4096]:
        raise DocumentError(f"{name}: binary file (NUL bytes), not a text document; convert PDF/Word to text first")
    for enc in _ENCODINGS[:2]:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not re.search(r"[\u4e00-\u9fff]", text):
            break
        return text
    raise DocumentError(f"{name}: cannot decode the text (tried UTF-8 and GB18030)")


def read_document(path: str | Path, name: str | None = None) -> Document:
    """Read a file into a ``Document``; raises ``DocumentError`` naming the file and the reason.

    Parameters
    ----------
    path:
        The file to read.
    name:
        The document name to record (default: the file name).
    """
    path = Path(path)
    name = name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{name}: cannot read ({exc.strerror or exc})") from exc
    return document_from_bytes(data, name, path)


def document_from_bytes(data: bytes, name: str, path: Path | None = None) -> Document:
    """Build a ``Document`` from bytes (see ``read_document``).

    Parameters
    ----------
    data:
        The file's bytes.
    name:
        The document name.
    path:
        Where it came from, if a file.
    """
    text = decode(data, name)
    control = len(_CONTROL.findall(text))
    if control > max(10, len(text) // 200):
        raise DocumentError(f"{name}: binary content ({control} control characters), not a text document")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Document(name=name, text=text, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data), path=path)


def document_from_text(text: str, name: str = "fragment.txt") -> Document:
    """Build a ``Document`` from text already in memory (tests, fragments).

    Parameters
    ----------
    text:
        The document's text.
    name:
        The document name.
    """
    return document_from_bytes(text.encode("utf-8"), name)
