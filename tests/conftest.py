"""Shared fixtures: paths, a fresh DuckDB, the scorer of ../shared/tools."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RAW = ROOT / "data" / "raw"
GOLD = sorted((SHARED / "gold").glob("*.jsonl"))


def seed_paths() -> list[Path]:
    """The sample documents in data/raw/."""
    return sorted(RAW.glob("*.txt"))


@pytest.fixture
def fresh_db():
    """A fresh in-memory DuckDB."""
    con = duckdb.connect(":memory:")
    yield con
    con.close()


@pytest.fixture(scope="session")
def scorer():
    """The ``score_facts`` module of ../shared/tools (the team's scoring tool)."""
    path = SHARED / "tools" / "score_facts.py"
    if not path.exists():
        pytest.fail(f"{path} is missing: ../shared must sit beside the repository")
    spec = importlib.util.spec_from_file_location("score_facts", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def gold_facts(scorer):
    """All hand-made reference facts of the seeds."""
    return [f for p in GOLD for f in scorer.load(p)]


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory):
    """The five seeds ingested and built with dbt once per test session (a real `yibao build` chain).

    The file is called warehouse.duckdb like the published one (dbt-duckdb names the catalog after it).
    """
    from yibao.cli import run_ingest
    from yibao.dbt_runner import run_dbt

    db = tmp_path_factory.mktemp("built") / "warehouse.duckdb"
    done, rejected = run_ingest([RAW], db, interim=None, echo=lambda msg: None)
    assert len(done) == len(seed_paths()) and not rejected
    log = db.with_suffix(".dbt.log")
    with log.open("w", encoding="utf-8") as out:
        code = run_dbt(["build"], db_path=db, stream=out)
    assert code == 0, log.read_text(encoding="utf-8")[-5000:]
    return db
