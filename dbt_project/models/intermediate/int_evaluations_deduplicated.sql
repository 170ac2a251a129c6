-- All statements of every overall self-evaluation result (部门整体 or one project), per
-- bureau × year × scope, with the one kept marked `is_chosen_statement`. Rule: own-year statement
-- first; then a statement that gives a grade; then the earliest document and line.
with

evaluations as (

    select * from {{ ref('stg_budget_docs__evaluations') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

resolved as (

    select
        evaluations.* exclude (bureau_name, fiscal_year),
        {{ resolved_fact_columns('evaluations', 'documents') }}
    from evaluations
    left join documents
        on evaluations._doc_id = documents._doc_id

),

ranked as (

    select
        {{ surrogate_key(['bureau_id', 'fiscal_year', 'scope']) }} as evaluation_id,
        *,
        row_number() over (
            partition by bureau_id, fiscal_year, scope
            order by is_prior_year_statement, grade is null, score is null, source_fiscal_year, _doc, _line,
                evaluation_fact_id
        ) as statement_rank,
        count(*) over (partition by bureau_id, fiscal_year, scope) as n_statements,
        count(distinct score) over (partition by bureau_id, fiscal_year, scope) as n_distinct_scores
    from resolved

),

final as (

    select
        -- ids
        evaluation_fact_id,
        evaluation_id,
        _doc_id,
        bureau_id,

        -- grain
        bureau_name,
        fiscal_year,
        scope,

        -- result
        grade,
        score,

        -- statement ranking
        statement_rank = 1 as is_chosen_statement,
        n_distinct_scores > 1 as has_conflicting_statements,
        is_prior_year_statement,
        n_statements,
        statement_rank,

        -- provenance: doc, line, snippet
        _doc,
        _line,
        _snippet

    from ranked

)

select * from final
