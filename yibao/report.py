"""The dashboard page: one self-contained HTML file over the ``marts`` schema.

``build_report(db_path, out_dir)`` opens the warehouse read-only, queries only ``marts.*`` and writes
``out_dir/index.html``. The page needs nothing but itself: the charts are inline SVG drawn here, the
style and the one small script (a self-check that records script errors and counts the rendered
charts, read by the browser test) are inline, and every CSV download is a ``data:`` URI. A Content
Security Policy forbids any network fetch, so the page works offline from ``file://``.

Every text that comes from the warehouse (bureau names, project names, indicator wording — document
text, so untrusted) is escaped with ``html.escape`` before it reaches the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import logging
import math
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import duckdb

log = logging.getLogger(__name__)

#: the marts the page reads (the dbt exposure ``yibao_dashboard`` declares the same list)
MARTS = (
    "bureau_year_summary",
    "function_spending",
    "three_public_trend",
    "project_outcomes",
    "indicator_results",
    "reconciliation_findings",
)

NO_DATA = "无数据"

MEASURE_LABELS = {
    "budget_initial": "年初预算",
    "budget_final": "全年预算",
    "actual": "决算数",
}
SCOPE_LABELS = {
    "all": "全部资金",
    "fiscal": "财政拨款",
    "general_public": "一般公共预算",
    "gov_fund": "政府性基金",
}
SCOPE_ORDER = {"all": 1, "fiscal": 2, "general_public": 3, "gov_fund": 4}

PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)

# Chinese headers of the columns of marts.reconciliation_findings (shown as is when not listed here).
RECON_LABELS = {
    "finding_id": "编号",
    "rule_id": "规则",
    "rule": "规则",
    "rule_title": "规则名称",
    "title": "规则名称",
    "severity": "严重程度",
    "category": "类别",
    "crosses_documents": "跨文档",
    "bureau_id": "部门编号",
    "bureau": "部门",
    "fiscal_year": "年度",
    "scope": "口径",
    "item": "项目",
    "description": "说明",
    "message": "说明",
    "left_label": "左侧",
    "left_value": "左侧数值",
    "left_value_wan": "左侧金额（万元）",
    "right_label": "右侧",
    "right_value": "右侧数值",
    "right_value_wan": "右侧金额（万元）",
    "difference": "差额",
    "difference_wan": "差额（万元）",
    "tolerance": "容差",
    "tolerance_wan": "容差（万元）",
    "left_doc": "左侧文档",
    "left_line": "左侧行号",
    "right_doc": "右侧文档",
    "right_line": "右侧行号",
    "_doc": "文档",
    "_line": "行号",
}


# ----------------------------------------------------------------------------------------------------
# formatting


def esc(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def is_null(value: Any) -> bool:
    """True for None and NaN (pandas-free: DuckDB returns None, but be safe)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt(value: Any, kind: str = "text") -> str:
    """Format a cell for display (not escaped)."""
    if is_null(value):
        return "—"
    if kind == "wan":
        return f"{float(value):,.2f}"
    if kind == "pct":
        return f"{float(value):.2f}%"
    if kind == "num":
        v = float(value)
        return f"{v:,.2f}" if v != int(v) else f"{int(v):,}"
    if kind in ("int", "year"):
        return str(int(value))
    if kind == "bool":
        return "是" if value else "否"
    return str(value)


def csv_value(value: Any) -> Any:
    """A cell for the CSV file: raw number, or text guarded against spreadsheet formula injection."""
    if is_null(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def text_width(text: str, size: float = 12.0) -> float:
    """Rough width of a label in px: CJK and full-width characters are square, others about half."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def clip(text: str, max_px: float, size: float = 12.0) -> str:
    """Shorten a label to ``max_px``, ending with an ellipsis."""
    if text_width(text, size) <= max_px:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > max_px:
            break
        out += ch
    return out + "…"


def nice_axis(value: float, integer: bool = False) -> tuple[float, float]:
    """A round upper bound of an axis and its tick step (at most five steps; whole steps for counts)."""
    if value <= 0:
        return 1.0, (1.0 if integer else 0.25)
    step = value / 5
    exp = 10 ** math.floor(math.log10(step))
    step = next(m * exp for m in (1, 2, 2.5, 5, 10) if m * exp >= step)
    if integer:
        step = max(1.0, math.ceil(step))
    return math.ceil(value / step - 1e-9) * step, step


def tick_label(value: float) -> str:
    """An axis tick."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0")


# ----------------------------------------------------------------------------------------------------
# tables and CSV


@dataclass
class Column:
    """A column of a data table: row key, Chinese header, display kind."""

    key: str
    label: str
    kind: str = "text"


@dataclass
class Table:
    """Rows shown as an HTML table and offered as a CSV download."""

    name: str  # file name stem of the CSV
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    caption: str = ""

    def csv_text(self) -> str:
        """The CSV text (header of Chinese labels), with a BOM so that spreadsheet programs read UTF-8."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow([csv_value(row.get(c.key)) for c in self.columns])
        return "\ufeff" + buf.getvalue()

    def csv_href(self) -> str:
        """The CSV as a data: URI (every character outside [A-Za-z0-9_.~-] percent-encoded)."""
        return "data:text/csv;charset=utf-8," + urllib.parse.quote(self.csv_text(), safe="")

    def html(self) -> str:
        """The table with its download link, or the 无数据 note."""
        cap = f"<h3>{esc(self.caption)}</h3>" if self.caption else ""
        if not self.rows:
            return f'<div class="table-block">{cap}<p class="empty">{NO_DATA}</p></div>'
        head = "".join(f"<th>{esc(c.label)}</th>" for c in self.columns)
        body = []
        for row in self.rows:
            cells = []
            for c in self.columns:
                v = row.get(c.key)
                cls = ' class="num"' if c.kind in ("wan", "pct", "num", "int") else ""
                if is_null(v):
                    cells.append(f'<td{cls}><span class="na" title="{NO_DATA}">—</span></td>')
                else:
                    cells.append(f"<td{cls}>{esc(fmt(v, c.kind))}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        link = (f'<a class="csv" download="{esc(self.name)}.csv" href="{esc(self.csv_href())}" '
                f'data-table="{esc(self.name)}">下载 CSV（{len(self.rows)} 行）</a>')
        return (f'<div class="table-block">{cap}{link}<div class="table-scroll">'
                f'<table data-name="{esc(self.name)}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table></div></div>')


# ----------------------------------------------------------------------------------------------------
# charts (inline SVG)

FONT = 12
CHART_W = 720


def _legend(names: list[str], x0: float, y: float, colors: list[str]) -> tuple[str, float]:
    """A one- or multi-line legend; returns (svg, height used)."""
    parts, x, line = [], x0, 0
    for i, name in enumerate(names):
        w = 18 + text_width(name, FONT) + 16
        if x + w > CHART_W - 10 and x > x0:
            x, line = x0, line + 1
        yy = y + line * 18
        parts.append(f'<rect class="legend-key" x="{x:.1f}" y="{yy - 10:.1f}" width="12" height="12" '
                     f'fill="{colors[i]}"/>'
                     f'<text x="{x + 16:.1f}" y="{yy:.1f}">{esc(name)}</text>')
        x += w
    return "".join(parts), (line + 1) * 18 if names else 0


def bar_chart(chart_id: str, title: str, categories: list[str], series: list[tuple[str, list[Any]]],
              unit: str, stacked: bool = False, ref_line: float | None = None,
              min_max: float | None = None, integer: bool = False, colors: list[str] | None = None) -> str:
    """Horizontal bars: one band per category, the series stacked or side by side.

    Parameters
    ----------
    chart_id:
        id of the <svg>.
    title:
        Accessible title of the chart.
    categories:
        Band labels (bureau and year, project …).
    series:
        (name, values) pairs, one value per category; None is drawn as no bar.
    unit:
        Unit of the value axis (万元, %, 分).
    stacked:
        Stack the series instead of grouping them.
    ref_line:
        Draw a dashed reference line at this value (100 for rates).
    min_max:
        Smallest upper bound of the axis.
    integer:
        The values are counts: whole-number ticks.
    colors:
        One colour per series (default: the palette).
    """
    if not categories or not series:
        return ""
    label_w = min(max(text_width(c, FONT) for c in categories) + 12, 300)
    names = [name for name, _ in series]
    colors = list(colors or [PALETTE[j % len(PALETTE)] for j in range(len(series))])
    legend, legend_h = _legend(names, label_w, 16, colors)
    top = 16 + legend_h + 14
    band_inner = 14 if stacked else max(8, min(14, 36 // max(1, len(series))))
    band = (band_inner if stacked else band_inner * len(series)) + 10
    plot_w = CHART_W - label_w - 20
    if stacked:
        totals = [sum(float(v) for _, vals in series if not is_null(v := vals[i]) and float(v) > 0)
                  for i in range(len(categories))]
        vmax = max(totals, default=0)
    else:
        vmax = max((float(v) for _, vals in series for v in vals if not is_null(v)), default=0)
    vmax, step = nice_axis(max(vmax, min_max or 0, ref_line or 0), integer)
    scale = plot_w / vmax
    height = top + band * len(categories) + 28
    out = [f'<svg class="chart" id="{esc(chart_id)}" role="img" aria-label="{esc(title)}" '
           f'viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" height="{height}" '
           f'><title>{esc(title)}</title>', legend]
    # grid and ticks
    axis_y = top + band * len(categories)
    for k in range(round(vmax / step) + 1):
        v = step * k
        x = label_w + v * scale
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}"/>'
                   f'<text class="tick" x="{x:.1f}" y="{axis_y + 14}" '
                   f'text-anchor="middle">{tick_label(v)}</text>')
    out.append(f'<text class="tick" x="{CHART_W - 4}" y="{axis_y + 26}" text-anchor="end">{esc(unit)}</text>')
    for i, cat in enumerate(categories):
        y0 = top + i * band + 5
        out.append(f'<text class="cat" x="{label_w - 6:.1f}" y="{y0 + (band - 10) / 2 + 4:.1f}" '
                   f'text-anchor="end"><title>{esc(cat)}</title>{esc(clip(cat, label_w - 10))}</text>')
        acc = 0.0
        for j, (name, vals) in enumerate(series):
            v = vals[i]
            if is_null(v):
                continue
            v = float(v)
            color = colors[j]
            tip = f"{cat} · {name}：{fmt(v, 'num')} {unit}"
            if stacked:
                if v <= 0:
                    continue
                x, w, y, h = label_w + acc * scale, v * scale, y0, band_inner
                acc += v
            else:
                x, w, y, h = label_w, max(v, 0) * scale, y0 + j * band_inner, band_inner - 2
            out.append(f'<rect class="mark" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{h}" '
                       f'fill="{color}"><title>{esc(tip)}</title></rect>')
    if ref_line is not None:
        x = label_w + ref_line * scale
        out.append(f'<line class="ref" x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{axis_y}"/>')
    out.append(f'<line class="axis" x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{axis_y}"/></svg>')
    return "".join(out)


def line_chart(chart_id: str, title: str, years: list[int], series: list[tuple[str, list[Any]]],
               unit: str) -> str:
    """Lines over years, one per series, with a dot (the mark) at every known value.

    Parameters
    ----------
    chart_id:
        id of the <svg>.
    title:
        Accessible title.
    years:
        The x axis.
    series:
        (name, values) pairs, one value per year; None leaves a gap.
    unit:
        Unit of the y axis.
    """
    if not years or not series:
        return ""
    names = [name for name, _ in series]
    legend, legend_h = _legend(names, 60, 16, [PALETTE[j % len(PALETTE)] for j in range(len(series))])
    top, left, right = 16 + legend_h + 14, 60, 30
    plot_h = 240
    plot_w = CHART_W - left - right
    vmax, step = nice_axis(max((float(v) for _, vals in series for v in vals if not is_null(v)), default=0))
    height = top + plot_h + 40

    def px(i: int) -> float:
        return left + (plot_w / 2 if len(years) == 1 else plot_w * i / (len(years) - 1))

    def py(v: float) -> float:
        return top + plot_h - v / vmax * plot_h

    out = [f'<svg class="chart" id="{esc(chart_id)}" role="img" aria-label="{esc(title)}" '
           f'viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" height="{height}" '
           f'><title>{esc(title)}</title>', legend]
    for k in range(round(vmax / step) + 1):
        v = step * k
        y = py(v)
        out.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{CHART_W - right}" y2="{y:.1f}"/>'
                   f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" '
                   f'text-anchor="end">{tick_label(v)}</text>')
    out.append(f'<text class="tick" x="{left - 6}" y="{top - 8}" text-anchor="end">{esc(unit)}</text>')
    for i, year in enumerate(years):
        out.append(f'<text class="tick" x="{px(i):.1f}" y="{top + plot_h + 18}" '
                   f'text-anchor="middle">{year}年</text>')
    for j, (name, vals) in enumerate(series):
        color = PALETTE[j % len(PALETTE)]
        segment: list[str] = []
        segments = []
        for i, v in enumerate(vals):
            if is_null(v):
                if segment:
                    segments.append(segment)
                segment = []
            else:
                segment.append(f"{px(i):.1f},{py(float(v)):.1f}")
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                out.append(f'<polyline class="line" points="{" ".join(seg)}" stroke="{color}"/>')
        for i, v in enumerate(vals):
            if not is_null(v):
                tip = f"{name} {years[i]}年：{fmt(v, 'num')} {unit}"
                out.append(f'<circle class="mark" cx="{px(i):.1f}" cy="{py(float(v)):.1f}" r="4.5" '
                           f'fill="{color}"><title>{esc(tip)}</title></circle>')
    out.append(f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{CHART_W - right}" '
               f'y2="{top + plot_h}"/></svg>')
    return "".join(out)


# ----------------------------------------------------------------------------------------------------
# sections


@dataclass
class Block:
    """A chart with the table of its data (chart None: a table on its own; "": no data to draw)."""

    chart: str | None
    table: Table


@dataclass
class Section:
    """One heading of the page."""

    key: str
    title: str
    intro: str
    blocks: list[Block] = field(default_factory=list)
    note: str = ""  # shown instead of the blocks when the data is not available

    def html(self) -> str:
        """The section's HTML."""
        parts = [f'<section id="{esc(self.key)}" class="card"><h2>{esc(self.title)}</h2>',
                 f'<p class="intro">{esc(self.intro)}</p>']
        if self.note:
            parts.append(f'<p class="unavailable" data-unavailable="1">{esc(self.note)}</p>')
        for block in self.blocks:
            if block.chart is None:
                parts.append(f'<div class="block block-table">{block.table.html()}</div>')
                continue
            chart = block.chart or f'<p class="empty chart-empty">{NO_DATA}</p>'
            parts.append(f'<div class="block"><div class="chart-box">{chart}</div>{block.table.html()}</div>')
        parts.append("</section>")
        return "".join(parts)


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _mart_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = 'marts' and table_name = ?",
        [name]).fetchone()[0])


def _label(row: dict[str, Any], *keys: str) -> str:
    """A band label: bureau, year and more, nulls shown as 无数据."""
    parts = []
    for k in keys:
        v = row.get(k)
        if k == "fiscal_year":
            parts.append(f"{v}年" if not is_null(v) else NO_DATA)
        elif k == "measure":
            parts.append(MEASURE_LABELS.get(v, v or NO_DATA))
        else:
            parts.append(NO_DATA if is_null(v) else str(v))
    return " ".join(parts)


def section_spending(con) -> Section:
    """(a) spending per bureau and year: 基本支出/项目支出, and by function class (类)."""
    sec = Section("spending", "一、支出结构：基本支出与项目支出、按功能分类",
                  "每个部门每年的本年支出，按基本支出和项目支出分列（marts.bureau_year_summary）；"
                  "以及按支出功能分类“类”级的支出（marts.function_spending）。金额单位：万元。")
    rows = _rows(con, """
        select bureau, fiscal_year, basic_expenditure_wan, project_expenditure_wan, total_expenditure_wan,
               project_share_pct
        from marts.bureau_year_summary
        order by bureau, fiscal_year
    """)
    for r in rows:
        b, p, t = r["basic_expenditure_wan"], r["project_expenditure_wan"], r["total_expenditure_wan"]
        known = sum(float(v) for v in (b, p) if not is_null(v))
        r["other_wan"] = round(float(t) - known, 2) if not is_null(t) and float(t) - known > 0.05 else None
    cats = [_label(r, "bureau", "fiscal_year") for r in rows]
    series = [("基本支出", [r["basic_expenditure_wan"] for r in rows]),
              ("项目支出", [r["project_expenditure_wan"] for r in rows])]
    if any(r["other_wan"] is not None for r in rows):
        series.append(("其他或未分列", [r["other_wan"] for r in rows]))
    has_values = any(not is_null(v) and float(v) > 0 for _, vals in series for v in vals)
    chart = bar_chart("chart-spending-split", "基本支出与项目支出", cats, series, "万元", stacked=True) \
        if has_values else ""
    sec.blocks.append(Block(chart, Table("spending_basic_project", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"),
        Column("basic_expenditure_wan", "基本支出（万元）", "wan"),
        Column("project_expenditure_wan", "项目支出（万元）", "wan"),
        Column("other_wan", "其他或未分列（万元）", "wan"),
        Column("total_expenditure_wan", "本年支出合计（万元）", "wan"),
        Column("project_share_pct", "项目支出占比", "pct"),
    ], rows, "基本支出与项目支出")))

    frows = _rows(con, """
        select bureau, fiscal_year, measure, scope, function_class_code, lei_name, amount_wan,
               share_of_total_pct
        from marts.function_spending
        where class_level = '类'
        order by bureau, fiscal_year,
                 case measure
                     when 'budget_initial' then 1 when 'budget_final' then 2 when 'actual' then 3 else 4
                 end,
                 amount_wan desc nulls last
    """)
    for r in frows:
        r["measure_label"] = MEASURE_LABELS.get(r["measure"], r["measure"])
        r["scope_label"] = SCOPE_LABELS.get(r["scope"], r["scope"])
        r["lei_name"] = r["lei_name"] if not is_null(r["lei_name"]) else "（未知类）"
    # bands: bureau × year × measure; segments: the classes, largest overall first (10 colours, rest 其他)
    bands: list[tuple] = []
    for r in frows:
        key = (r["bureau"], r["fiscal_year"], r["measure"])
        if key not in bands:
            bands.append(key)
    totals: dict[str, float] = {}
    for r in frows:
        amount = 0.0 if is_null(r["amount_wan"]) else float(r["amount_wan"])
        totals[r["lei_name"]] = totals.get(r["lei_name"], 0.0) + amount
    classes = sorted(totals, key=lambda k: -totals[k])
    shown = classes[:len(PALETTE) - 1] if len(classes) > len(PALETTE) else classes
    values: dict[str, list[Any]] = {c: [None] * len(bands) for c in shown}
    if len(shown) < len(classes):
        values["其他类"] = [None] * len(bands)
    for r in frows:
        i = bands.index((r["bureau"], r["fiscal_year"], r["measure"]))
        name = r["lei_name"] if r["lei_name"] in values else "其他类"
        if not is_null(r["amount_wan"]):
            values[name][i] = (values[name][i] or 0) + float(r["amount_wan"])
    cats = [_label({"bureau": b, "fiscal_year": y, "measure": m}, "bureau", "fiscal_year", "measure")
            for b, y, m in bands]
    fseries = list(values.items())
    has_values = any(not is_null(v) and v > 0 for _, vals in fseries for v in vals)
    chart = bar_chart("chart-function-classes", "按支出功能分类（类）的支出", cats, fseries, "万元",
                      stacked=True) if has_values else ""
    sec.blocks.append(Block(chart, Table("spending_function_classes", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"),
        Column("measure_label", "口径"), Column("scope_label", "资金范围"),
        Column("function_class_code", "科目编码"), Column("lei_name", "功能分类（类）"),
        Column("amount_wan", "金额（万元）", "wan"), Column("share_of_total_pct", "占比", "pct"),
    ], frows, "按支出功能分类（类）")))
    return sec


THREE_PUBLIC_ITEMS = ("因公出国（境）", "公务用车购置", "公务用车运行维护", "公务用车购置及运行维护", "公务接待")


def section_three_public(con) -> Section:
    """(b) 三公经费 per bureau over the years."""
    sec = Section("three-public", "二、三公经费趋势",
                  "各部门历年“三公”经费决算数（合计及分项）与预算数（marts.three_public_trend）。"
                  "决算文件附带的上年数计入上年。金额单位：万元。")
    rows = _rows(con, """
        select bureau, fiscal_year, three_public_item, is_subtotal, measure, amount_wan
        from marts.three_public_trend
        order by bureau, fiscal_year, sort_order
    """)
    pivot: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (r["bureau"], r["fiscal_year"])
        p = pivot.setdefault(key, {"bureau": r["bureau"], "fiscal_year": r["fiscal_year"]})
        item, measure, v = r["three_public_item"], r["measure"], r["amount_wan"]
        if measure == "actual":
            p[item] = v
        elif item == "三公经费合计":
            # budget: 全年预算 over 年初预算
            if measure == "budget_final" or p.get("_budget_measure") != "budget_final":
                p["budget_wan"], p["_budget_measure"] = v, measure
    prows = []
    for (bureau, year), p in sorted(pivot.items(), key=lambda kv: (str(kv[0][0]), kv[0][1] or 0)):
        total = p.get("三公经费合计")
        if is_null(total):
            parts = [p.get(k) for k in ("因公出国（境）", "公务用车购置及运行维护", "公务接待")]
            if is_null(parts[1]):
                parts[1:2] = [p.get("公务用车购置"), p.get("公务用车运行维护")]
            known = [float(v) for v in parts if not is_null(v)]
            total = round(sum(known), 2) if known else None
        p["total_wan"] = total
        p["budget_label"] = MEASURE_LABELS.get(p.get("_budget_measure"), None)
        prev = pivot.get((bureau, (year or 0) - 1), {})
        prev_total = prev.get("total_wan", prev.get("三公经费合计"))
        comparable = not is_null(total) and not is_null(prev_total) and float(prev_total) != 0
        p["change_pct"] = (round((float(total) - float(prev_total)) / float(prev_total) * 100, 2)
                           if comparable else None)
        prows.append(p)
    years = sorted({p["fiscal_year"] for p in prows if not is_null(p["fiscal_year"])})
    bureaus = sorted({p["bureau"] for p in prows}, key=lambda b: str(b))
    series = []
    for b in bureaus:
        vals = [pivot.get((b, y), {}).get("total_wan") for y in years]
        if any(not is_null(v) for v in vals):
            series.append((NO_DATA if is_null(b) else str(b), vals))
    chart = line_chart("chart-three-public", "三公经费决算合计", years, series, "万元") if series else ""
    sec.blocks.append(Block(chart, Table("three_public_trend", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"),
        Column("因公出国（境）", "因公出国（境）", "wan"),
        Column("公务用车购置", "公务用车购置", "wan"),
        Column("公务用车运行维护", "公务用车运行维护", "wan"),
        Column("公务接待", "公务接待", "wan"),
        Column("total_wan", "三公经费合计（决算）", "wan"),
        Column("budget_wan", "三公经费预算", "wan"),
        Column("budget_label", "预算口径"),
        Column("change_pct", "较上年增减", "pct"),
    ], prows, "三公经费（万元）")))
    return sec


def section_budget_execution(con) -> Section:
    """(c) budget execution initial → final → actual per bureau and year."""
    sec = Section("budget-execution", "三、预算执行：年初预算 → 全年预算 → 决算",
                  "按两种口径对比预算与决算：支出功能分类“类”级合计（marts.function_spending，"
                  "每个部门年度取披露口径最全的资金范围）和绩效自评中各项目合计（marts.project_outcomes，"
                  "某一数值有项目未披露时不合计）。执行率 = 决算 ÷ 全年预算（无全年预算时 ÷ 年初预算）。金额单位：万元。")
    rows = _rows(con, """
        with lei as (
            select bureau, fiscal_year, scope, measure, sum(amount_wan) as amount_wan
            from marts.function_spending
            where class_level = '类'
            group by all
        ),
        scope_measures as (
            select bureau, fiscal_year, scope, count(distinct measure) as n_measures
            from lei
            group by bureau, fiscal_year, scope
        ),
        scopes as (
            select bureau, fiscal_year, scope,
                   row_number() over (
                       partition by bureau, fiscal_year
                       order by n_measures desc,
                                case scope when 'all' then 1 when 'fiscal' then 2
                                           when 'general_public' then 3 when 'gov_fund' then 4 else 5 end,
                                scope
                   ) as rn
            from scope_measures
        ),
        by_class as (
            select lei.bureau, lei.fiscal_year, 'function' as basis, lei.scope,
                   max(amount_wan) filter (where measure = 'budget_initial') as budget_initial_wan,
                   max(amount_wan) filter (where measure = 'budget_final') as budget_final_wan,
                   max(amount_wan) filter (where measure = 'actual') as actual_wan,
                   null::integer as n_projects
            from lei
            inner join scopes
                on lei.bureau is not distinct from scopes.bureau
                and lei.fiscal_year is not distinct from scopes.fiscal_year
                and lei.scope is not distinct from scopes.scope
                and scopes.rn = 1
            group by lei.bureau, lei.fiscal_year, lei.scope
        ),
        by_project as (
            select bureau, fiscal_year, 'projects' as basis, null::varchar as scope,
                   case when count(budget_initial_wan) = count(*) then sum(budget_initial_wan) end,
                   case when count(budget_final_wan) = count(*) then sum(budget_final_wan) end,
                   case when count(actual_wan) = count(*) then sum(actual_wan) end,
                   count(*)::integer
            from marts.project_outcomes
            group by bureau, fiscal_year
        )
        select * from by_class
        union all
        select * from by_project
        order by bureau, fiscal_year, basis
    """)
    for r in rows:
        r["basis_label"] = "功能分类合计" if r["basis"] == "function" else "项目合计"
        r["scope_label"] = SCOPE_LABELS.get(r["scope"], r["scope"])
        budget = r["budget_final_wan"] if not is_null(r["budget_final_wan"]) else r["budget_initial_wan"]
        r["execution_pct"] = (round(float(r["actual_wan"]) / float(budget) * 100, 2)
                              if not is_null(r["actual_wan"]) and not is_null(budget) and float(budget) != 0
                              else None)
        for k in ("budget_initial_wan", "budget_final_wan", "actual_wan"):
            if not is_null(r[k]):
                r[k] = round(float(r[k]), 2)
    cats = [_label(r, "bureau", "fiscal_year", "basis_label") for r in rows]
    series = [("年初预算", [r["budget_initial_wan"] for r in rows]),
              ("全年预算", [r["budget_final_wan"] for r in rows]),
              ("决算数", [r["actual_wan"] for r in rows])]
    has_values = any(not is_null(v) for _, vals in series for v in vals)
    chart = bar_chart("chart-budget-execution", "预算执行", cats, series, "万元") if has_values else ""
    sec.blocks.append(Block(chart, Table("budget_execution", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"),
        Column("basis_label", "口径"), Column("scope_label", "资金范围"),
        Column("n_projects", "项目数", "int"),
        Column("budget_initial_wan", "年初预算（万元）", "wan"),
        Column("budget_final_wan", "全年预算（万元）", "wan"),
        Column("actual_wan", "决算数（万元）", "wan"),
        Column("execution_pct", "执行率", "pct"),
    ], rows, "预算执行")))
    return sec


def section_projects(con) -> Section:
    """(d) project execution rates and self-evaluation scores."""
    sec = Section("projects", "四、项目执行率与自评得分",
                  "绩效自评中各项目的预算执行率（文件所述；未述时按金额计算）与自评得分（百分制）"
                  "（marts.project_outcomes）。虚线为 100%。")
    rows = _rows(con, """
        select bureau, fiscal_year, project, budget_initial_wan, budget_final_wan, actual_wan,
               execution_rate_pct, execution_rate_computed_pct, score, max_score, grade,
               warning_execution_rate_mismatch, _doc, _line
        from marts.project_outcomes
        order by bureau, fiscal_year, project
    """)
    for r in rows:
        r["rate"] = r["execution_rate_pct"] if not is_null(r["execution_rate_pct"]) \
            else r["execution_rate_computed_pct"]
        s, m = r["score"], r["max_score"]
        if is_null(s):
            r["score_100"] = None
        elif is_null(m) or float(m) in (0.0, 100.0):
            r["score_100"] = float(s)
        else:
            r["score_100"] = round(float(s) / float(m) * 100, 2)
    cats = [_label(r, "bureau", "fiscal_year", "project") for r in rows]
    series = [("执行率（%）", [r["rate"] for r in rows]), ("自评得分（百分制）", [r["score_100"] for r in rows])]
    has_values = any(not is_null(v) for _, vals in series for v in vals)
    chart = bar_chart("chart-projects", "项目执行率与自评得分", cats, series, "% / 分", ref_line=100,
                      min_max=100) if has_values else ""
    sec.blocks.append(Block(chart, Table("project_outcomes", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"), Column("project", "项目"),
        Column("budget_initial_wan", "年初预算（万元）", "wan"), Column("budget_final_wan", "全年预算（万元）", "wan"),
        Column("actual_wan", "执行数（万元）", "wan"),
        Column("execution_rate_pct", "执行率（所述）", "pct"),
        Column("execution_rate_computed_pct", "执行率（计算）", "pct"),
        Column("warning_execution_rate_mismatch", "执行率不一致", "bool"),
        Column("score", "得分", "num"), Column("max_score", "满分", "num"), Column("grade", "等级"),
        Column("_doc", "文档"), Column("_line", "行号", "int"),
    ], rows, "项目")))
    return sec


def section_indicators(con) -> Section:
    """(e) indicator achievement per bureau and year, and the missed indicators."""
    sec = Section("indicators", "五、绩效指标完成情况",
                  "各部门年度绩效指标中已完成、未完成和无法判断（目标或实际值不是可比较的数字）的数量，"
                  "以及未完成指标的明细与出处（marts.indicator_results）。")
    rows = _rows(con, """
        select bureau, fiscal_year,
               count(*) filter (where achieved) as n_achieved,
               count(*) filter (where not achieved) as n_missed,
               count(*) filter (where achieved is null) as n_unknown,
               count(*) as n_total
        from marts.indicator_results
        group by all
        order by bureau, fiscal_year
    """)
    cats = [_label(r, "bureau", "fiscal_year") for r in rows]
    series = [("已完成", [r["n_achieved"] for r in rows]), ("未完成", [r["n_missed"] for r in rows]),
              ("无法判断", [r["n_unknown"] for r in rows])]
    chart = bar_chart("chart-indicators", "绩效指标完成情况", cats, series, "个", stacked=True,
                      integer=True, colors=["#59a14f", "#e15759", "#bab0ac"]) if rows else ""
    sec.blocks.append(Block(chart, Table("indicator_achievement", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"),
        Column("n_achieved", "已完成", "int"), Column("n_missed", "未完成", "int"),
        Column("n_unknown", "无法判断", "int"), Column("n_total", "指标数", "int"),
    ], rows, "完成情况（个）")))
    missed = _rows(con, """
        select bureau, fiscal_year, scope, level1, level2, indicator, target_text, actual_text, weight, score,
               _doc, _line
        from marts.indicator_results
        where not achieved
        order by bureau, fiscal_year, scope, level1, level2, indicator
    """)
    sec.blocks.append(Block(None, Table("indicators_missed", [
        Column("bureau", "部门"), Column("fiscal_year", "年度", "year"), Column("scope", "范围"),
        Column("level1", "一级指标"), Column("level2", "二级指标"), Column("indicator", "三级指标"),
        Column("target_text", "年度指标值"), Column("actual_text", "实际完成值"),
        Column("weight", "分值", "num"), Column("score", "得分", "num"),
        Column("_doc", "文档"), Column("_line", "行号", "int"),
    ], missed, "未完成的指标")))
    return sec


def section_reconciliation(con) -> Section:
    """(f) reconciliation findings with the document lines of both sides."""
    sec = Section("reconciliation", "六、勾稽核对发现",
                  "文件自身数字不一致之处（部分之和与合计、比例与金额、同一数字两处不同等）及双方所在文档和行号"
                  "（marts.reconciliation_findings）。")
    if not _mart_exists(con, "reconciliation_findings"):
        sec.note = "不可用：仓库中尚无 marts.reconciliation_findings（勾稽核对结果表尚未构建）。"
        return sec
    cur = con.execute("select * from marts.reconciliation_findings")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r)) for r in cur.fetchall()]
    sort_keys = [k for k in ("rule_id", "rule", "bureau", "fiscal_year") if k in names]
    rows.sort(key=lambda r: tuple((is_null(r[k]), str(r[k])) for k in sort_keys))
    columns = []
    for n in names:
        kind = "text"
        if n.endswith("_wan") or n in ("difference", "tolerance", "left_value", "right_value"):
            kind = "num"
        elif n in ("fiscal_year",):
            kind = "year"
        elif n.endswith("_line") or n == "_line":
            kind = "int"
        columns.append(Column(n, RECON_LABELS.get(n, n), kind))
    for r in rows:
        for c in columns:
            if isinstance(r[c.key], bool):
                r[c.key] = "是" if r[c.key] else "否"
            elif c.kind == "text" and not is_null(r[c.key]) and not isinstance(r[c.key], str):
                r[c.key] = str(r[c.key])
            elif c.kind in ("num", "int", "year") and not isinstance(r[c.key], (int, float, type(None))):
                try:
                    r[c.key] = float(r[c.key])
                except (TypeError, ValueError):
                    c.kind = "text"
    rule_key = next((k for k in ("rule_id", "rule", "rule_title", "title") if k in names), None)
    title_key = next((k for k in ("rule_title", "title") if k in names and k != rule_key), None)
    group_key = rule_key or ("bureau" if "bureau" in names else None)
    chart = ""
    if rows and group_key:
        groups: list[str] = []
        for r in rows:
            g = NO_DATA if is_null(r[group_key]) else str(r[group_key])
            if title_key and not is_null(r[title_key]):
                g = f"{g} {r[title_key]}"
            r["_group"] = g
            if g not in groups:
                groups.append(g)
        for r in rows:
            sev = r.get("severity") if "severity" in names else "发现数"
            r["_severity"] = NO_DATA if is_null(sev) else str(sev)
        sev_values = sorted({r["_severity"] for r in rows})
        series = [(s, [sum(1 for r in rows if r["_group"] == g and r["_severity"] == s) for g in groups])
                  for s in sev_values]
        chart = bar_chart("chart-reconciliation", "勾稽核对发现数", groups, series, "条", stacked=True,
                          integer=True)
    sec.blocks.append(Block(chart, Table("reconciliation_findings", columns, rows, "核对发现")))
    return sec


SECTIONS: tuple[Callable[[duckdb.DuckDBPyConnection], Section], ...] = (
    section_spending, section_three_public, section_budget_execution, section_projects,
    section_indicators, section_reconciliation,
)

SECTION_FALLBACK_TITLES = {
    "section_spending": ("spending", "一、支出结构：基本支出与项目支出、按功能分类"),
    "section_three_public": ("three-public", "二、三公经费趋势"),
    "section_budget_execution": ("budget-execution", "三、预算执行：年初预算 → 全年预算 → 决算"),
    "section_projects": ("projects", "四、项目执行率与自评得分"),
    "section_indicators": ("indicators", "五、绩效指标完成情况"),
    "section_reconciliation": ("reconciliation", "六、勾稽核对发现"),
}


# ----------------------------------------------------------------------------------------------------
# page

CSS = """
:root { --fg:#1f2933; --muted:#6b7785; --line:#d9dee5; --bg:#f4f6f9; --card:#fff; --accent:#4e79a7; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--fg);
  font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
  font-size:14px; line-height:1.5; }
header { background:#24364f; color:#fff; padding:18px 28px; }
header h1 { margin:0 0 4px; font-size:22px; font-weight:600; }
header p { margin:0; color:#c9d3e0; font-size:13px; }
nav { padding:8px 28px; background:#fff; border-bottom:1px solid var(--line);
  position:sticky; top:0; z-index:2; }
nav a { margin-right:16px; color:var(--accent); text-decoration:none; font-size:13px; }
main { padding:16px 28px 8px; }
.card { background:var(--card); border:1px solid var(--line); border-radius:6px;
  padding:14px 18px; margin:0 0 18px; }
.card h2 { margin:0 0 4px; font-size:18px; }
.card h3 { margin:0 0 6px; font-size:14px; }
.intro { margin:0 0 10px; color:var(--muted); font-size:13px; }
.block { display:grid; grid-template-columns:minmax(0, 760px) minmax(0, 1fr); gap:18px; align-items:start;
  padding:10px 0; border-top:1px solid #eef1f4; }
.block-table { grid-template-columns:minmax(0, 1fr); }
@media (max-width: 1300px) { .block { grid-template-columns:minmax(0, 1fr); } }
.chart-box svg { max-width:100%; height:auto; display:block; }
.table-scroll { max-height:360px; overflow:auto; border:1px solid var(--line); border-radius:4px; }
table { border-collapse:collapse; width:100%; font-size:12px; }
th, td { padding:4px 8px; border-bottom:1px solid #eef1f4; text-align:left; white-space:nowrap; }
th { background:#f0f3f7; position:sticky; top:0; font-weight:600; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
.na { color:#a0a9b4; }
a.csv { display:inline-block; margin:0 0 6px; font-size:12px; color:var(--accent); }
.empty { color:var(--muted); background:#f7f8fa; border:1px dashed var(--line); padding:16px;
  text-align:center; margin:0; }
.unavailable { color:#8a5a00; background:#fff7e0; border:1px solid #f0d58a; padding:10px 14px;
  border-radius:4px; }
svg text { font-family:inherit; font-size:12px; fill:#334; }
svg .tick { fill:#6b7785; font-size:11px; }
svg .grid { stroke:#e6e9ee; }
svg .axis { stroke:#8894a2; }
svg .ref { stroke:#e15759; stroke-dasharray:4 3; }
svg .line { fill:none; stroke-width:2; }
footer { padding:6px 28px 24px; color:var(--muted); font-size:12px; }
"""

# The page's only script: it records every script error, failed resource and CSP violation, and after
# load writes into #selfcheck how many charts rendered (visible, with marks). The browser test reads it.
SELF_CHECK_JS = """
(function () {
  var errors = [];
  function show() {
    var el = document.getElementById('selfcheck');
    if (el) {
      el.setAttribute('data-errors', String(errors.length));
      el.setAttribute('data-error-list', JSON.stringify(errors));
    }
  }
  function record(msg) { errors.push(String(msg)); show(); }
  window.addEventListener('error', function (e) {
    if (e.target && e.target !== window && (e.target.src || e.target.href)) {
      record('resource failed: ' + (e.target.src || e.target.href));
    } else {
      record((e.message || 'error') + ' @' + (e.filename || '') + ':' + (e.lineno || 0));
    }
  }, true);
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  document.addEventListener('securitypolicyviolation', function (e) {
    record('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    record(Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };
  function check() {
    var charts = document.querySelectorAll('svg.chart');
    var ok = 0, detail = [];
    for (var i = 0; i < charts.length; i++) {
      var svg = charts[i], box = svg.getBoundingClientRect();
      var marks = svg.querySelectorAll('.mark'), visible = 0;
      for (var j = 0; j < marks.length; j++) {
        var b = marks[j].getBBox();
        if (b.width > 0 && b.height > 0) { visible++; }
      }
      var good = box.width > 0 && box.height > 0 && visible > 0;
      if (good) { ok++; }
      detail.push({id: svg.id, marks: marks.length, visible: visible,
                   width: Math.round(box.width), height: Math.round(box.height)});
    }
    var el = document.getElementById('selfcheck');
    el.setAttribute('data-charts', String(charts.length));
    el.setAttribute('data-charts-ok', String(ok));
    el.setAttribute('data-chart-detail', JSON.stringify(detail));
    el.setAttribute('data-page-height', String(document.documentElement.scrollHeight));
    el.setAttribute('data-status', errors.length === 0 && ok === charts.length ? 'ok' : 'fail');
    show();
    el.textContent = '页面自检：' + ok + '/' + charts.length + ' 张图表已渲染，脚本错误 ' + errors.length + ' 个。';
  }
  window.addEventListener('load', function () { setTimeout(check, 0); });
})();
"""

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")


def _overview(con) -> str:
    try:
        n_bureaus, n_years, y0, y1 = con.execute("""
            select count(distinct bureau), count(distinct fiscal_year), min(fiscal_year), max(fiscal_year)
            from marts.bureau_year_summary
        """).fetchone()
    except duckdb.Error:
        return ""
    if not n_bureaus:
        return f"部门：{NO_DATA}"
    return f"共 {n_bureaus} 个部门，{n_years} 个年度（{y0}–{y1}年）"


def render_page(sections: list[Section], overview: str, source: str) -> str:
    """The whole HTML page."""
    generated = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    nav = "".join(f'<a href="#{esc(s.key)}">{esc(s.title.split("：")[0])}</a>' for s in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>医疗保障局财政公开数据看板</title>"
        f"<style>{CSS}</style><script>{SELF_CHECK_JS}</script></head><body>"
        "<header><h1>医疗保障局财政公开数据看板</h1>"
        f"<p>部门决算与绩效自评公开数据 · {esc(overview)} · 数据来源：{esc(source)}（marts.*）· 生成于 {generated}</p>"
        f"</header><nav>{nav}</nav><main>"
        + "".join(s.html() for s in sections)
        + "</main><footer><p>金额单位：万元；“—”表示无数据。每张图表下方或右侧为其数据表，可下载 CSV。</p>"
        '<p id="selfcheck" data-status="pending">页面自检：脚本未运行。</p></footer></body></html>\n'
    )


def build_report(db_path: Path | str, out_dir: Path | str) -> Path:
    """Write the dashboard page ``out_dir/index.html`` from the warehouse's marts; returns its path.

    Parameters
    ----------
    db_path:
        The DuckDB warehouse, opened read-only.
    out_dir:
        Folder of the page (created when missing).
    """
    db_path, out_dir = Path(db_path), Path(out_dir)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        sections = []
        for build in SECTIONS:
            try:
                sections.append(build(con))
            except duckdb.Error as exc:
                # a mart missing or reshaped: say so on the page instead of failing the whole page
                key, title = SECTION_FALLBACK_TITLES[build.__name__]
                log.warning("report section %s not available: %s", key, exc)
                sections.append(Section(key, title, "", note=f"不可用：{type(exc).__name__}: {exc}"))
        overview = _overview(con)
    finally:
        con.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    page = out_dir / "index.html"
    page.write_text(render_page(sections, overview, db_path.name), encoding="utf-8")
    return page
