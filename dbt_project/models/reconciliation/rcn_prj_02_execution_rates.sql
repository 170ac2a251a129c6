{{ config(materialized='ephemeral') }}

-- PRJ-02: a project's stated 执行率 = actual ÷ budget × 100 (budget_final, else budget_initial), every
-- project statement that gives the rate and the amounts.
with

projects as (

    select * from {{ ref('int_projects_deduplicated') }}
    where execution_rate_pct is not null and actual_wan is not null
        and coalesce(budget_final_wan, budget_initial_wan) is not null

),

compared as (

    select
        'PRJ-02' as rule_id,
        projects.bureau_id,
        projects.bureau_name,
        projects.fiscal_year,
        'project:' || projects.project_name as scope,
        'actual' as measure,
        '%' as value_unit,
        projects.project_name || ' 执行率 (stated)' as left_label,
        projects.execution_rate_pct as left_value,
        projects._doc as left_doc,
        projects._line as left_line,
        cast(projects._line as varchar) as left_lines,
        projects._snippet as left_snippet,
        projects.project_name || ' ' || cast(projects.actual_wan as varchar) || ' ÷ ' || cast(coalesce(projects.budget_final_wan, projects.budget_initial_wan) as varchar) as right_label,
        case when coalesce(projects.budget_final_wan, projects.budget_initial_wan) != 0 then round(100.0 * projects.actual_wan / coalesce(projects.budget_final_wan, projects.budget_initial_wan), 4) end as right_value,
        projects._doc as right_doc,
        projects._line as right_line,
        cast(projects._line as varchar) as right_lines,
        projects._snippet as right_snippet,
        case when projects.execution_rate_pct = round(projects.execution_rate_pct) then 0.5 when projects.execution_rate_pct = round(projects.execution_rate_pct, 1) then 0.05 else 0.005 end as precision_tolerance
    from projects

)

select * from compared
