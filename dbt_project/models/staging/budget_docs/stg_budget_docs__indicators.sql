with

source as (

    select * from {{ source('budget_docs', 'raw_indicators') }}

),

renamed as (

    select
        -- ids
        fact_id as indicator_fact_id,
        doc_id as _doc_id,

        -- bureau and years
        {{ clean_text('bureau') }} as bureau_name,
        fiscal_year,
        year as reported_year,

        -- indicator: scope is 部门整体 or a project's name
        {{ clean_text('scope') }} as scope,
        {{ clean_text('level1') }} as level1,
        {{ clean_text('level2') }} as level2,
        {{ clean_text('name') }} as indicator_name,

        -- raw values
        {{ clean_text('actual') }} as actual_text,
        {{ clean_text('target') }} as target_text,

        -- points
        cast(score as double) as score,
        cast(weight as double) as weight,

        -- provenance: doc, line, snippet
        doc as _doc,
        line as _line,
        snippet as _snippet

    from source

)

select * from renamed
