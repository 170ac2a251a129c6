with

source as (

    select * from {{ source('budget_docs', 'raw_headcounts') }}

),

renamed as (

    select
        -- ids
        fact_id as headcount_fact_id,
        doc_id as _doc_id,

        -- bureau and years
        {{ clean_text('bureau') }} as bureau_name,
        fiscal_year,
        year as reported_year,

        -- staff figure
        {{ clean_text('item') }} as item,
        cast(value as double) as persons,

        -- provenance: doc, line, snippet
        doc as _doc,
        line as _line,
        snippet as _snippet

    from source

)

select * from renamed
