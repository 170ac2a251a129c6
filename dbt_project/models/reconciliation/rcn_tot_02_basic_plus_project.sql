{{ config(materialized='ephemeral') }}

-- TOT-02: 本年支出合计 = 基本支出 + 项目支出 (+ 经营支出 where stated). Each statement of the total is
-- compared with the combination of 基本支出 and 项目支出 statements (same document, year, measure,
-- scope) that comes closest: a document that restates 项目支出 for a narrower scope is judged by its
-- best match.
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

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
        'TOT-02' as rule_id,
        totals.bureau_id,
        totals.bureau_name,
        totals.fiscal_year,
        totals.scope,
        totals.measure,
        '万元' as value_unit,
        totals.item as left_label,
        totals.value_wan as left_value,
        totals._doc as left_doc,
        totals._line as left_line,
        cast(totals._line as varchar) as left_lines,
        totals._snippet as left_snippet,
        '基本支出 ' || cast(basic.value_wan as varchar) || ' + 项目支出 ' || cast(project.value_wan as varchar) || coalesce(' + 经营支出等 ' || cast(operating.value_wan as varchar), '') as right_label,
        round(basic.value_wan + project.value_wan + coalesce(operating.value_wan, 0), 6) as right_value,
        basic._doc as right_doc,
        least(basic._line, project._line) as right_line,
        cast(basic._line as varchar) || ',' || cast(project._line as varchar) as right_lines,
        basic._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from totals
    inner join basic
        on totals._doc_id = basic._doc_id and totals.fiscal_year = basic.fiscal_year
            and totals.measure = basic.measure and totals.scope = basic.scope
    inner join project
        on totals._doc_id = project._doc_id and totals.fiscal_year = project.fiscal_year
            and totals.measure = project.measure and totals.scope = project.scope
    left join operating
        on totals._doc_id = operating._doc_id and totals.fiscal_year = operating.fiscal_year
            and totals.measure = operating.measure and totals.scope = operating.scope
    qualify row_number() over (
        partition by totals.amount_fact_id
        order by abs(totals.value_wan - (basic.value_wan + project.value_wan + coalesce(operating.value_wan, 0))),
            basic._line, project._line
    ) = 1

)

select * from compared
