"""Issue 4: the reconciliation rules find the inconsistencies of ../shared/gold/*.notes.md.

Each case names the note it pins, the rule that covers it, and the two sides' values; the test asserts
the finding is in marts.reconciliation_findings with the document and line of both sides.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from tests.issue4_build import ROOT, built_warehouse

# (note, document prefix, rule, left value, right value)
NOTED = [
    ("000 #1 三公 控制率 stated 100% vs 1.62 / 3 = 54%", "000", "3P-02", 100.0, 54.0),
    ("000 #2 公用经费 43.72 over its budget 42", "000", "BUD-01", 43.72, 42.0),
    ("000 #6 社保 类 143 vs its 项 140", "000", "FUN-02", 143.0, 140.0),
    ("000 #6 卫生健康 类 8520.88 vs its 项 8523.88", "000", "FUN-02", 8520.88, 8523.88),
    ("000 #8 项目支出 312.75 (附件1) vs 8857.13", "000", "DUP-01", 312.75, 8857.13),
    ("001 #1 function classes 420.69 vs 462.27", "001", "FUN-03", 420.69, 462.27),
    ("001 #2 经营支出 0 占 100%", "001", "RATE-02", 100.0, 0.0),
    ("001 #3 projects spent more than 项目支出 34", "001", "PRJ-01", None, 34.0),
    ("001 #4 政府采购 10.68 vs parts 10.69", "001", "PRC-01", 10.68, 10.69),
    ("001 #7 三公 0% of a zero budget", "001", "3P-02", 0.0, None),
    ("001 #11 其他资金 到账 17.4 vs budget 40", "001", "DUP-01", 17.4, 40.0),
    ("002 #1 卫生健康 1633.52 vs its 项 1633.51", "002", "FUN-02", 1633.52, 1633.51),
    ("002 #2 机关运行经费 growth 11.94% vs 11.84%", "002", "RATE-03", 11.94, None),
    ("002 #3 医保政策风险评估 4.5 vs 5", "002", "DUP-01", 4.5, 5.0),
    ("002 #4 医疗保险监管 219.5 vs 220", "002", "DUP-01", 219.5, 220.0),
    ("002 #5 医保事务中心业务经费 15.78 vs 15.75", "002", "DUP-01", 15.78, 15.75),
    ("003 #1 支出合计 693.22 vs 512.36 + 180.87", "003", "TOT-02", 693.22, 693.23),
    ("003 #2 economic classes 693.23 vs 693.22", "003", "ECO-01", 693.23, 693.22),
    ("003 #3 工资福利 470.36 vs its items 458.41", "003", "ECO-02", 470.36, 458.41),
    ("003 #5 基本支出 512.36 vs 年初 328.24", "003", "BUD-01", 512.36, 328.24),
    ("004 #1 年初预算 231.11 vs 233.11", "004", "DUP-01", 231.11, 233.11),
    ("004 #2 调整增拨 372.09 vs 372.1", "004", "DUP-01", 372.09, 372.1),
    ("004 #2 当年收入 610.1 vs 610.11", "004", "DUP-01", 610.1, 610.11),
    ("004 #3 收入总计 610.1元 (0.06101 万元) vs 610.11", "004", "DUP-01", 0.06101, 610.11),
    ("004 #3 收入总计 0.06101 vs 支出总计 610.1", "004", "TOT-03", 0.06101, 610.1),
    ("004 #4 公用经费 373.04 vs 379.19", "004", "DUP-01", 373.04, 379.19),
    ("004 #4 人员 + 公用 603.96 vs 基本支出 610.11", "004", "ECO-03", 603.96, 610.11),
    ("004 #5 2022 公用经费 656.58 > 基本支出 610.11", "004", "NAT-01", 656.58, 610.11),
    ("004 #6 基本支出 2023年预算数 610.11 vs 年初 233.11", "004", "DUP-01", 610.11, 233.11),
    ("004 #6 三公 2023年预算数 3 vs 年初 0.89", "004", "DUP-01", 3.0, 0.89),
]


@pytest.fixture(scope="module")
def findings():
    db_path, status, lines = built_warehouse()
    assert status == 0, "\n".join(lines)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        yield con.sql("select * from marts.reconciliation_findings").df()
    finally:
        con.close()


def _close(expected, actual) -> bool:
    """None expected: any value (the side is a sum or a recomputed rate, asserted by the rule)."""
    return expected is None or (actual is not None and abs(expected - actual) < 1e-6)


@pytest.mark.parametrize(("note", "doc", "rule", "left", "right"), NOTED, ids=[n[0] for n in NOTED])
def test_noted_inconsistency_is_found(findings, note, doc, rule, left, right):
    rows = findings[(findings.rule_id == rule) & findings.left_doc.str.startswith(doc)]
    def value(v):
        return None if v is None or v != v else v

    hits = [r for r in rows.itertuples() if _close(left, value(r.left_value)) and _close(right, value(r.right_value))]
    assert hits, f"{note}: no {rule} finding with {left} / {right} in {doc}; {rule} rows: {rows.to_dict('records')}"
    hit = hits[0]
    assert hit.left_doc.startswith(doc) and hit.right_doc.startswith(doc)
    assert hit.left_line >= 1 and hit.right_line >= 1
    assert hit.severity == "warning"


def _keys(df, doc):
    part = df[df.left_doc == doc]
    return sorted(
        (r.rule_id, r.left_label.replace("岳麓区", "").replace("雨花区", ""), round(r.left_value, 4) if r.left_value == r.left_value else None,
         round(r.right_value, 4) if r.right_value == r.right_value else None)
        for r in part.itertuples()
    )


def test_agreeing_figures_give_no_finding_and_one_changed_number_gives_exactly_one(findings):
    agreeing = _keys(findings, "900_variant_agreeing.txt")
    changed = _keys(findings, "901_variant_changed.txt")
    # corrected 693.23: the totals agree, so no totals / economic-class finding remains
    assert not [k for k in agreeing if k[0] in ("TOT-02", "ECO-01")]
    extra = list(changed)
    for key in agreeing:
        extra.remove(key)
    assert len(extra) == 1, extra
    rule, _, left, right = extra[0]
    assert (rule, left, right) == ("TOT-02", 510.12, 510.22)


def test_every_rule_of_the_catalogue_has_one_model_and_back():
    with open(ROOT / "dbt_project" / "seeds" / "reconciliation_rules.csv", encoding="utf-8") as fh:
        catalogue = {row["rule_id"]: row for row in csv.DictReader(fh)}
    models = sorted((ROOT / "dbt_project" / "models" / "reconciliation").glob("rcn_*.sql"))
    in_models = set()
    for model in models:
        text = model.read_text(encoding="utf-8")
        in_models |= {rule for rule in catalogue if f"'{rule}'" in text}
    assert in_models == set(catalogue)
    for row in catalogue.values():
        assert row["severity"] in {"warning", "critical", "info"}
        assert row["comparison"] in {"equal", "at_most"}
        assert row["crosses_documents"] in {"true", "false"}
        assert float(row["tolerance"]) >= 0
