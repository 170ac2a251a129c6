{{ config(materialized='ephemeral') }}

-- ECO-01: Σ 经济分类 类 (301, 302, 303, 310 …; first statement of each) = 基本支出 or the stated total, the closest.
with

{{ rcn_statements() }},

{{ rcn_sum_to_total(
    'ECO-01',
    parts_filter="classification_scheme = 'economic' and length(economic_class_code) = 3 and scope_type != 'project'",
    total_filter="scope_type != 'project' and ("
        ~ "(classification_scheme = 'nature' and item = '基本支出')"
        ~ " or (classification_scheme = 'total' and item in ('本年支出合计', '支出合计', '支出总额', '部门整体支出')))",
) }}

select * from compared
