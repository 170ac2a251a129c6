"""The loader base class: one loader per fact kind, chained as extract → transform → validate → load.

A concrete loader sets ``kind`` and implements ``extract()``, which returns *candidates*: dicts holding the
kind's own contract fields plus ``line`` (1-based original line of the figure's number) and optionally
``year`` (default: the fiscal year), ``snippet_last`` (last line the snippet must cover) and ``key_extra``
(the section the statement belongs to, e.g. one table or one project report: repeated statements are
merged only within a section, so two reports that say the same words stay two).
The base class adds the common fields, merges repeated statements of one figure (the first line wins),
keeps conflicting statements, checks every fact against the contract model and stages it.

Subclasses register themselves (``__init_subclass__``), so ``FactLoader.registry()`` lists every loader.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import ValidationError

from ..document import Document
from ..facts import FACT_MODELS, BaseFact

log = logging.getLogger("ingest")

__all__ = ["DocMeta", "FactLoader", "ExtractionError", "Finding"]


class ExtractionError(ValueError):
    """A parse failure; the message names the document and the section."""


@dataclass
class DocMeta:
    """What the text says about the document itself (see ``ingest.recognize``)."""

    bureau: str | None = None
    fiscal_year: int | None = None
    doc_types: list[str] = field(default_factory=list)
    province: str | None = None
    city: str | None = None
    admin_level: str | None = None

    @property
    def doc_type(self) -> str | None:
        """The document types joined by ';' (a file can hold several)."""
        return ";".join(self.doc_types) or None


@dataclass
class Finding:
    """An inconsistency the document itself contains, reported and kept, never fixed."""

    doc: str
    rule: str
    message: str
    line: int | None = None


# the fields ``transform`` fills for every fact, whatever its kind
_COMMON_FIELDS = frozenset(("doc", "bureau", "fiscal_year", "kind", "year", "line", "snippet"))
_NUMERIC_FIELDS = ("value_wan", "value", "actual", "budget_final", "budget_initial", "score", "execution_rate",
                   "target", "name")


def _renderings(cand: dict) -> list[str]:
    """How a candidate's main figure may be written, to centre the snippet of a long line on it."""
    out = []
    for key in _NUMERIC_FIELDS:
        v = cand.get(key)
        if isinstance(v, float):
            out += [f"{v:.2f}", f"{v:g}", f"{v:,.2f}"]
        elif isinstance(v, int):
            out.append(str(v))
        elif isinstance(v, str) and v:
            out.append(v[:20])
    return out


class FactLoader:
    """Base of the per-kind loaders (see the module docstring)."""

    kind: ClassVar[str] = ""
    _registry: ClassVar[dict[str, type[FactLoader]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:
            FactLoader._registry[cls.kind] = cls

    @classmethod
    def registry(cls) -> dict[str, type[FactLoader]]:
        """Every registered loader, by fact kind, in contract order."""
        order = list(FACT_MODELS)
        return dict(sorted(cls._registry.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))

    def __init__(self, doc: Document, meta: DocMeta):
        self.doc = doc
        self.meta = meta
        self.findings: list[Finding] = []
        self.model = FACT_MODELS[self.kind]

    # ------------------------------------------------------------------------------------ the chain

    def extract(self) -> list[dict]:
        """Find this kind's candidate figures in the document (implemented by each loader)."""
        raise NotImplementedError

    def dedupe_key(self, fact: dict) -> tuple:
        """Two statements with the same key are the same figure repeated; the first is kept.

        The key must not depend on the snippet: it is built only for the statements kept.

        Parameters
        ----------
        fact:
            A transformed fact (contract fields).
        """
        return tuple(v for k, v in fact.items() if k not in ("line", "snippet"))

    def transform(self, candidates: Iterable[dict]) -> list[dict]:
        """Add the common fields and snippets, order by line, merge repeated statements.

        Parameters
        ----------
        candidates:
            What ``extract()`` returned.
        """
        out, seen = [], set()
        # the contract fields the candidate itself gives (the common ones are set below, in this order)
        fields = [name for name in self.model.model_fields if name not in _COMMON_FIELDS]
        for cand in sorted(candidates, key=lambda c: c["line"]):
            cand = dict(cand)
            last = cand.pop("snippet_last", None)
            focus = cand.pop("snippet_focus", None)
            # the section a statement belongs to (one table, one report): repeats merge only within it
            section = cand.pop("key_extra", None)
            fact = {
                "doc": self.doc.name,
                "bureau": self.meta.bureau,
                "fiscal_year": self.meta.fiscal_year,
                "kind": self.kind,
                "year": cand.pop("year", self.meta.fiscal_year),
                "line": cand["line"],
                "snippet": cand.pop("snippet", None),
            }
            for name in fields:
                fact[name] = cand.get(name)
            key = (section, self.dedupe_key(fact))
            if key in seen:
                continue
            seen.add(key)
            # the snippet is built only for the statements kept (the key never depends on it)
            if not fact["snippet"]:
                fact["snippet"] = self.doc.snippet(cand["line"], last,
                                                   focus=focus or (lambda c=cand: _renderings(c)))
            out.append(fact)
        return out

    def validate(self, facts: list[dict]) -> list[BaseFact]:
        """Check every fact against the contract model; a fact that fails is an error of ours.

        Subclasses extend this with the document's own arithmetic, which only adds ``findings``.

        Parameters
        ----------
        facts:
            Transformed facts.
        """
        good = []
        for fact in facts:
            try:
                good.append(self.model.model_validate(fact))
            except ValidationError as exc:
                msg = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                raise ExtractionError(
                    f"{self.doc.name}: {self.kind} fact at line {fact.get('line')} breaks the contract: {msg}"
                ) from exc
        return good

    def finding(self, rule: str, message: str, line: int | None = None) -> None:
        """Record an inconsistency of the document (logged, kept; the figures stay as stated).

        Parameters
        ----------
        rule:
            Short rule id.
        message:
            What disagrees with what.
        line:
            Line of one side, if known.
        """
        f = Finding(self.doc.name, rule, message, line)
        self.findings.append(f)
        log.info("%s:%s: %s: %s", self.doc.name, line or "-", rule, message)

    def extract_transform_load(self, validate: bool = True) -> list[BaseFact]:
        """Run the chain and return the facts (staging is done by ``ingest.stage`` for all kinds at once).

        Parameters
        ----------
        validate:
            Check the facts against the contract (always on in production; off only for debugging).
        """
        facts = self.transform(self.extract())
        if not validate:
            return [self.model.model_construct(**f) for f in facts]
        return self.validate(facts)
