-- Every bureau name that a document or a fact gives, with the attributes the loader read from
-- its documents (the first non-null value over its documents, newest document first).
with

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

fact_bureaus as (

    select bureau_name from {{ ref('stg_budget_docs__amounts') }}
    union
    select bureau_name from {{ ref('stg_budget_docs__projects') }}
    union
    select bureau_name from {{ ref('stg_budget_docs__indicators') }}
    union
    select bureau_name from {{ ref('stg_budget_docs__evaluations') }}
    union
    select bureau_name from {{ ref('stg_budget_docs__headcounts') }}
    union
    select bureau_name from documents

),

document_attributes as (

    select
        bureau_name,
        first(admin_level order by fiscal_year desc) filter (where admin_level is not null) as admin_level,
        first(prefecture_city order by fiscal_year desc) filter (where prefecture_city is not null)
            as prefecture_city,
        first(province order by fiscal_year desc) filter (where province is not null) as province,
        count(*) as n_documents
    from documents
    where bureau_name is not null
    group by bureau_name

),

final as (

    select
        -- ids
        {{ bureau_key('fact_bureaus.bureau_name') }} as bureau_id,

        -- names and attributes
        fact_bureaus.bureau_name,
        document_attributes.admin_level,
        coalesce(document_attributes.n_documents, 0) as n_documents,
        document_attributes.prefecture_city,
        document_attributes.province

    from fact_bureaus
    left join document_attributes
        on fact_bureaus.bureau_name = document_attributes.bureau_name
    where fact_bureaus.bureau_name is not null

)

select * from final
