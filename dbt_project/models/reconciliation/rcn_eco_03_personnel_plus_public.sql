{{ config(materialized='ephemeral') }}

-- ECO-03: 人员经费 + 公用经费 (日常公用经费) = 基本支出. Every statement of 公用经费 (with the first
-- 人员经费 statement) is compared with the closest 基本支出 statement of the same document, year,
-- measure and scope, so a 公用经费 stated twice with two values shows the wrong one.
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

personnel as (

    select * from statements
    where classification_scheme = 'nature' and item = '人员经费'
    qualify row_number() over (partition by _doc_id, fiscal_year, measure, scope order by _line) = 1

),

public as (

    select * from statements where classification_scheme = 'nature' and item in ('公用经费', '日常公用经费')

),

basic as (

    select * from statements where classification_scheme = 'nature' and item = '基本支出'

),

compared as (

    select
        'ECO-03' as rule_id,
        public.bureau_id,
        public.bureau_name,
        public.fiscal_year,
        public.scope,
        public.measure,
        '万元' as value_unit,
        '人员经费 ' || cast(personnel.value_wan as varchar) || ' + ' || public.item || ' ' || cast(public.value_wan as varchar) as left_label,
        round(personnel.value_wan + public.value_wan, 6) as left_value,
        public._doc as left_doc,
        public._line as left_line,
        cast(public._line as varchar) as left_lines,
        public._snippet as left_snippet,
        basic.item as right_label,
        basic.value_wan as right_value,
        basic._doc as right_doc,
        basic._line as right_line,
        cast(basic._line as varchar) as right_lines,
        basic._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from public
    inner join personnel
        on public._doc_id = personnel._doc_id and public.fiscal_year = personnel.fiscal_year
            and public.measure = personnel.measure and public.scope = personnel.scope
    inner join basic
        on public._doc_id = basic._doc_id and public.fiscal_year = basic.fiscal_year
            and public.measure = basic.measure and public.scope = basic.scope
    qualify row_number() over (
        partition by public.amount_fact_id
        order by abs(personnel.value_wan + public.value_wan - basic.value_wan), basic._line
    ) = 1

)

select * from compared
