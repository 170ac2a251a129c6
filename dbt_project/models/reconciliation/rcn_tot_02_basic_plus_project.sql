{{ config(materialized='ephemeral') }}

-- TOT-02: 本年支出合计 = 基本支出 + 项目支出 (+ 经营支出 where stated). Each statement of the total is
-- compared with the combination of 基本支出 and 项目支出 statements (same document, year, measure,
-- scope) that comes closest: a document that restates 项目支出 for a narrower scope is judged by its
-- best match.
with

{{ rcn_statements() }},

totals as (

    select * from statements
    where classification_scheme = 'total' and item in ('本年支出合计', '支出合计', '部门整体支出') and scope_type != 'project'

),

basic as (

    select * from statements where classification_scheme = 'nature' and item = '基本支出'

),

project as (

    select * from statements where classification_scheme = 'nature' and item = '项目支出'

),

operating as (

    select
        _doc_id,
        fiscal_year,
        measure,
        scope,
        sum(value_wan) as value_wan
    from statements
    where classification_scheme = 'nature' and item in ('经营支出', '上缴上级支出', '对附属单位补助支出')
    group by _doc_id, fiscal_year, measure, scope

),

compared as (

    select
        {{ rcn_finding_columns(
            'TOT-02', 'totals', 'basic',
            right_label="'基本支出 ' || cast(basic.value_wan as varchar) || ' + 项目支出 ' || cast(project.value_wan as varchar)"
                ~ " || coalesce(' + 经营支出等 ' || cast(operating.value_wan as varchar), '')",
            right_value='round(basic.value_wan + project.value_wan + coalesce(operating.value_wan, 0), 6)',
            right_line='least(basic._line, project._line)',
            right_lines="cast(basic._line as varchar) || ',' || cast(project._line as varchar)",
        ) }}
    from totals
    inner join basic
        on {{ rcn_join_on('totals', 'basic') }}
    inner join project
        on {{ rcn_join_on('totals', 'project') }}
    left join operating
        on {{ rcn_join_on('totals', 'operating') }}
    qualify row_number() over (
        partition by totals.amount_fact_id
        order by abs(totals.value_wan - (basic.value_wan + project.value_wan + coalesce(operating.value_wan, 0))),
            basic._line, project._line
    ) = 1

)

select * from compared
