{{ config(materialized='ephemeral') }}

-- PRC-01: 政府采购支出总额 = 货物 + 工程 + 服务 (an unstated part counts as 0).
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
    where classification_scheme = 'procurement' and item in ('政府采购支出总额', '政府采购支出', '政府采购金额')

),

right_side_statements as (

    select * from statements
    where classification_scheme = 'procurement' and item in ('政府采购货物支出', '政府采购工程支出', '政府采购服务支出')
    qualify row_number() over (
        partition by _doc_id, fiscal_year, measure, scope, item order by _line, amount_fact_id
    ) = 1

),

right_side as (

    select
        _doc_id,
        min(bureau_id) as bureau_id,
        min(bureau_name) as bureau_name,
        fiscal_year,
        scope,
        measure,
        'Σ ' || string_agg(item || ' ' || cast(value_wan as varchar), ' + ' order by _line) as label,
        round(sum(value_wan), 6) as value,
        min(_doc) as doc,
        min(_line) as line,
        string_agg(cast(_line as varchar), ',' order by _line) as lines,
        cast(null as varchar) as snippet
    from right_side_statements
    group by _doc_id, fiscal_year, scope, measure

),

compared as (

    select
        'PRC-01' as rule_id,
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
            and left_side.measure = right_side.measure
            and left_side.scope = right_side.scope
    qualify row_number() over (
        partition by left_side._doc_id, left_side.fiscal_year, left_side.measure, left_side.scope, left_side.line,
            left_side.label, left_side.value
        order by abs(left_side.value - right_side.value), right_side.line
    ) = 1

)

select * from compared
