with

source as (

    select * from {{ source('budget_docs', 'raw_amounts') }}

),

renamed as (

    select
        -- ids
        fact_id as amount_fact_id,
        doc_id as _doc_id,

        -- bureau and years: fiscal_year is the document's year, reported_year the year the figure is about
        {{ clean_text('bureau') }} as bureau_name,
        fiscal_year,
        year as reported_year,

        -- classification of the line
        lower({{ clean_text('category') }}) as classification_scheme,
        {{ clean_text('item') }} as item,
        lower({{ clean_text('measure') }}) as measure,
        {{ clean_text('scope') }} as scope,
        case
            when {{ clean_text('scope') }} like 'project:%' then 'project'
            else lower({{ clean_text('scope') }})
        end as scope_type,
        case
            when {{ clean_text('scope') }} like 'project:%'
                then nullif(substr({{ clean_text('scope') }}, length('project:') + 1), '')
        end as project_name,

        -- amounts
        cast(value_wan as double) as value_wan,
        cast(pct as double) as stated_pct,
        lower({{ clean_text('pct_basis') }}) as pct_basis,

        -- provenance: doc, line, snippet
        doc as _doc,
        line as _line,
        snippet as _snippet

    from source

)

select * from renamed
