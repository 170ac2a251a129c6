"""`yibao ingest`: staging keyed by content hash, replacement of changed files, refusal of bad input."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from click.testing import CliRunner

from ingest.schema import KIND_TABLE
from yibao.cli import cli

from .conftest import seed_paths

TABLES = ["raw_documents", *KIND_TABLE.values()]


def _counts(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def raw_dir(tmp_path):
    d = tmp_path / "raw"
    d.mkdir()
    for p in seed_paths()[:3]:
        shutil.copy(p, d / p.name)
    return d


def _ingest(*args):
    return CliRunner().invoke(cli, ["ingest", *map(str, args)])


def test_ingesting_twice_leaves_identical_rows(raw_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    first = _ingest(raw_dir, "--db", db)
    assert first.exit_code == 0, first.output
    before = _counts(db)
    assert before["raw_documents"] == 3
    assert sum(before[t] for t in KIND_TABLE.values()) > 0
    second = _ingest(raw_dir, "--db", db)
    assert second.exit_code == 0
    assert "unchanged" in second.stderr
    assert _counts(db) == before


def test_a_changed_file_replaces_its_old_facts(raw_dir, tmp_path):
    db = tmp_path / "w.duckdb"
    assert _ingest(raw_dir, "--db", db).exit_code == 0
    target = sorted(raw_dir.iterdir())[0]
    text = target.read_text(encoding="utf-8")
    # one document statement more, in words of the documents; the old version's facts must be gone
    target.write_text(text + "\n本年支出合计 12345.67 万元。\n", encoding="utf-8")
    result = _ingest(raw_dir, "--db", db)
    assert result.exit_code == 0, result.output
    assert "replaced" in result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        docs = con.execute("select doc, count(*) from raw.raw_documents group by doc having count(*) > 1").fetchall()
        assert docs == []
        orphans = con.execute(
            "select count(*) from raw.raw_amounts a anti join raw.raw_documents d using (doc_id)").fetchone()[0]
        assert orphans == 0
        n = con.execute("select count(*) from raw.raw_amounts where doc = ? and value_wan = 12345.67",
                        [target.name]).fetchone()[0]
        assert n == 1


BAD = {
    "empty.txt": b"",
    "image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    "poem.txt": "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n".encode(),
    "latin1.txt": "Budget caf\xe9 \xe9t\xe9 \xff\xfe".encode("latin-1") * 30,
    "report.pdf": b"%PDF-1.7\n...",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_by_name_and_the_rest_still_loads(raw_dir, tmp_path, name):
    db = tmp_path / "w.duckdb"
    assert _ingest(raw_dir, "--db", db).exit_code == 0
    before = _counts(db)
    (raw_dir / name).write_bytes(BAD[name])
    result = _ingest(raw_dir, "--db", db)
    assert result.exit_code != 0
    lines = [x for x in result.stderr.splitlines() if x.startswith("rejected: ")]
    assert len(lines) == 1 and lines[0].startswith(f"rejected: {name}: "), result.stderr
    assert _counts(db) == before  # nothing lost, nothing staged for the bad file
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select doc from raw.raw_rejections").fetchall() == [(name,)]


def test_extract_reports_a_bad_file_and_still_prints_the_others(raw_dir):
    (raw_dir / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["extract", str(raw_dir)])
    assert result.exit_code == 1
    assert "rejected: empty.txt: empty file" in result.stderr
    assert len(result.stdout.splitlines()) > 0


def test_a_fragment_without_bureau_or_year_still_yields_facts(tmp_path):
    frag = tmp_path / "fragment.txt"
    frag.write_text("三、支出决算情况说明\n本年支出合计2169.89万元，其中：基本支出603.98万元，占27.83%；"
                    "项目支出1565.91万元，占72.17%。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(frag)])
    assert result.exit_code == 0, result.output
    import json

    facts = [json.loads(x) for x in result.stdout.splitlines()]
    values = {f.get("value_wan") for f in facts}
    assert {2169.89, 603.98, 1565.91} <= values
    assert all(f["bureau"] is None and f["fiscal_year"] is None for f in facts)


def test_a_one_table_fragment_still_yields_its_facts(tmp_path):
    import json

    frag = tmp_path / "table.txt"
    frag.write_text("单位：万元\n项目 年初预算数 全年预算数 全年执行数\n基本支出 80 90 88\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(frag)])
    assert result.exit_code == 0, result.output
    facts = [json.loads(x) for x in result.stdout.splitlines()]
    got = {(f["item"], f["measure"], f["value_wan"]) for f in facts}
    assert got == {("基本支出", "budget_initial", 80.0), ("基本支出", "budget_final", 90.0),
                   ("基本支出", "actual", 88.0)}


def test_a_changed_extractor_restages_the_same_bytes(raw_dir, tmp_path, monkeypatch):
    import ingest.stage

    db = tmp_path / "w.duckdb"
    assert _ingest(raw_dir, "--db", db).exit_code == 0
    before = _counts(db)
    monkeypatch.setattr(ingest.stage, "EXTRACTOR_VERSION", "a-newer-extractor")
    result = _ingest(raw_dir, "--db", db)
    assert result.exit_code == 0
    assert result.stderr.count(": replaced,") == 3
    assert _counts(db) == before
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select distinct extractor_version from raw.raw_documents").fetchall() == [
            ("a-newer-extractor",)]
