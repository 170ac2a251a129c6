-- One row per bureau × year × scope (部门整体, a project, or 专项项目) self-evaluation result: score
-- and grade, chosen as in int_evaluations_deduplicated.
with

evaluations as (

    select * from {{ ref('int_evaluations_deduplicated') }}
    where is_chosen_statement

),

final as (

    select
        -- ids
        evaluation_id,
        bureau_id,
        fiscal_year,

        -- grain
        scope,
        scope = '部门整体' as is_department_wide,

        -- result
        grade,
        score,

        -- statements behind the row
        has_conflicting_statements,
        n_statements,

        -- provenance: doc, line, snippet
        evaluation_fact_id as _evaluation_fact_id,
        _doc,
        _doc_id,
        _line,
        _snippet

    from evaluations

)

select * from final
