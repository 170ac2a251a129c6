{{ config(materialized='ephemeral') }}

-- BUD-01: actual ≤ the largest budget (budget_initial or budget_final) stated for the same line.
-- Each statement of the left side is compared with the closest statement of the right side in the
-- same document, year and measure (a document that states a figure twice is judged by its best match).
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

left_side as (

    select
        _doc_id,
        bureau_id,
        bureau_name,
        fiscal_year,
        scope,
        measure,
        item as label,
        value_wan as value,
        _doc as doc,
        _line as line,
        cast(_line as varchar) as lines,
        _snippet as snippet
    from statements
    where measure = 'actual' and classification_scheme in ('total', 'nature', 'function', 'economic', 'three_public', 'operating') and scope_type != 'project' and not is_prior_year_statement and item not like '%收入%' and item not in ('收入总计', '收支总计')

),

right_side as (

    select
        _doc_id,
        bureau_id,
        bureau_name,
        fiscal_year,
        scope,
        measure,
        item as label,
        compare_item,
        value_wan as value,
        _doc as doc,
        _line as line,
        cast(_line as varchar) as lines,
        _snippet as snippet
    from statements
    where measure in ('budget_initial', 'budget_final') and scope_type != 'project'

),

compared as (

    select
        'BUD-01' as rule_id,
        left_side.bureau_id,
        left_side.bureau_name,
        left_side.fiscal_year,
        left_side.scope,
        left_side.measure,
        '万元' as value_unit,
        left_side.label as left_label,
        left_side.value as left_value,
        left_side.doc as left_doc,
        left_side.line as left_line,
        left_side.lines as left_lines,
        left_side.snippet as left_snippet,
        right_side.label as right_label,
        right_side.value as right_value,
        right_side.doc as right_doc,
        right_side.line as right_line,
        right_side.lines as right_lines,
        right_side.snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from left_side
    inner join right_side
        on
            left_side._doc_id = right_side._doc_id
            and left_side.fiscal_year = right_side.fiscal_year
            and left_side.label = right_side.label
            and left_side.scope = right_side.scope
    qualify row_number() over (
        partition by left_side._doc_id, left_side.fiscal_year, left_side.measure, left_side.scope, left_side.line,
            left_side.label, left_side.value
        order by right_side.value desc, right_side.line
    ) = 1

)

select * from compared
