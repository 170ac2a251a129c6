"""The amount loader: money figures from running text and from tables, and the document's own arithmetic."""

from __future__ import annotations

import importlib
import logging
from collections import defaultdict

from .amounts_prose import prose_amounts
from .base import FactLoader

__all__ = ["AmountLoader", "ALLOWED_DIFF_WAN", "ALLOWED_DIFF_PCT"]

log = logging.getLogger("ingest")

ALLOWED_DIFF_WAN = 0.02
"""Tolerance (万元) of the document's own sums: its figures are rounded to 0.01 万元 each."""

ALLOWED_DIFF_PCT = 0.1
"""Tolerance (percentage points) of a stated share recomputed from its amounts."""


def _table_amounts():
    """The table extractor, if present (it lives in its own module, written in parallel)."""
    try:
        return importlib.import_module(".amounts_tables", __package__).table_amounts
    except (ImportError, AttributeError):  # pragma: no cover - only until the module exists
        log.debug("ingest.loaders.amounts_tables not available; amounts from prose only")
        return None


class AmountLoader(FactLoader):
    """Money figures (``kind = "amount"``): prose statements plus table rows."""

    kind = "amount"

    def extract(self) -> list[dict]:
        """Amount candidates from the running text and from the tables."""
        cands = prose_amounts(self.doc, self.meta)
        table = _table_amounts()
        if table is not None:
            cands = cands + list(table(self.doc, self.meta))
        return cands

    def dedupe_key(self, fact: dict) -> tuple:
        """One figure: same item, category, measure, scope, year and value (its percentage may differ).

        Parameters
        ----------
        fact:
            A transformed fact.
        """
        return (fact["item"], fact["category"], fact["measure"], fact["scope"], fact["year"],
                round(float(fact["value_wan"]), 6))

    def validate(self, facts: list[dict]):
        """Contract check, then the document's own arithmetic as findings (figures stay as stated).

        Parameters
        ----------
        facts:
            Transformed facts.
        """
        good = super().validate(facts)
        groups: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        for f in facts:
            groups[(f["measure"], f["scope"], f["year"])][f["item"]].append(f)
        for (measure, scope, year), items in groups.items():
            where = f"{measure}/{scope}/{year}"
            self._check_sum(items, "基本支出+项目支出", ["基本支出", "项目支出"], ["本年支出合计", "支出合计"], where)
            self._check_sum(items, "人员经费+公用经费", ["人员经费", "公用经费"], ["基本支出"], where)
            self._check_sum(items, "三公经费 parts",
                            ["因公出国（境）费", "公务接待费", "公务用车购置及运行维护费"], ["三公经费"], where)
            self._check_sum(items, "公务用车 parts", ["公务用车购置费", "公务用车运行维护费"],
                            ["公务用车购置及运行维护费"], where)
        self._check_shares(facts)
        return good

    def _check_sum(self, items, rule, parts, totals, where) -> None:
        total = next((items[t][0] for t in totals if t in items), None)
        if total is None or not all(p in items for p in parts):
            return
        values = {round(f["value_wan"], 6) for p in parts for f in items[p]}
        if any(len({round(f["value_wan"], 6) for f in items[p]}) > 1 for p in parts):
            return  # a part is stated with conflicting values; no single sum to check
        s = sum(items[p][0]["value_wan"] for p in parts)
        if abs(s - total["value_wan"]) > ALLOWED_DIFF_WAN:
            self.finding(f"sum:{rule}", f"{' + '.join(parts)} = {s:.2f} but {total['item']} = "
                         f"{total['value_wan']:.2f} ({where}; parts {sorted(values)})", total["line"])

    def _check_shares(self, facts) -> None:
        """A share stated next to an amount, recomputed against the largest figure of the same measure."""
        by_key = defaultdict(list)
        for f in facts:
            by_key[(f["measure"], f["scope"], f["year"])].append(f)
        for f in facts:
            if f.get("pct_basis") != "share" or not f.get("pct") or f["value_wan"] <= 0:
                continue
            base = f["value_wan"] * 100.0 / f["pct"]
            peers = [g["value_wan"] for g in by_key[(f["measure"], f["scope"], f["year"])]]
            if not any(abs(p - base) <= max(ALLOWED_DIFF_WAN, base * ALLOWED_DIFF_PCT / 100) for p in peers):
                # the whole the share refers to is often not stated; record only near misses
                near = [p for p in peers if abs(p - base) <= base * 0.02]
                if near:
                    self.finding("share", f"{f['item']} {f['value_wan']} at {f['pct']}% implies a whole of "
                                 f"{base:.2f}, nearest stated {near[0]:.2f}", f["line"])
