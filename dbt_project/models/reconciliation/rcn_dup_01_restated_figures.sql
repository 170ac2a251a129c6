{{ config(materialized='ephemeral') }}

-- DUP-01: one line stated twice in one document with different values (prose vs table, text vs
-- appendix). Grain: document × year × scope × measure × compared item (synonyms folded in
-- int_amount_statements_keyed: 日常公用经费 = 公用经费, 预算支出 / 部门整体支出 / 年度资金总额 = 本年支出合计 …).
-- Every later statement is compared with the first one; identical restatements are never findings.
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

numbered as (

    select
        *,
        row_number() over (
            partition by _doc_id, fiscal_year, scope, measure, compare_scheme, compare_item order by _line, amount_fact_id
        ) as statement_number
    from statements

),

firsts as (

    select * from numbered where statement_number = 1

),

laters as (

    select * from numbered where statement_number > 1

),

compared as (

    select
        'DUP-01' as rule_id,
        laters.bureau_id,
        laters.bureau_name,
        laters.fiscal_year,
        laters.scope,
        laters.measure,
        '万元' as value_unit,
        laters.item as left_label,
        laters.value_wan as left_value,
        laters._doc as left_doc,
        laters._line as left_line,
        cast(laters._line as varchar) as left_lines,
        laters._snippet as left_snippet,
        firsts.item as right_label,
        firsts.value_wan as right_value,
        firsts._doc as right_doc,
        firsts._line as right_line,
        cast(firsts._line as varchar) as right_lines,
        firsts._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from laters
    inner join firsts
        on laters._doc_id = firsts._doc_id and laters.fiscal_year = firsts.fiscal_year
            and laters.scope = firsts.scope and laters.measure = firsts.measure
            and laters.compare_scheme = firsts.compare_scheme and laters.compare_item = firsts.compare_item

)

select * from compared
