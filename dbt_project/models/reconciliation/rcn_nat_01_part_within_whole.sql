{{ config(materialized='ephemeral') }}

-- NAT-01: 人员经费, 公用经费 ≤ 基本支出; 基本支出, 项目支出 ≤ 本年支出合计 (against the largest statement of the whole
-- in the same document, year, measure and scope).
with

{{ rcn_statements() }},

left_side as (

    {{ rcn_statement_side(
        "classification_scheme = 'nature' and item in ('人员经费', '公用经费', '日常公用经费', '基本支出', '项目支出') and scope_type != 'project'"
    ) }}

),

right_side as (

    {{ rcn_statement_side(
        "scope_type != 'project' and ("
        ~ "(classification_scheme = 'nature' and item = '基本支出')"
        ~ " or (classification_scheme = 'total' and item in ('本年支出合计', '支出合计', '部门整体支出')))",
        extra_columns=["case when item = '基本支出' then 1 else 2 end as whole_level"],
    ) }}

),

compared as (

    {{ rcn_compare_sides(
        'NAT-01',
        extra_join="right_side.whole_level = case when left_side.label in ('基本支出', '项目支出') then 2 else 1 end",
        pick='largest',
    ) }}

)

select * from compared
