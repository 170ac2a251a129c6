-- One row per bureau × fiscal year for which a document is loaded: the headline figures of the
-- year, each picked as documented in int_summary_metrics_pivoted_to_bureau_years, null where no
-- document states it (never 0 for unknown).
with

metrics as (

    select * from {{ ref('int_summary_metrics_pivoted_to_bureau_years') }}

),

bureaus as (

    select * from {{ ref('dim_bureaus') }}

),

evaluations as (

    select * from {{ ref('fct_evaluations') }}
    where is_department_wide

),

documents as (

    select
        {{ bureau_key('bureau_name') }} as bureau_id,
        fiscal_year,
        count(*) as n_documents,
        string_agg(_doc, '; ' order by _doc) as source_docs
    from {{ ref('stg_budget_docs__documents') }}
    group by all

),

final as (

    select
        -- ids
        cast(metrics.bureau_id as varchar) as bureau_id,
        cast(bureaus.bureau_name as varchar) as bureau,
        cast(bureaus.bureau_short_name as varchar) as bureau_short_name,
        cast(bureaus.province as varchar) as province,
        cast(bureaus.prefecture_city as varchar) as prefecture_city,
        cast(bureaus.admin_level as varchar) as admin_level,
        cast(metrics.fiscal_year as integer) as fiscal_year,

        -- income and spending, 万元
        cast(metrics.total_income_wan as double) as total_income_wan,
        cast(metrics.total_expenditure_wan as double) as total_expenditure_wan,
        cast(metrics.basic_expenditure_wan as double) as basic_expenditure_wan,
        cast(metrics.project_expenditure_wan as double) as project_expenditure_wan,
        cast({{ safe_pct('metrics.project_expenditure_wan', 'metrics.total_expenditure_wan') }} as double)
            as project_share_pct,
        cast(metrics.personnel_expenditure_wan as double) as personnel_expenditure_wan,
        cast(metrics.public_expenditure_wan as double) as public_expenditure_wan,
        cast(metrics.three_public_budget_wan as double) as three_public_budget_wan,
        cast(metrics.three_public_actual_wan as double) as three_public_actual_wan,
        cast(metrics.operating_cost_wan as double) as operating_cost_wan,
        cast(metrics.procurement_wan as double) as procurement_wan,

        -- staff
        cast(metrics.staff_authorized as integer) as staff_authorized,
        cast(metrics.staff_actual as integer) as staff_actual,

        -- self-evaluation of the whole department
        cast(evaluations.score as double) as self_eval_score,
        cast(evaluations.grade as varchar) as self_eval_grade,

        -- lineage and warnings
        cast(metrics.n_conflicting_metrics as integer) as warning_n_conflicting_metrics,
        cast(documents.n_documents as integer) as _n_documents,
        cast(documents.source_docs as varchar) as _source_docs

    from metrics
    inner join bureaus
        on metrics.bureau_id = bureaus.bureau_id
    left join evaluations
        on
            metrics.bureau_id = evaluations.bureau_id
            and metrics.fiscal_year = evaluations.fiscal_year
    left join documents
        on
            metrics.bureau_id = documents.bureau_id
            and metrics.fiscal_year = documents.fiscal_year

)

select * from final
