{{ config(materialized='ephemeral') }}

-- PRJ-01: Σ actual spending of the projects a document evaluates (project facts, one per project:
-- its first statement) ≤ the largest 项目支出 (actual) the same document states for the year.
with

projects as (

    select * from {{ ref('int_projects_deduplicated') }}
    where actual_wan is not null
    qualify row_number() over (partition by _doc_id, fiscal_year, project_name order by _line, project_fact_id) = 1

),

project_totals as (

    select
        _doc_id,
        fiscal_year,
        min(bureau_id) as bureau_id,
        min(bureau_name) as bureau_name,
        min(_doc) as _doc,
        min(_line) as _line,
        string_agg(cast(_line as varchar), ',' order by _line) as _lines,
        cast(null as varchar) as _snippet,
        count(*) as n_projects,
        round(sum(actual_wan), 6) as actual_wan
    from projects
    group by _doc_id, fiscal_year

),

project_spending as (

    select * from {{ ref('int_amount_statements_keyed') }}
    where classification_scheme = 'nature' and item = '项目支出' and measure = 'actual'
        and scope_type != 'project' and not is_prior_year_statement

),

compared as (

    select
        {{ rcn_finding_columns(
            'PRJ-01', 'project_totals', 'project_spending',
            scope='project_spending.scope',
            measure="'actual'",
            left_label="'Σ ' || project_totals.n_projects || ' 个项目执行数'",
            left_value='project_totals.actual_wan',
        ) }}
    from project_totals
    inner join project_spending
        on project_totals._doc_id = project_spending._doc_id and project_totals.fiscal_year = project_spending.fiscal_year
    qualify row_number() over (
        partition by project_totals._doc_id, project_totals.fiscal_year order by project_spending.value_wan desc
    ) = 1

)

select * from compared
