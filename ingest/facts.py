"""Pydantic models of the fact contract (``../shared/FACTS.md``): one model per fact kind.

``Fact.model_dump()`` gives exactly the contract's field names in the contract's order, which is what
``yibao extract --format jsonl`` prints and what the ``raw.raw_*`` tables hold.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "AmountFact", "BaseFact", "CATEGORIES", "EvaluationFact", "FACT_MODELS", "HeadcountFact",
    "IndicatorFact", "MEASURES", "PCT_BASES", "ProjectFact",
]

CATEGORIES = ("total", "source", "function", "economic", "nature", "three_public", "operating", "procurement",
              "asset", "other")
MEASURES = ("budget_initial", "budget_final", "actual")
PCT_BASES = ("share", "completion", "change")
SCOPES = ("all", "fiscal", "general_public", "gov_fund")


def _one_of(value, allowed, name):
    if value is not None and value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


class BaseFact(BaseModel):
    """Fields every fact has: where it comes from and which bureau and year it belongs to."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    kind_name: ClassVar[str] = ""

    doc: str = Field(description="file name of the source document")
    bureau: str | None = Field(description="full name of the reporting bureau, with its city/district prefix")
    fiscal_year: int | None = Field(description="the fiscal year the document reports on")
    kind: str = Field(description="amount, project, indicator, evaluation or headcount")
    year: int | None = Field(description="the year the figure refers to (fiscal_year, or the prior year)")
    line: int = Field(ge=1, description="1-based line of the source text where the figure's number appears")
    snippet: str = Field(min_length=1, max_length=200, description="source text around the figure (≤ 200 chars)")

    @field_validator("fiscal_year", "year")
    @classmethod
    def _plausible_year(cls, v):
        if v is not None and not 1990 <= v <= 2100:
            raise ValueError(f"year {v} is not plausible (1990–2100)")
        return v


class AmountFact(BaseFact):
    """A money figure: a budget line, a total, a 三公经费 item …"""

    kind_name: ClassVar[str] = "amount"
    item: str = Field(min_length=1, description="the line's label; a function class as its 类/款/项 path joined by /")
    category: str = Field(description="total, source, function, economic, nature, three_public, operating, "
                                      "procurement, asset or other")
    measure: str = Field(description="budget_initial (年初预算), budget_final (全年/调整后预算) or actual (决算数)")
    scope: str = Field(description="all, fiscal, general_public, gov_fund or project:<name>")
    value_wan: float = Field(description="the amount in 万元")
    pct: float | None = Field(default=None, description="a percentage stated with the amount (占 96.49% → 96.49)")
    pct_basis: str | None = Field(default=None, description="share, completion or change (a fall is negative)")

    @field_validator("category")
    @classmethod
    def _category(cls, v):
        return _one_of(v, CATEGORIES, "category")

    @field_validator("measure")
    @classmethod
    def _measure(cls, v):
        return _one_of(v, MEASURES, "measure")

    @field_validator("pct_basis")
    @classmethod
    def _pct_basis(cls, v):
        return _one_of(v, PCT_BASES, "pct_basis")

    @field_validator("scope")
    @classmethod
    def _scope(cls, v):
        if v in SCOPES or (v.startswith("project:") and len(v) > len("project:")):
            return v
        raise ValueError(f"scope must be one of {', '.join(SCOPES)} or project:<name>; got {v!r}")


class ProjectFact(BaseFact):
    """One project's money and result (项目支出绩效自评)."""

    kind_name: ClassVar[str] = "project"
    project: str = Field(min_length=1, description="project name")
    budget_initial: float | None = Field(default=None, description="年初预算数, 万元")
    budget_final: float | None = Field(default=None, description="全年预算数, 万元")
    actual: float | None = Field(default=None, description="全年执行数, 万元")
    execution_rate: float | None = Field(default=None, description="执行率 as stated, %")
    score: float | None = Field(default=None, description="self-evaluation points")
    max_score: float | None = Field(default=None, description="the maximum points, usually 100")


class IndicatorFact(BaseFact):
    """One row of a performance-indicator table (绩效指标)."""

    kind_name: ClassVar[str] = "indicator"
    scope: str = Field(min_length=1, description="部门整体 for the department-wide table, else the project name")
    level1: str | None = Field(default=None, description="一级指标: 产出指标, 效益指标, 满意度指标 …")
    level2: str | None = Field(default=None, description="二级指标: 数量指标, 质量指标, 时效指标 …")
    name: str = Field(min_length=1, description="三级指标")
    target: str | None = Field(default=None, description="年度指标值, raw text such as ≥95%")
    actual: str | None = Field(default=None, description="实际完成值, raw text")
    weight: float | None = Field(default=None, description="分值")
    score: float | None = Field(default=None, description="得分")


class EvaluationFact(BaseFact):
    """An overall self-evaluation result."""

    kind_name: ClassVar[str] = "evaluation"
    scope: str = Field(min_length=1, description="部门整体 or the project name")
    score: float | None = Field(default=None, description="points")
    grade: str | None = Field(default=None, description="优秀, 良好, 中, 差 … or null")


class HeadcountFact(BaseFact):
    """A staff figure."""

    kind_name: ClassVar[str] = "headcount"
    item: str = Field(min_length=1, description="编制数, 在职人数, 实有人数, 离退休人员, 编外人员 …")
    value: float = Field(ge=0, description="persons")


FACT_MODELS: dict[str, type[BaseFact]] = {
    m.kind_name: m for m in (AmountFact, ProjectFact, IndicatorFact, EvaluationFact, HeadcountFact)
}

Kind = Literal["amount", "project", "indicator", "evaluation", "headcount"]
