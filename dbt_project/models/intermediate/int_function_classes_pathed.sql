-- The seed of 支出功能分类 codes with each class's full name path (类/款/项), the form in which the
-- documents' function lines are written, and whether its name is unique in the seed.
with

classes as (

    select * from {{ ref('function_classes') }}

),

pathed as (

    select
        -- ids
        classes.function_class_code,
        classes.parent_code,

        -- names
        classes.class_level,
        classes.function_class_name,
        concat_ws('/', grandparents.function_class_name, parents.function_class_name, classes.function_class_name)
            as function_class_name_path,
        coalesce(grandparents.function_class_code, parents.function_class_code, classes.function_class_code)
            as lei_code,
        case
            when classes.class_level = '项' then parents.function_class_code
            when classes.class_level = '款' then classes.function_class_code
        end as kuan_code,
        classes.source_note

    from classes
    left join classes as parents
        on classes.parent_code = parents.function_class_code
    left join classes as grandparents
        on parents.parent_code = grandparents.function_class_code

),

final as (

    select
        *,
        count(*) over (partition by function_class_name) = 1 as is_name_unique
    from pathed

)

select * from final
