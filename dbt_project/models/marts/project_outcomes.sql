-- One row per bureau × fiscal year × project (项目支出绩效自评): budget, spending, execution rate as
-- stated and as recomputed, and the self-evaluation score.
with

outcomes as (

    select * from {{ ref('fct_project_outcomes') }}

),

bureaus as (

    select * from {{ ref('dim_bureaus') }}

),

final as (

    select
        -- ids
        cast(outcomes.project_outcome_id as varchar) as project_outcome_id,
        cast(outcomes.bureau_id as varchar) as bureau_id,
        cast(bureaus.bureau_name as varchar) as bureau,
        cast(outcomes.fiscal_year as integer) as fiscal_year,
        cast(outcomes.project_name as varchar) as project,

        -- money, 万元
        cast(outcomes.budget_initial_wan as double) as budget_initial_wan,
        cast(outcomes.budget_final_wan as double) as budget_final_wan,
        cast(outcomes.actual_wan as double) as actual_wan,

        -- execution
        cast(outcomes.execution_rate_pct as double) as execution_rate_pct,
        cast(outcomes.execution_rate_computed_pct as double) as execution_rate_computed_pct,

        -- evaluation
        cast(outcomes.score as double) as score,
        cast(outcomes.max_score as double) as max_score,
        cast(outcomes.grade as varchar) as grade,

        -- lineage and warnings
        cast(outcomes.warning_execution_rate_mismatch as boolean) as warning_execution_rate_mismatch,
        cast(outcomes.has_conflicting_statements as boolean) as has_conflicting_statements,
        cast(outcomes._doc as varchar) as _doc,
        cast(outcomes._line as integer) as _line

    from outcomes
    inner join bureaus
        on outcomes.bureau_id = bureaus.bureau_id

)

select * from final
