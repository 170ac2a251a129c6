"""Issue 2 acceptance: `yibao extract` over the five seeds, scored against ../shared/gold."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from yibao.cli import cli

from .conftest import seed_paths

MIN_F1 = 0.90
MIN_RECALL = 0.85
MIN_FIELD_ACCURACY = 0.9


@pytest.fixture(scope="module")
def extracted():
    result = CliRunner().invoke(cli, ["extract", *map(str, seed_paths()), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def report(extracted, scorer, gold_facts):
    return scorer.score(gold_facts, extracted)


def test_jsonl_has_exactly_the_contract_fields(extracted):
    contract = {
        "amount": ["item", "category", "measure", "scope", "value_wan", "pct", "pct_basis"],
        "project": ["project", "budget_initial", "budget_final", "actual", "execution_rate", "score", "max_score"],
        "indicator": ["scope", "level1", "level2", "name", "target", "actual", "weight", "score"],
        "evaluation": ["scope", "score", "grade"],
        "headcount": ["item", "value"],
    }
    common = ["doc", "bureau", "fiscal_year", "kind", "year", "line", "snippet"]
    assert extracted
    for fact in extracted:
        assert list(fact) == common + contract[fact["kind"]], fact


def test_every_fact_keeps_checkable_provenance(extracted):
    import re

    from ingest.document import read_document

    docs = {p.name: read_document(p) for p in seed_paths()}
    for fact in extracted:
        doc = docs[fact["doc"]]
        assert 1 <= fact["line"] <= len(doc.lines), fact
        assert 0 < len(fact["snippet"]) <= 200, fact
        # the figure's own line is in the snippet (a piece of it, for a line longer than the snippet)
        own = " ".join(re.sub(r"\[bookmark:[^\]]*\]", "", doc.raw_line(fact["line"])).split())
        if own:
            pieces = [own] if len(own) <= 200 else [own[i:i + 12] for i in range(0, len(own) - 12, 12)]
            assert any(p in fact["snippet"] for p in pieces), fact


def test_overall_f1(report):
    _, overall, _ = report
    assert overall["f1"] >= MIN_F1, overall


@pytest.mark.parametrize("kind", ["amount", "project", "indicator", "evaluation", "headcount"])
def test_recall_and_field_accuracy_per_kind(report, kind):
    per_kind, _, _ = report
    r = per_kind[kind]
    assert r["recall"] >= MIN_RECALL, (kind, r)
    for field, acc in r["fields"].items():
        assert acc >= MIN_FIELD_ACCURACY, (kind, field, acc)


def test_bureau_and_year_recognized_for_every_seed(extracted, gold_facts):
    expected = {(g["doc"], g["bureau"], g["fiscal_year"]) for g in gold_facts}
    got = {(f["doc"], f["bureau"], f["fiscal_year"]) for f in extracted}
    assert expected <= got
