-- One row per fiscal year that a document reports on or a figure refers to (a prior-year
-- comparison figure adds its year), plus the unknown year -1.
with

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

years as (

    select fiscal_year from {{ ref('int_amounts_deduplicated') }}
    union
    select fiscal_year from {{ ref('int_projects_deduplicated') }}
    union
    select fiscal_year from {{ ref('int_indicators_parsed') }}
    union
    select fiscal_year from {{ ref('int_evaluations_deduplicated') }}
    union
    select fiscal_year from {{ ref('int_headcounts_deduplicated') }}
    union
    select fiscal_year from documents where fiscal_year is not null
    union
    select -1 as fiscal_year

),

document_counts as (

    select
        fiscal_year,
        count(*) as n_documents
    from documents
    group by fiscal_year

),

final as (

    select
        -- ids
        years.fiscal_year,

        -- labels
        case when years.fiscal_year = -1 then '未知年度' else years.fiscal_year::varchar || '年度' end
            as fiscal_year_label,
        case
            when years.fiscal_year between 2016 and 2020 then '十三五'
            when years.fiscal_year between 2021 and 2025 then '十四五'
            when years.fiscal_year between 2026 and 2030 then '十五五'
        end as five_year_plan,

        -- coverage
        coalesce(document_counts.n_documents, 0) as n_documents,
        years.fiscal_year = -1 as is_unknown_member

    from years
    left join document_counts
        on years.fiscal_year = document_counts.fiscal_year

)

select * from final
