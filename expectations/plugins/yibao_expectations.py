"""Domain expectations of the yibao warehouse: subclasses of GX built-ins that fix their defaults.

Suites (``expectations/expectations/*.json``), the checkpoints and the tests import these same classes
(STYLE 25, 27). Every class carries its default ``severity``: ``critical`` guards what our own code
produces (types, units, keys, grain, provenance, a mart disagreeing with its facts) and blocks
publishing; ``warning`` marks contradictions that the documents themselves contain (reported, kept).

Cross-row checks: GX's ``UnexpectedRowsExpectation`` runs SQL on SQL datasources only, and GX's SQL
datasource does not work on DuckDB through duckdb-engine (GX issues 10738, 11579). So the tables are
validated as pandas batches (DuckDB → Arrow → pandas), and a cross-row or cross-table check is computed
in DuckDB as a boolean audit column of the batch (``yibao.checks.BATCH_QUERIES``); the expectation
below asks that column to be true, so a failure lists the offending rows by their keys.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
from great_expectations.expectations.metadata_types import FailureSeverity

CRITICAL = FailureSeverity.CRITICAL
WARNING = FailureSeverity.WARNING


class ExpectAmountsNonNegative(gxe.ExpectColumnValuesToBeBetween):
    """Money figures are amounts in 万元 and never negative (a fall is a pct, not a negative amount)."""

    column: str = "value_wan"
    min_value: float = 0
    severity: FailureSeverity = CRITICAL
    description: str = "金额不为负: every amount in 万元 is ≥ 0"


class ExpectPercentagesPlausible(gxe.ExpectColumnValuesToBeBetween):
    """Stated percentages lie between −100 (a fall to nothing) and 1000."""

    column: str = "stated_pct"
    min_value: float = -100
    max_value: float = 1000
    severity: FailureSeverity = CRITICAL
    description: str = "百分比合理: a stated percentage lies in [−100, 1000]"


class ExpectFiscalYearPlausible(gxe.ExpectColumnValuesToBeBetween):
    """A fiscal year is a plausible year of a published disclosure (null for a fragment that names none)."""

    column: str = "fiscal_year"
    min_value: int = 2000
    max_value: int = 2035
    severity: FailureSeverity = CRITICAL
    description: str = "年度合理: fiscal years lie in 2000–2035"


class ExpectProvenancePresent(gxe.ExpectColumnValuesToNotBeNull):
    """Every fact names the document, line and snippet it comes from."""

    column: str = "_snippet"
    severity: FailureSeverity = CRITICAL
    description: str = "来源齐全: every fact keeps its document, line and source text"


class ExpectLineNumberValid(gxe.ExpectColumnValuesToBeBetween):
    """Line numbers are 1-based."""

    column: str = "_line"
    min_value: int = 1
    severity: FailureSeverity = CRITICAL
    description: str = "行号有效: the source line is a 1-based line number"


class ExpectGrainUnique(gxe.ExpectCompoundColumnsToBeUnique):
    """A model's grain (its key columns together) identifies one row."""

    severity: FailureSeverity = CRITICAL
    description: str = "粒度唯一: one row per grain key"


class ExpectKeyPresent(gxe.ExpectColumnValuesToNotBeNull):
    """A key column is never null."""

    severity: FailureSeverity = CRITICAL
    description: str = "主键非空: the key is present on every row"


class ExpectSharesWithinHundred(gxe.ExpectColumnValuesToBeBetween):
    """A share of a total lies between 0 and 100 percent."""

    min_value: float = 0
    max_value: float = 100
    severity: FailureSeverity = CRITICAL
    description: str = "占比在 0–100 之间"


class ExpectAuditPassed(gxe.ExpectColumnValuesToBeInSet):
    """A boolean audit column computed in DuckDB (a cross-row or cross-table check) is true on every row."""

    value_set: list = [True]
    severity: FailureSeverity = CRITICAL
    description: str = "审计通过: the cross-row check computed for each row holds"


class ExpectSnippetStatesAmount(ExpectAuditPassed):
    """The amount is a number of its own snippet, in 万元 (元 ÷ 10000, 亿元 × 10000): catches unit slips."""

    column: str = "snippet_states_value"
    description: str = "原文含该数: the amount (converted to 万元) is a number written in its own snippet"


class ExpectMartAgreesWithFacts(ExpectAuditPassed):
    """Each mart figure is the value of a staged statement of the same bureau-year (a mart never invents)."""

    column: str = "agrees_with_facts"
    description: str = "集市与事实一致: every mart figure equals a staged fact of the same bureau and year"


class ExpectScoreWithinWeight(ExpectAuditPassed):
    """An indicator's score does not exceed its weight (a document contradiction: warning)."""

    column: str = "score_within_weight"
    severity: FailureSeverity = WARNING
    description: str = "得分不超过分值 (document contradiction, reported)"


class ExpectNoReconciliationFindings(gxe.ExpectTableRowCountToEqual):
    """The documents reconcile: no finding (warning — the findings are the report, never a blocker)."""

    value: int = 0
    severity: FailureSeverity = WARNING
    description: str = "无勾稽差异 (warning): the documents' own figures reconcile"


class ExpectKeyUnique(gxe.ExpectColumnValuesToBeUnique):
    """A single-column key identifies one row."""

    severity: FailureSeverity = CRITICAL
    description: str = "主键唯一: the key identifies one row"
