-- One row per class of the national 支出功能分类 (政府收支分类科目) in the seed, plus the one
-- unknown member that every function line whose class the seed does not know points to.
with

classes as (

    select * from {{ ref('int_function_classes_pathed') }}

),

known as (

    select
        -- ids
        md5(classes.function_class_code) as function_class_id,
        classes.function_class_code,
        classes.kuan_code,
        classes.lei_code,
        classes.parent_code,

        -- names
        classes.class_level,
        classes.function_class_name,
        classes.function_class_name_path,
        {{ class_path_part('classes.function_class_name_path', 1) }} as lei_name,
        {{ class_path_part('classes.function_class_name_path', 2) }} as kuan_name,
        {{ class_path_part('classes.function_class_name_path', 3) }} as xiang_name,

        -- provenance of the code
        classes.source_note,
        false as is_unknown_member

    from classes

),

unknown_member as (

    select
        {{ unknown_key() }} as function_class_id,
        cast(null as varchar) as function_class_code,
        cast(null as varchar) as kuan_code,
        cast(null as varchar) as lei_code,
        cast(null as varchar) as parent_code,
        cast(null as varchar) as class_level,
        '未知功能分类' as function_class_name,
        '未知功能分类' as function_class_name_path,
        cast(null as varchar) as lei_name,
        cast(null as varchar) as kuan_name,
        cast(null as varchar) as xiang_name,
        cast(null as varchar) as source_note,
        true as is_unknown_member

),

final as (

    select * from known
    union all
    select * from unknown_member

)

select * from final
