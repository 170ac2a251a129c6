-- The headline figures of marts.bureau_year_summary, one row per bureau × fiscal year with a
-- loaded document. Each metric takes the chosen value (see int_amounts_deduplicated /
-- int_headcounts_deduplicated) of the first (item, scope, measure) that the seed
-- summary_metric_items lists for it and the bureau-year has; a metric none of whose items is
-- stated stays null (never 0). `n_conflicting_metrics` counts metrics whose chosen figure has
-- conflicting statements in the documents.
with

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

amounts as (

    select * from {{ ref('int_amounts_deduplicated') }}
    where is_chosen_statement

),

headcounts as (

    select * from {{ ref('int_headcounts_deduplicated') }}
    where is_chosen_statement

),

metric_items as (

    select * from {{ ref('summary_metric_items') }}

),

bureau_years as (

    select distinct
        {{ bureau_key('bureau_name') }} as bureau_id,
        fiscal_year
    from documents
    where fiscal_year is not null

),

candidates as (

    select
        amounts.bureau_id,
        amounts.fiscal_year,
        metric_items.metric_name,
        metric_items.priority,
        amounts.value_wan as metric_value,
        amounts.has_conflicting_statements
    from amounts
    inner join metric_items
        on
            metric_items.fact_kind = 'amount'
            and amounts.classification_scheme = metric_items.classification_scheme
            and amounts.item = metric_items.item
            and amounts.scope = metric_items.scope
            and amounts.measure = metric_items.measure

    union all

    select
        headcounts.bureau_id,
        headcounts.fiscal_year,
        metric_items.metric_name,
        metric_items.priority,
        headcounts.persons as metric_value,
        headcounts.has_conflicting_statements
    from headcounts
    inner join metric_items
        on
            metric_items.fact_kind = 'headcount'
            and headcounts.item = metric_items.item

),

picked as (

    select * from candidates
    qualify row_number() over (
        partition by bureau_id, fiscal_year, metric_name order by priority
    ) = 1

),

pivoted as (

    select
        bureau_id,
        fiscal_year,
        max(metric_value) filter (where metric_name = 'total_income_wan') as total_income_wan,
        max(metric_value) filter (where metric_name = 'total_expenditure_wan') as total_expenditure_wan,
        max(metric_value) filter (where metric_name = 'basic_expenditure_wan') as basic_expenditure_wan,
        max(metric_value) filter (where metric_name = 'project_expenditure_wan') as project_expenditure_wan,
        max(metric_value) filter (where metric_name = 'personnel_expenditure_wan') as personnel_expenditure_wan,
        max(metric_value) filter (where metric_name = 'public_expenditure_wan') as public_expenditure_wan,
        max(metric_value) filter (where metric_name = 'three_public_budget_wan') as three_public_budget_wan,
        max(metric_value) filter (where metric_name = 'three_public_actual_wan') as three_public_actual_wan,
        max(metric_value) filter (where metric_name = 'operating_cost_wan') as operating_cost_wan,
        max(metric_value) filter (where metric_name = 'procurement_wan') as procurement_wan,
        max(metric_value) filter (where metric_name = 'staff_authorized') as staff_authorized,
        max(metric_value) filter (where metric_name = 'staff_actual') as staff_actual,
        count(*) filter (where has_conflicting_statements) as n_conflicting_metrics
    from picked
    group by bureau_id, fiscal_year

),

final as (

    select
        -- ids
        bureau_years.bureau_id,
        bureau_years.fiscal_year,

        -- metrics
        pivoted.basic_expenditure_wan,
        pivoted.operating_cost_wan,
        pivoted.personnel_expenditure_wan,
        pivoted.procurement_wan,
        pivoted.project_expenditure_wan,
        pivoted.public_expenditure_wan,
        cast(pivoted.staff_actual as integer) as staff_actual,
        cast(pivoted.staff_authorized as integer) as staff_authorized,
        pivoted.three_public_actual_wan,
        pivoted.three_public_budget_wan,
        pivoted.total_expenditure_wan,
        pivoted.total_income_wan,
        coalesce(pivoted.n_conflicting_metrics, 0) as n_conflicting_metrics

    from bureau_years
    left join pivoted
        on
            bureau_years.bureau_id = pivoted.bureau_id
            and bureau_years.fiscal_year = pivoted.fiscal_year

)

select * from final
