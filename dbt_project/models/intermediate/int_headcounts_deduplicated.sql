-- All statements of every staff figure, per bureau × year × item (编制数, 在职人数 …), with the one
-- kept marked `is_chosen_statement`. Rule as for money figures: own-year first, then the value
-- stated at most lines, then the earliest document and line.
with

headcounts as (

    select * from {{ ref('stg_budget_docs__headcounts') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

resolved as (

    select
        headcounts.* exclude (bureau_name, fiscal_year),
        {{ resolved_fact_columns('headcounts', 'documents') }}
    from headcounts
    left join documents
        on headcounts._doc_id = documents._doc_id

),

supported as (

    select
        {{ surrogate_key(['bureau_id', 'fiscal_year', 'item']) }} as headcount_id,
        *,
        count(*) over (partition by bureau_id, fiscal_year, item, persons) as n_lines_stating_value
    from resolved

),

ranked as (

    select
        *,
        row_number() over (
            partition by headcount_id
            order by is_prior_year_statement, n_lines_stating_value desc, source_fiscal_year, _doc, _line,
                headcount_fact_id
        ) as statement_rank,
        count(*) over (partition by headcount_id) as n_statements,
        count(distinct persons) over (partition by headcount_id) as n_distinct_values
    from supported

),

final as (

    select
        -- ids
        headcount_fact_id,
        headcount_id,
        _doc_id,
        bureau_id,

        -- grain
        bureau_name,
        fiscal_year,
        item,

        -- staff
        persons,

        -- statement ranking
        statement_rank = 1 as is_chosen_statement,
        n_distinct_values > 1 as has_conflicting_statements,
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
