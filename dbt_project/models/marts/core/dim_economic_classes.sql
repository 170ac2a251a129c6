-- One row per class of the 部门预算支出经济分类 in the seed (类 301, 302 … and the 款 the documents
-- use), plus the one unknown member that every economic line the seed does not know points to.
with

classes as (

    select * from {{ ref('economic_classes') }}

),

known as (

    select
        -- ids
        md5(classes.economic_class_code) as economic_class_id,
        classes.economic_class_code,
        coalesce(classes.parent_code, classes.economic_class_code) as lei_code,
        classes.parent_code,

        -- names
        classes.class_level,
        classes.economic_class_name,
        coalesce(parents.economic_class_name, classes.economic_class_name) as lei_name,
        false as is_unknown_member

    from classes
    left join classes as parents
        on classes.parent_code = parents.economic_class_code

),

unknown_member as (

    select
        {{ unknown_key() }} as economic_class_id,
        cast(null as varchar) as economic_class_code,
        cast(null as varchar) as lei_code,
        cast(null as varchar) as parent_code,
        cast(null as varchar) as class_level,
        '未知经济分类' as economic_class_name,
        cast(null as varchar) as lei_name,
        true as is_unknown_member

),

final as (

    select * from known
    union all
    select * from unknown_member

)

select * from final
