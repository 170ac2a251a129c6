with

source as (

    select * from {{ source('budget_docs', 'raw_projects') }}

),

renamed as (

    select
        -- ids
        fact_id as project_fact_id,
        doc_id as _doc_id,

        -- bureau and years
        {{ clean_text('bureau') }} as bureau_name,
        fiscal_year,
        year as reported_year,

        -- project
        {{ clean_text('project') }} as project_name,

        -- amounts, in 万元
        cast(actual as double) as actual_wan,
        cast(budget_final as double) as budget_final_wan,
        cast(budget_initial as double) as budget_initial_wan,

        -- result
        cast(execution_rate as double) as execution_rate_pct,
        cast(max_score as double) as max_score,
        cast(score as double) as score,

        -- provenance: doc, line, snippet
        doc as _doc,
        line as _line,
        snippet as _snippet

    from source

)

select * from renamed
