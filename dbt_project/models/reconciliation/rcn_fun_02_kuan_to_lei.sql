{{ config(materialized='ephemeral') }}

-- FUN-02: 功能分类各款之和等于所属类: Σ 款 lines (Σ 项 lines where the document states no 款 of the 类) = the closest statement of the 类 line.
{% set part_filter %}
classification_scheme = 'function' and function_lei_code is not null
        and (
            function_class_level = '款'
            or (
                function_class_level = '项'
                and not exists (
                    select 1 from statements as kuan
                    where
                        kuan._doc_id = statements._doc_id
                        and kuan.function_class_level = '款'
                        and kuan.function_lei_code = statements.function_lei_code
                )
            )
        )
{%- endset %}
with

{{ rcn_statements() }},

{{ rcn_parts_to_whole(
    'FUN-02',
    part_filter=part_filter,
    group_key='function_lei_code',
    whole_filter="classification_scheme = 'function' and function_class_level = '类'",
    whole_key='function_class_code',
) }}

select * from compared
