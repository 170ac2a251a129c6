-- One row per bureau × year × project (项目支出绩效自评): initial and final budget, actual spending,
-- the execution rate as stated and as computed (actual ÷ final budget, else ÷ initial budget),
-- and the self-evaluation score (the project fact's, else the evaluation fact of the same scope).
with

projects as (

    select * from {{ ref('int_projects_deduplicated') }}
    where is_chosen_statement

),

evaluations as (

    select * from {{ ref('int_evaluations_deduplicated') }}
    where is_chosen_statement

),

computed as (

    select
        projects.*,
        evaluations.score as evaluation_score,
        evaluations.grade as evaluation_grade,
        {{ safe_pct('projects.actual_wan', 'coalesce(projects.budget_final_wan, projects.budget_initial_wan)') }}
            as execution_rate_computed_pct
    from projects
    left join evaluations
        on
            projects.bureau_id = evaluations.bureau_id
            and projects.fiscal_year = evaluations.fiscal_year
            and projects.project_name = evaluations.scope

),

final as (

    select
        -- ids
        project_outcome_id,
        bureau_id,
        fiscal_year,

        -- grain
        project_name,

        -- amounts, in 万元
        actual_wan,
        budget_final_wan,
        budget_initial_wan,

        -- execution
        execution_rate_computed_pct,
        execution_rate_pct,
        coalesce(
            abs(execution_rate_pct - execution_rate_computed_pct) > {{ var('pct_tolerance') }},
            false
        ) as warning_execution_rate_mismatch,

        -- evaluation
        evaluation_grade as grade,
        max_score,
        coalesce(score, evaluation_score) as score,

        -- statements behind the row
        has_conflicting_statements,
        n_statements,

        -- provenance: doc, line, snippet
        project_fact_id as _project_fact_id,
        _doc,
        _doc_id,
        _line,
        _snippet

    from computed

)

select * from final
