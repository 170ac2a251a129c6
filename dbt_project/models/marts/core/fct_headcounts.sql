-- One row per bureau × year × staff item (编制数, 在职人数, 编外人员 … as worded by the document):
-- the number of persons, chosen as in int_headcounts_deduplicated.
with

headcounts as (

    select * from {{ ref('int_headcounts_deduplicated') }}
    where is_chosen_statement

),

final as (

    select
        -- ids
        headcount_id,
        bureau_id,
        fiscal_year,

        -- grain
        item,

        -- staff
        persons,

        -- statements behind the row
        has_conflicting_statements,
        n_statements,

        -- provenance: doc, line, snippet
        headcount_fact_id as _headcount_fact_id,
        _doc,
        _doc_id,
        _line,
        _snippet

    from headcounts

)

select * from final
