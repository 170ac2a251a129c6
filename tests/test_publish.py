"""Write-audit-publish: a corrupted build is refused with the old warehouse intact, and a reader that
holds the published file open during a publish sees the old or the new warehouse, never an error or a mix."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from tests.issue4_build import built_warehouse
from yibao.publish import audit_and_publish, candidate_path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def published():
    db_path, status, lines = built_warehouse()
    assert status == 0, "\n".join(lines)
    assert any(line.startswith("published ") for line in lines)
    assert not candidate_path(db_path).exists(), "the candidate is renamed, not copied"
    return db_path


def _candidate_copy(db_path):
    candidate = candidate_path(db_path)
    candidate.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(db_path, candidate)
    return candidate


def test_corrupted_build_is_refused_and_old_warehouse_intact(published):
    before = _digest(published)
    candidate = _candidate_copy(published)
    con = duckdb.connect(str(candidate))
    try:
        # 1. a fact without provenance
        con.execute("""update core.fct_budget_lines set _snippet = null
                       where budget_line_id = (select min(budget_line_id) from core.fct_budget_lines)""")
        # 2. a duplicated grain key in a mart
        con.execute("insert into marts.bureau_year_summary select * from marts.bureau_year_summary limit 1")
        # 3. an amount off by a factor of 10,000 against its own snippet
        con.execute("""update raw.raw_amounts set value_wan = value_wan * 10000
                       where fact_id = (select min(fact_id) from raw.raw_amounts where value_wan > 1)""")
    finally:
        con.close()
    lines: list[str] = []
    ok, report = audit_and_publish(candidate, published, echo=lines.append, build_docs=False)
    assert not ok
    assert _digest(published) == before, "the published warehouse must be untouched"
    failed = {(f.suite, f.expectation) for f in report.critical}
    assert ("core.fct_budget_lines", "expect_provenance_present") in failed
    assert ("marts.bureau_year_summary", "expect_grain_unique") in failed
    assert ("staging.stg_budget_docs__amounts", "expect_snippet_states_amount") in failed
    text = "\n".join(lines)
    assert "not published" in text and "expect_snippet_states_amount" in text
    candidate.unlink()


READER = textwrap.dedent("""
    import os, sys, time, duckdb
    path, mode, stop_file = sys.argv[1], sys.argv[2], sys.argv[3]
    # mode "held": a dashboard holding one connection open; "fresh": one that reconnects for every query.
    # (Within one process DuckDB shares one instance per open path, so each mode is its own process.)
    held = duckdb.connect(path, read_only=True) if mode == "held" else None
    seen, errors = [], []
    print("ready", flush=True)
    while not os.path.exists(stop_file):
        try:
            c = held or duckdb.connect(path, read_only=True)
            marker, n_docs = c.execute(
                "select (select max(marker) from main.publish_marker), (select count(*) from raw.raw_documents)"
            ).fetchone()
            seen.append((marker, n_docs))
            if held is None:
                c.close()
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.01)
    for s in sorted(set(seen)):
        print("seen", *s, flush=True)
    for e in errors:
        print("error", e, flush=True)
""")


def test_reader_sees_old_or_new_never_error_or_mix(published, tmp_path):
    con = duckdb.connect(str(published))
    con.execute("create or replace table main.publish_marker as select 'old' as marker")
    con.close()
    ro = duckdb.connect(str(published), read_only=True)
    n_docs_old = ro.execute("select count(*) from raw.raw_documents").fetchone()[0]
    ro.close()
    candidate = _candidate_copy(published)
    con = duckdb.connect(str(candidate))
    con.execute("create or replace table main.publish_marker as select 'new' as marker")
    con.execute("delete from raw.raw_documents where doc like '90%'")  # the new warehouse differs in content
    con.close()
    script = tmp_path / "reader.py"
    script.write_text(READER, encoding="utf-8")
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen([sys.executable, str(script), str(published), mode, str(stop)],
                               stdout=subprocess.PIPE, text=True)
        for mode in ("held", "fresh")
    }
    for reader in readers.values():
        assert reader.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    ok, report = audit_and_publish(candidate, published, echo=lambda _: None, build_docs=False)
    assert ok, [str(f) for f in report.critical]
    time.sleep(0.5)
    stop.write_text("stop")
    allowed = {("old", n_docs_old), ("new", n_docs_old - 2)}
    states = {}
    for mode, reader in readers.items():
        out, _ = reader.communicate(timeout=60)
        errors = [line for line in out.splitlines() if line.startswith("error")]
        assert not errors, (mode, errors)
        states[mode] = {(m, int(n)) for m, n in (line.split()[1:] for line in out.splitlines() if line.startswith("seen"))}
        assert states[mode] and states[mode] <= allowed, (mode, states[mode])  # never a mix
    assert states["held"] == {("old", n_docs_old)}, "a held connection keeps the old warehouse"
    assert ("new", n_docs_old - 2) in states["fresh"], "a reader that reconnects sees the new warehouse"
