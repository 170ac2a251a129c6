with

source as (

    select * from {{ source('budget_docs', 'raw_rejections') }}

),

renamed as (

    select
        -- ids
        {{ surrogate_key(['path', 'rejected_at']) }} as rejection_id,

        -- rejection
        reason as rejection_reason,
        rejected_at,

        -- provenance: doc, path
        doc as _doc,
        path as _path

    from source

)

select * from renamed
