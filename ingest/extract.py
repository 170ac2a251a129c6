"""Run every registered loader over a document: read → normalize → recognize → extract → validate.

``extract_path`` is what ``yibao extract`` and ``yibao ingest`` call for each file.  Its result is cached
per document under ``data/interim/`` (keyed by content hash and extractor version), so a re-run skips
documents it has already read.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import pkgutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from . import loaders
from .document import Document, DocumentError, read_document
from .facts import FACT_MODELS, BaseFact
from .loaders.base import DocMeta, ExtractionError, FactLoader, Finding
from .recognize import is_disclosure, recognize

log = logging.getLogger("ingest")

__all__ = ["Extraction", "extract_document", "extract_path", "iter_documents", "fact_json", "EXTRACTOR_VERSION"]

TEXT_SUFFIXES = {".txt", ".text", ".md", ".csv", ".htm", ".html"}


def _load_all_loaders() -> None:
    """Import every module of ``ingest.loaders`` so each loader class registers itself."""
    for mod in pkgutil.iter_modules(loaders.__path__):
        importlib.import_module(f"{loaders.__name__}.{mod.name}")


def _source_digest() -> str:
    """Hash of the extractor's own source, so a changed extractor invalidates the interim cache."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")) + sorted((root / "data").glob("*")):
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


_load_all_loaders()
EXTRACTOR_VERSION = _source_digest()


@dataclass
class Extraction:
    """What one document yielded."""

    doc: Document
    meta: DocMeta
    facts: list[BaseFact] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Facts per kind."""
        out = {k: 0 for k in FACT_MODELS}
        for f in self.facts:
            out[f.kind] += 1
        return out


def extract_document(doc: Document, validate: bool = True) -> Extraction:
    """Recognize the document and run every registered loader on it.

    Parameters
    ----------
    doc:
        A normalized document.
    validate:
        Check every fact against the contract (on by default).
    """
    if not is_disclosure(doc):
        raise DocumentError(f"{doc.name}: not a disclosure document (no amounts in 元/万元 and no "
                            "预算/决算/支出 vocabulary)")
    meta = recognize(doc)
    result = Extraction(doc, meta)
    for kind, loader_cls in FactLoader.registry().items():
        loader = loader_cls(doc, meta)
        try:
            result.facts.extend(loader.extract_transform_load(validate=validate))
        except ExtractionError:
            raise
        except Exception as exc:  # a bug in one loader must name the document and the loader
            raise ExtractionError(f"{doc.name}: {kind} extraction failed: {type(exc).__name__}: {exc}") from exc
        result.findings.extend(loader.findings)
    return result


def fact_json(fact: BaseFact) -> str:
    """One fact as a JSON line with exactly the contract's field names (whole numbers as integers).

    Parameters
    ----------
    fact:
        A validated fact.
    """
    data = fact.model_dump()
    for key, value in data.items():
        if isinstance(value, float) and value.is_integer() and key in ("value", "max_score"):
            data[key] = int(value)
    return json.dumps(data, ensure_ascii=False)


def _cache_path(interim: Path, doc: Document) -> Path:
    return interim / f"{Path(doc.name).stem}.jsonl"


def extract_path(path: str | Path, interim: Path | None = None) -> Extraction:
    """Read and extract one file; raises ``DocumentError`` / ``ExtractionError`` naming the file.

    Parameters
    ----------
    path:
        The document's file.
    interim:
        Folder of the per-document cache (``data/interim``); None disables the cache.
    """
    check_file(Path(path))
    doc = read_document(path)
    if interim is not None:
        cached = _cache_path(interim, doc)
        if cached.exists():
            try:
                lines = cached.read_text(encoding="utf-8").splitlines()
                head = json.loads(lines[0])
                if head.get("sha256") == doc.sha256 and head.get("version") == EXTRACTOR_VERSION:
                    meta = DocMeta(**head["meta"])
                    facts = [FACT_MODELS[json.loads(x)["kind"]](**json.loads(x)) for x in lines[1:] if x]
                    findings = [Finding(**f) for f in head.get("findings", [])]
                    return Extraction(doc, meta, facts, findings)
            except (ValueError, KeyError, IndexError, TypeError):
                log.warning("%s: interim cache unreadable, extracting again", cached)
    result = extract_document(doc)
    if interim is not None:
        interim.mkdir(parents=True, exist_ok=True)
        head = {"sha256": doc.sha256, "version": EXTRACTOR_VERSION, "meta": result.meta.__dict__,
                "findings": [f.__dict__ for f in result.findings]}
        tmp = _cache_path(interim, doc).with_suffix(".tmp")
        tmp.write_text("\n".join([json.dumps(head, ensure_ascii=False)] + [fact_json(f) for f in result.facts])
                       + "\n", encoding="utf-8")
        tmp.replace(_cache_path(interim, doc))
    return result


def iter_documents(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand the given files and folders into document files, sorted within each folder.

    Folders yield every regular file in them (not hidden ones); a file that is not text is still yielded
    so that it is reported as rejected rather than silently skipped.

    Parameters
    ----------
    paths:
        Files and folders.
    """
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.iterdir()):
                if child.is_file() and not child.name.startswith("."):
                    yield child
        else:
            yield p


def check_file(path: Path) -> None:
    """Refuse files that cannot be documents before reading them (missing, PDF/Word binaries).

    Parameters
    ----------
    path:
        The file.
    """
    if not path.exists():
        raise DocumentError(f"{path.name}: no such file ({path})")
    if path.suffix.lower() in (".pdf", ".doc", ".docx", ".xls", ".xlsx"):
        raise DocumentError(f"{path.name}: {path.suffix} files are not read directly; convert the document to "
                            "text first (e.g. pdftotext -layout, or Word's save as text)")
