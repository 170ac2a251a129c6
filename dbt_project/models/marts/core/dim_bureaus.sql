-- One row per bureau (医疗保障局) named by a document or fact, plus the one unknown member.
-- Attributes: the loader's document attributes first, then the curated seed `bureaus`, then what
-- the name itself says (…区医疗保障局 → 市辖区, …县医疗保障局 → 县, 长沙市天心区 → 长沙市).
with

bureaus as (

    select * from {{ ref('int_bureaus_unioned') }}

),

reference as (

    select * from {{ ref('bureaus') }}

),

derived as (

    select
        bureaus.*,
        regexp_replace(bureaus.bureau_name, '(医疗保障局|医保局)$', '') as jurisdiction_name
    from bureaus

),

known as (

    select
        -- ids
        derived.bureau_id,

        -- names
        derived.bureau_name,
        coalesce(
            reference.bureau_short_name,
            nullif(regexp_extract(derived.jurisdiction_name, '([^市省州]+[区县旗])$', 1), ''),
            derived.jurisdiction_name
        ) as bureau_short_name,

        -- place
        coalesce(
            derived.admin_level,
            reference.admin_level,
            case
                when derived.jurisdiction_name like '%区' then '市辖区'
                when derived.jurisdiction_name like '%县' then '县'
            end
        ) as admin_level,
        coalesce(
            derived.prefecture_city,
            reference.prefecture_city,
            nullif(regexp_extract(derived.jurisdiction_name, '^(.+?市)[^市]+[区县]$', 1), '')
        ) as prefecture_city,
        coalesce(derived.province, reference.province) as province,

        -- coverage
        derived.n_documents,
        false as is_unknown_member

    from derived
    left join reference
        on derived.bureau_name = reference.bureau_name

),

unknown_member as (

    select
        {{ unknown_key() }} as bureau_id,
        '未知部门' as bureau_name,
        '未知部门' as bureau_short_name,
        cast(null as varchar) as admin_level,
        cast(null as varchar) as prefecture_city,
        cast(null as varchar) as province,
        0 as n_documents,
        true as is_unknown_member

),

final as (

    select * from known
    union all
    select * from unknown_member

)

select * from final
