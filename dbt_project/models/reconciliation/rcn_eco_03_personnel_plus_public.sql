{{ config(materialized='ephemeral') }}

-- ECO-03: 人员经费 + 公用经费 (日常公用经费) = 基本支出. Every statement of 公用经费 (with the first
-- 人员经费 statement) is compared with the closest 基本支出 statement of the same document, year,
-- measure and scope, so a 公用经费 stated twice with two values shows the wrong one.
with

{{ rcn_statements() }},

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
        {{ rcn_finding_columns(
            'ECO-03', 'public', 'basic',
            left_label="'人员经费 ' || cast(personnel.value_wan as varchar) || ' + ' || public.item || ' ' || cast(public.value_wan as varchar)",
            left_value='round(personnel.value_wan + public.value_wan, 6)',
        ) }}
    from public
    inner join personnel
        on {{ rcn_join_on('public', 'personnel') }}
    inner join basic
        on {{ rcn_join_on('public', 'basic') }}
    qualify row_number() over (
        partition by public.amount_fact_id
        order by abs(personnel.value_wan + public.value_wan - basic.value_wan), basic._line
    ) = 1

)

select * from compared
