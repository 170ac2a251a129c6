"""The quality gate: the GX checkpoints on a built warehouse and the summary of reconciliation findings.

The Great Expectations File Data Context lives in ``expectations/`` (STYLE 23). Each guarded table is one
pandas batch (DuckDB → Arrow → pandas; GX's SQL datasource fails on DuckDB, GX issues 10738 and 11579),
one suite named ``<layer>.<model>`` (STYLE 24), one validation definition and one checkpoint of the same
name, whose action writes the HTML Data Docs to ``data/quality/``. Cross-row and cross-table checks are
computed in DuckDB as boolean audit columns of the batch (``BATCH_QUERIES``), because
``UnexpectedRowsExpectation`` is SQL-only; see ``expectations/plugins/yibao_expectations.py``.

Severity: an expectation is ``critical`` (our own code's guarantees; a failure blocks publishing) or
``warning`` (a contradiction the documents contain; reported). The reconciliation rules' findings
(``marts.reconciliation_findings``) are all warnings.
"""

from __future__ import annotations

import importlib
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTEXT_DIR = REPO_ROOT / "expectations"
PLUGINS_DIR = CONTEXT_DIR / "plugins"
DATASOURCE = "warehouse"

# One batch per guarded table: the DuckDB query that builds it, audit columns included.
BATCH_QUERIES: dict[str, str] = {
    "staging.stg_budget_docs__amounts": """
        select amount_fact_id, _doc, _line, _snippet, bureau_name, fiscal_year, reported_year,
               classification_scheme, measure, scope, value_wan, stated_pct, pct_basis
        from staging.stg_budget_docs__amounts
    """,
    "staging.stg_budget_docs__projects": """
        select project_fact_id, _doc, _line, _snippet, fiscal_year, project_name,
               budget_initial_wan, budget_final_wan, actual_wan, execution_rate_pct, score, max_score
        from staging.stg_budget_docs__projects
    """,
    "staging.stg_budget_docs__indicators": """
        select indicator_fact_id, _doc, _line, _snippet, fiscal_year, scope, indicator_name, weight, score,
               coalesce(score <= weight + 1e-9, true) as score_within_weight
        from staging.stg_budget_docs__indicators
    """,
    "core.fct_budget_lines": """
        select fct.budget_line_id, fct.bureau_id, fct.fiscal_year, fct.scope, fct.classification_scheme,
               fct.item, fct.measure, fct.value_wan, fct._doc, fct._line, fct._snippet,
               coalesce(abs(fct.value_wan - stg.value_wan) <= 1e-6, false) as agrees_with_facts
        from core.fct_budget_lines as fct
        left join staging.stg_budget_docs__amounts as stg
            on fct._amount_fact_id = stg.amount_fact_id
    """,
    "marts.bureau_year_summary": """
        with stated as (
            select md5(coalesce(a.bureau_name, d.bureau_name)) as bureau_id,
                   coalesce(a.reported_year, a.fiscal_year, d.fiscal_year) as fiscal_year,
                   round(a.value_wan, 4) as value_key
            from staging.stg_budget_docs__amounts as a
            left join staging.stg_budget_docs__documents as d on a._doc_id = d._doc_id
        ),
        metrics as (
            select m.bureau_id, m.fiscal_year, unnest([
                m.total_expenditure_wan, m.basic_expenditure_wan, m.project_expenditure_wan,
                m.personnel_expenditure_wan, m.three_public_actual_wan
            ]) as metric_value
            from marts.bureau_year_summary as m
        ),
        unmatched as (
            select distinct metrics.bureau_id, metrics.fiscal_year
            from metrics
            where metric_value is not null and not exists (
                select 1 from stated
                where stated.bureau_id = metrics.bureau_id and stated.fiscal_year = metrics.fiscal_year
                    and stated.value_key = round(metrics.metric_value, 4)
            )
        )
        select m.bureau_id, m.bureau, m.fiscal_year, m.total_expenditure_wan, m.basic_expenditure_wan,
               m.project_expenditure_wan, m.project_share_pct,
               u.bureau_id is null as agrees_with_facts
        from marts.bureau_year_summary as m
        left join unmatched as u on m.bureau_id = u.bureau_id and m.fiscal_year = u.fiscal_year
    """,
    "marts.project_outcomes": """
        select project_outcome_id, bureau_id, bureau, fiscal_year, project, actual_wan, budget_final_wan,
               budget_initial_wan, execution_rate_pct, execution_rate_computed_pct,
               coalesce(
                   abs(execution_rate_computed_pct
                       - 100.0 * actual_wan / nullif(coalesce(budget_final_wan, budget_initial_wan), 0)) < 0.01,
                   execution_rate_computed_pct is null
               ) as agrees_with_facts
        from marts.project_outcomes
    """,
    "marts.reconciliation_findings": """
        select finding_id, rule_id, severity, bureau_name, fiscal_year, left_doc, left_line, right_doc,
               right_line, difference
        from marts.reconciliation_findings
    """,
}

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(亿元|万元|元)?")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def snippet_states_value(value_wan, snippet) -> bool:
    """Whether ``value_wan`` is one of the numbers written in ``snippet``, converted to 万元 by its unit.

    Parameters
    ----------
    value_wan:
        The fact's amount in 万元.
    snippet:
        The fact's source text.
    """
    if value_wan is None or snippet is None:
        return False
    text = re.sub(r"(?<=\d),(?=\d{3})", "", str(snippet).translate(_FULLWIDTH))
    for match in _NUMBER.finditer(text):
        number, unit = float(match.group(1)), match.group(2)
        factor = {"亿元": 10000.0, "元": 0.0001}.get(unit or "", 1.0)
        candidate = number * factor
        if abs(candidate - value_wan) <= max(1e-6, abs(value_wan) * 1e-9):
            return True
    return False


def _expectations():
    """Import the plugin module of the context (the domain expectation classes)."""
    if str(PLUGINS_DIR) not in sys.path:
        sys.path.insert(0, str(PLUGINS_DIR))
    return importlib.import_module("yibao_expectations")


def suite_expectations() -> dict[str, list]:
    """The expectations of each suite, as objects of the domain classes (source of the JSON suites)."""
    x = _expectations()
    def provenance() -> list:
        return [x.ExpectProvenancePresent(column=c) for c in ("_doc", "_snippet")] + [
            x.ExpectKeyPresent(column="_line"), x.ExpectLineNumberValid()]

    suites = {
        "staging.stg_budget_docs__amounts": [
            x.ExpectKeyUnique(column="amount_fact_id"),
            x.ExpectKeyPresent(column="value_wan"),
            x.ExpectAmountsNonNegative(),
            x.ExpectPercentagesPlausible(),
            x.ExpectFiscalYearPlausible(),
            x.ExpectFiscalYearPlausible(column="reported_year"),
            *provenance(),
            x.ExpectAuditPassed(column="classification_scheme", value_set=[
                "total", "source", "function", "economic", "nature", "three_public", "operating",
                "procurement", "asset", "other"], description="类别合法: category is one of the contract's"),
            x.ExpectAuditPassed(column="measure", value_set=["budget_initial", "budget_final", "actual"],
                                description="口径合法: measure is budget_initial, budget_final or actual"),
            x.ExpectSnippetStatesAmount(),
        ],
        "staging.stg_budget_docs__projects": [
            x.ExpectKeyUnique(column="project_fact_id"),
            *[x.ExpectAmountsNonNegative(column=c) for c in ("budget_initial_wan", "budget_final_wan", "actual_wan")],
            x.ExpectPercentagesPlausible(column="execution_rate_pct", min_value=0),
            x.ExpectFiscalYearPlausible(),
            *provenance(),
        ],
        "staging.stg_budget_docs__indicators": [
            x.ExpectKeyUnique(column="indicator_fact_id"),
            x.ExpectAmountsNonNegative(column="score"),
            x.ExpectAmountsNonNegative(column="weight"),
            x.ExpectFiscalYearPlausible(),
            *provenance(),
            x.ExpectScoreWithinWeight(severity="warning"),
        ],
        "core.fct_budget_lines": [
            x.ExpectKeyPresent(column="budget_line_id"),
            x.ExpectKeyUnique(column="budget_line_id"),
            x.ExpectGrainUnique(column_list=["bureau_id", "fiscal_year", "scope", "classification_scheme",
                                             "item", "measure"]),
            x.ExpectAmountsNonNegative(),
            *provenance(),
            x.ExpectMartAgreesWithFacts(),
        ],
        "marts.bureau_year_summary": [
            x.ExpectKeyPresent(column="bureau"),
            x.ExpectKeyPresent(column="fiscal_year"),
            x.ExpectGrainUnique(column_list=["bureau", "fiscal_year"]),
            x.ExpectSharesWithinHundred(column="project_share_pct"),
            x.ExpectFiscalYearPlausible(),
            x.ExpectMartAgreesWithFacts(),
        ],
        "marts.project_outcomes": [
            x.ExpectKeyPresent(column="project_outcome_id"),
            x.ExpectGrainUnique(column_list=["bureau_id", "fiscal_year", "project"]),
            x.ExpectMartAgreesWithFacts(description="执行率与金额一致: execution_rate_computed_pct = actual ÷ budget"),
        ],
        "marts.reconciliation_findings": [
            x.ExpectKeyUnique(column="finding_id"),
            x.ExpectKeyPresent(column="left_doc"),
            x.ExpectKeyPresent(column="left_line"),
            x.ExpectKeyPresent(column="right_doc"),
            x.ExpectKeyPresent(column="right_line"),
            x.ExpectNoReconciliationFindings(severity="warning"),
        ],
    }
    # GX 1.24 does not write `severity` into the suite JSON: it is kept in meta as well, and read from there
    for expectations in suites.values():
        for expectation in expectations:
            expectation.meta = {**(expectation.meta or {}), "severity": expectation.severity.value}
    return suites


def get_context(write_config: bool = False):
    """Open the File Data Context in ``expectations/`` (creating datasource, suites and checkpoints).

    Parameters
    ----------
    write_config:
        Re-write every suite from ``suite_expectations()`` (use after changing the expectations).
    """
    _expectations()
    import great_expectations as gx
    from great_expectations.checkpoint import UpdateDataDocsAction

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="file", context_root_dir=str(CONTEXT_DIR))
    try:
        source = context.data_sources.get(DATASOURCE)
    except (KeyError, ValueError):
        source = context.data_sources.add_pandas(DATASOURCE)
    expected = suite_expectations()
    for name, expectations in expected.items():
        try:
            asset = source.get_asset(name)
        except LookupError:
            asset = source.add_dataframe_asset(name=name)
        try:
            batch_definition = asset.get_batch_definition("whole")
        except (KeyError, ValueError, LookupError):
            batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        suite = None
        if not write_config:
            try:
                suite = context.suites.get(name)
            except Exception:  # noqa: BLE001 - GX raises its own not-found errors
                suite = None
        if suite is None:
            try:
                context.suites.delete(name)
            except Exception:  # noqa: BLE001
                pass
            suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        try:
            validation = context.validation_definitions.get(name)
        except Exception:  # noqa: BLE001
            validation = None
        if validation is None or write_config:
            if validation is not None:
                context.validation_definitions.delete(name)
            validation = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch_definition, suite=suite))
        try:
            context.checkpoints.get(name)
        except Exception:  # noqa: BLE001
            context.checkpoints.add(gx.Checkpoint(
                name=name,
                validation_definitions=[validation],
                actions=[UpdateDataDocsAction(name="update_data_docs")],
                result_format={"result_format": "COMPLETE"},
            ))
    return context


@dataclass
class CheckFailure:
    """One failed expectation: where, what, how bad, and a few offending rows."""

    suite: str
    expectation: str
    column: str | None
    severity: str
    unexpected_count: int | None
    examples: list = field(default_factory=list)

    def __str__(self) -> str:
        where = f"{self.suite}" + (f".{self.column}" if self.column else "")
        n = "" if self.unexpected_count is None else f" ({self.unexpected_count} rows)"
        ex = f" e.g. {self.examples[:3]}" if self.examples else ""
        return f"[{self.severity}] {where}: {self.expectation}{n}{ex}"


@dataclass
class CheckReport:
    """What the checks found on one warehouse file."""

    failures: list[CheckFailure]
    findings: list[tuple[str, str, str, int]]  # rule_id, title, severity, count
    n_expectations: int = 0

    @property
    def critical(self) -> list[CheckFailure]:
        return [f for f in self.failures if f.severity == "critical"]

    @property
    def ok(self) -> bool:
        return not self.critical


def load_batch(con: duckdb.DuckDBPyConnection, name: str):
    """Build the pandas batch of one suite from the warehouse (audit columns included).

    Parameters
    ----------
    con:
        An open (read-only) connection to the warehouse.
    name:
        The suite's name, ``<layer>.<model>``.
    """
    relation = con.sql(BATCH_QUERIES[name])
    to_arrow = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    df = to_arrow().to_pandas()
    if name == "staging.stg_budget_docs__amounts":
        df["snippet_states_value"] = [snippet_states_value(v, s) for v, s in zip(df["value_wan"], df["_snippet"])]
    return df


def run_checks(db_path: Path, build_docs: bool = True) -> CheckReport:
    """Run every checkpoint on the warehouse ``db_path`` and summarise the reconciliation findings.

    Parameters
    ----------
    db_path:
        The DuckDB file to check (opened read-only).
    build_docs:
        Let the checkpoints write the Data Docs site to ``data/quality/``.
    """
    context = get_context()
    failures: list[CheckFailure] = []
    n_expectations = 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        batches = {}
        for name in BATCH_QUERIES:
            try:
                batches[name] = load_batch(con, name)
            except duckdb.Error as exc:
                failures.append(CheckFailure(name, f"table missing or unreadable: {exc}".splitlines()[0],
                                             None, "critical", None))
        findings = []
        try:
            findings = con.sql("""
                select rule_id, any_value(rule_title), any_value(severity), count(*)
                from marts.reconciliation_findings group by rule_id order by rule_id
            """).fetchall()
        except duckdb.Error:
            pass
    finally:
        con.close()
    for name, df in batches.items():
        if build_docs:
            result = context.checkpoints.get(name).run(batch_parameters={"dataframe": df})
            run_results = list(result.run_results.values())
        else:  # the same validation definition, without the checkpoint's Data Docs action
            run_results = [context.validation_definitions.get(name).run(
                batch_parameters={"dataframe": df}, result_format="COMPLETE")]
        for run_result in run_results:
            for r in run_result.results:
                n_expectations += 1
                if r.success:
                    continue
                cfg = r.expectation_config
                severity = (cfg.meta or {}).get("severity") or getattr(cfg, "severity", None)
                severity = getattr(severity, "value", severity) or "critical"
                res = r.result or {}
                examples = res.get("partial_unexpected_list") or []
                failures.append(CheckFailure(
                    suite=name,
                    expectation=cfg.type,
                    column=(cfg.kwargs or {}).get("column") or ",".join((cfg.kwargs or {}).get("column_list") or []) or None,
                    severity=str(severity).lower(),
                    unexpected_count=res.get("unexpected_count"),
                    examples=[e for e in examples[:5]],
                ))
    return CheckReport(failures=failures, findings=findings, n_expectations=n_expectations)


def summary_lines(report: CheckReport) -> list[str]:
    """The summary table (rule, severity, findings) and the failed expectations, as printable lines.

    Parameters
    ----------
    report:
        The result of ``run_checks``.
    """
    lines = [f"{'rule':<9} {'severity':<9} {'findings':>8}  title", "-" * 60]
    for rule_id, title, severity, count in report.findings:
        lines.append(f"{rule_id:<9} {severity:<9} {count:>8}  {title}")
    lines.append(f"reconciliation findings: {sum(r[3] for r in report.findings)} (warnings, never blocking)")
    lines.append(f"expectations: {report.n_expectations} run, {len(report.failures)} failed "
                 f"({len(report.critical)} critical)")
    for failure in report.failures:
        lines.append(f"  {failure}")
    return lines
