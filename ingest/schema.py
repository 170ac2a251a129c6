"""DDL of the staging schema ``raw.*``: one table per fact kind, plus documents and rejections.

Every fact table carries the contract fields of ``../shared/FACTS.md`` (same names), the content hash
of its document (``doc_id``) and a stable ``fact_id``.  Renaming and typing happen later, in dbt staging.
"""

COMMON = """
    fact_id      varchar primary key,
    doc_id       varchar not null,
    doc          varchar not null,
    bureau       varchar,
    fiscal_year  integer,
    kind         varchar not null,
    year         integer,
    line         integer not null,
    snippet      varchar not null,
"""

TABLES = {
    "raw_documents": """
    doc_id        varchar primary key,   -- sha256 of the file's bytes
    doc           varchar not null,      -- file name
    path          varchar,
    bureau        varchar,
    fiscal_year   integer,
    doc_type      varchar,               -- 部门决算 / 部门整体支出绩效自评报告 / 项目支出绩效自评, ';'-joined when several
    province      varchar,
    city          varchar,               -- prefecture-level city (地级市) where known
    admin_level   varchar,               -- 地市级 / 县级市 / 市辖区 / 县
    size_bytes    bigint not null,
    n_lines       integer not null,
    n_facts       integer not null,
    loaded_at     timestamp not null,
    extractor_version varchar            -- hash of the extractor's code that produced the facts
""",
    "raw_amounts": COMMON + """
    item         varchar not null,
    category     varchar not null,
    measure      varchar not null,
    scope        varchar not null,
    value_wan    double not null,
    pct          double,
    pct_basis    varchar
""",
    "raw_projects": COMMON + """
    project        varchar not null,
    budget_initial double,
    budget_final   double,
    actual         double,
    execution_rate double,
    score          double,
    max_score      double
""",
    "raw_indicators": COMMON + """
    scope   varchar not null,
    level1  varchar,
    level2  varchar,
    name    varchar not null,
    target  varchar,
    actual  varchar,
    weight  double,
    score   double
""",
    "raw_evaluations": COMMON + """
    scope  varchar not null,
    score  double,
    grade  varchar
""",
    "raw_headcounts": COMMON + """
    item   varchar not null,
    value  double not null
""",
    "raw_rejections": """
    path        varchar not null,
    doc         varchar not null,
    reason      varchar not null,
    rejected_at timestamp not null
""",
}

# fact kind -> staging table
KIND_TABLE = {
    "amount": "raw_amounts",
    "project": "raw_projects",
    "indicator": "raw_indicators",
    "evaluation": "raw_evaluations",
    "headcount": "raw_headcounts",
}


def ddl(schema: str = "raw") -> list[str]:
    """Return the ``create table if not exists`` statements of the staging schema.

    Parameters
    ----------
    schema:
        Name of the DuckDB schema that holds the staging tables.
    """
    out = [f"create schema if not exists {schema}"]
    for name, cols in TABLES.items():
        out.append(f"create table if not exists {schema}.{name} ({cols.rstrip().rstrip(',')}\n)")
    return out
