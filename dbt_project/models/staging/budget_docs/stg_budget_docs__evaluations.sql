with

source as (

    select * from {{ source('budget_docs', 'raw_evaluations') }}

),

renamed as (

    select
        -- ids
        fact_id as evaluation_fact_id,
        doc_id as _doc_id,

        -- bureau and years
        {{ clean_text('bureau') }} as bureau_name,
        fiscal_year,
        year as reported_year,

        -- evaluation: scope is 部门整体 or a project's name
        {{ clean_text('scope') }} as scope,
        {{ clean_text('grade') }} as grade,
        cast(score as double) as score,

        -- provenance: doc, line, snippet
        doc as _doc,
        line as _line,
        snippet as _snippet

    from source

)

select * from renamed
