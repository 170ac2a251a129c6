{{ config(materialized='ephemeral') }}

-- FUN-01: 功能分类各项之和等于所属款: Σ 项 lines of a 款 = the closest statement of the 款 line.
with

{{ rcn_statements() }},

{{ rcn_parts_to_whole(
    'FUN-01',
    part_filter="classification_scheme = 'function' and function_class_level = '项' and function_kuan_code is not null",
    group_key='function_kuan_code',
    whole_filter="classification_scheme = 'function' and function_class_level = '款'",
    whole_key='function_class_code',
) }}

select * from compared
