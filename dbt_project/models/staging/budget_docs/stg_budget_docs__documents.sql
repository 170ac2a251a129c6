with

source as (

    select * from {{ source('budget_docs', 'raw_documents') }}

),

renamed as (

    select
        -- ids
        doc_id as _doc_id,

        -- bureau and year as the loader read them
        {{ clean_text('bureau') }} as bureau_name,
        fiscal_year,

        -- document attributes
        {{ clean_text('admin_level') }} as admin_level,
        {{ clean_text('city') }} as prefecture_city,
        {{ clean_text('doc_type') }} as doc_type,
        {{ clean_text('province') }} as province,

        -- size
        n_facts,
        n_lines,
        size_bytes,

        -- provenance: doc, path, load time
        doc as _doc,
        path as _path,
        loaded_at

    from source

)

select * from renamed
