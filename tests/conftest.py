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
def built_warehouse():
    """The real `yibao build` chain (ingest → dbt build → checks → publish) run once per test session.

    It holds the five seeds plus two variants of seed 003 under other bureau names (see issue4_build).
    """
    from .issue4_build import built_warehouse as build

    db, status, lines = build()
    assert status == 0, "\n".join(lines[-60:])
    return db
