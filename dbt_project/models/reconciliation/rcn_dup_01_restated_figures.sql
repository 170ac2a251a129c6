{{ config(materialized='ephemeral') }}

-- DUP-01: one line stated twice in one document with different values (prose vs table, text vs
-- appendix). Grain: document × year × scope × measure × compared item (synonyms folded in
-- int_amount_statements_keyed: 日常公用经费 = 公用经费, 预算支出 / 部门整体支出 / 年度资金总额 = 本年支出合计 …).
-- Every later statement is compared with the first one; identical restatements are never findings.
{% set same_line = ['fiscal_year', 'scope', 'measure', 'compare_scheme', 'compare_item'] %}
with

{{ rcn_statements() }},

numbered as (

    select
        *,
        row_number() over (
            partition by _doc_id, {{ same_line | join(', ') }} order by _line, amount_fact_id
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
        {{ rcn_finding_columns('DUP-01', 'laters', 'firsts') }}
    from laters
    inner join firsts
        on {{ rcn_join_on('laters', 'firsts', ['_doc_id'] + same_line) }}

)

select * from compared
