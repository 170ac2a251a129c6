"""Stage documents and their facts into DuckDB ``raw.*``, keyed by the document's content hash.

* The same bytes again, read by the same extractor: nothing changes (hash and extractor version staged).
* The same bytes read by a changed extractor: its facts are replaced, so a better extractor reaches the
  warehouse on the next build.
* A changed file (same file name, new hash): its old facts are replaced, in one transaction.
* A rejected file: recorded in ``raw.raw_rejections`` with its reason; nothing already staged is touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from pathlib import Path

import duckdb

from .extract import EXTRACTOR_VERSION, Extraction
from .facts import FACT_MODELS
from .schema import KIND_TABLE, ddl

log = logging.getLogger("ingest")

__all__ = ["connect", "stage_extraction", "record_rejection", "StageResult"]


def connect(db_path: str | Path) -> duckdb.DuckDBPyConnection:
    """Open (or create) the warehouse file and make sure the staging schema exists.

    Parameters
    ----------
    db_path:
        The DuckDB file.
    """
    Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    for stmt in ddl():
        con.execute(stmt)
    # warehouses staged before the column existed
    con.execute("alter table raw.raw_documents add column if not exists extractor_version varchar")
    return con


class StageResult(str):
    """``"new"``, ``"replaced"`` or ``"unchanged"``."""


def _fact_id(doc_id: str, kind: str, n: int) -> str:
    return hashlib.sha256(f"{doc_id}:{kind}:{n}".encode()).hexdigest()[:20]


def stage_extraction(con: duckdb.DuckDBPyConnection, ex: Extraction, path: Path | None = None) -> StageResult:
    """Stage one document's facts; returns whether it was new, replaced an older version, or unchanged.

    Parameters
    ----------
    con:
        Connection from ``connect``.
    ex:
        The document's extraction.
    path:
        The file it was read from.
    """
    doc_id = ex.doc.sha256
    if con.execute("select 1 from raw.raw_documents where doc_id = ? and extractor_version = ?",
                   [doc_id, EXTRACTOR_VERSION]).fetchall():
        con.execute("delete from raw.raw_rejections where doc = ?", [ex.doc.name])
        return StageResult("unchanged")
    # the same file staged before (any version), or the same bytes read by an older extractor
    old = [r[0] for r in con.execute("select doc_id from raw.raw_documents where doc = ? or doc_id = ?",
                                     [ex.doc.name, doc_id]).fetchall()]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("begin transaction")
    try:
        for old_id in old:
            for table in list(KIND_TABLE.values()) + ["raw_documents"]:
                con.execute(f"delete from raw.{table} where doc_id = ?", [old_id])
        m = ex.meta
        con.execute(
            "insert into raw.raw_documents (doc_id, doc, path, bureau, fiscal_year, doc_type, province, city, "
            "admin_level, size_bytes, n_lines, n_facts, loaded_at, extractor_version) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc_id, ex.doc.name, str(path) if path else None, m.bureau, m.fiscal_year, m.doc_type, m.province,
             m.city, m.admin_level, ex.doc.size_bytes, len(ex.doc.lines), len(ex.facts), now, EXTRACTOR_VERSION],
        )
        for kind, model in FACT_MODELS.items():
            rows = []
            for n, fact in enumerate(f for f in ex.facts if f.kind == kind):
                data = fact.model_dump()
                rows.append([_fact_id(doc_id, kind, n), doc_id] + [data[c] for c in model.model_fields])
            if rows:
                cols = ["fact_id", "doc_id"] + list(model.model_fields)
                marks = ", ".join("?" for _ in cols)
                con.executemany(f"insert into raw.{KIND_TABLE[kind]} ({', '.join(cols)}) values ({marks})", rows)
        con.execute("delete from raw.raw_rejections where doc = ?", [ex.doc.name])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return StageResult("replaced" if old else "new")


def record_rejection(con: duckdb.DuckDBPyConnection, path: Path, reason: str) -> None:
    """Record why a file was not staged (the latest reason per file name).

    Parameters
    ----------
    con:
        Connection from ``connect``.
    path:
        The rejected file.
    reason:
        One-line reason naming the file.
    """
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute("delete from raw.raw_rejections where doc = ?", [path.name])
    con.execute("insert into raw.raw_rejections values (?, ?, ?, ?)", [str(path), path.name, reason, now])
