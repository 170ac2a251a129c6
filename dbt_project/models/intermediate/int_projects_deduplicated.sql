-- All statements of every project result, per bureau × year × project, with the one that
-- fct_project_outcomes keeps marked `is_chosen_statement`. Rule: a document's own-year statement
-- before a later document's; then the most complete statement (most of initial budget, final
-- budget, actual, execution rate and score given: in these documents the 自评表 row); then the
-- earliest document and line. Conflicting money figures are flagged, not averaged.
with

projects as (

    select * from {{ ref('stg_budget_docs__projects') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

resolved as (

    select
        projects.* exclude (bureau_name, fiscal_year),
        {{ resolved_fact_columns('projects', 'documents') }}
    from projects
    left join documents
        on projects._doc_id = documents._doc_id

),

keyed as (

    select
        {{ surrogate_key(['bureau_id', 'fiscal_year', 'project_name']) }} as project_outcome_id,
        (budget_initial_wan is not null)::int
        + (budget_final_wan is not null)::int
        + (actual_wan is not null)::int
        + (execution_rate_pct is not null)::int
        + (score is not null)::int as n_fields_given,
        *
    from resolved

),

ranked as (

    select
        *,
        row_number() over (
            partition by project_outcome_id
            order by is_prior_year_statement, n_fields_given desc, source_fiscal_year, _doc, _line, project_fact_id
        ) as statement_rank,
        count(*) over (partition by project_outcome_id) as n_statements,
        count(distinct round(actual_wan, 4)) over (partition by project_outcome_id) as n_distinct_actuals,
        count(distinct round(budget_final_wan, 4)) over (partition by project_outcome_id) as n_distinct_budgets_final
    from keyed

),

final as (

    select
        -- ids
        project_fact_id,
        project_outcome_id,
        _doc_id,
        bureau_id,

        -- grain
        bureau_name,
        fiscal_year,
        project_name,

        -- amounts, in 万元
        actual_wan,
        budget_final_wan,
        budget_initial_wan,

        -- result
        execution_rate_pct,
        max_score,
        score,

        -- statement ranking
        statement_rank = 1 as is_chosen_statement,
        is_prior_year_statement,
        n_fields_given,
        n_statements,
        source_fiscal_year,
        statement_rank,
        (n_distinct_actuals > 1 or n_distinct_budgets_final > 1) as has_conflicting_statements,

        -- provenance: doc, line, snippet
        _doc,
        _line,
        _snippet

    from ranked

)

select * from final
