{{ config(materialized='ephemeral') }}

-- PRJ-02: a project's stated 执行率 = actual ÷ budget × 100 (budget_final, else budget_initial), every
-- project statement that gives the rate and the amounts.
{% set budget = 'coalesce(projects.budget_final_wan, projects.budget_initial_wan)' %}
with

projects as (

    select * from {{ ref('int_projects_deduplicated') }}
    where execution_rate_pct is not null and actual_wan is not null
        and coalesce(budget_final_wan, budget_initial_wan) is not null

),

compared as (

    select
        {{ rcn_stated_pct_columns(
            'PRJ-02', 'projects', 'projects',
            pct='execution_rate_pct',
            scope="'project:' || projects.project_name",
            measure="'actual'",
            left_label="projects.project_name || ' 执行率 (stated)'",
            right_label="projects.project_name || ' ' || cast(projects.actual_wan as varchar) || ' ÷ ' || cast(" ~ budget ~ " as varchar)",
            right_value='case when ' ~ budget ~ ' != 0 then round(100.0 * projects.actual_wan / ' ~ budget ~ ', 4) end',
        ) }}
    from projects

)

select * from compared
