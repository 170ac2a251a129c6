{{ config(materialized='ephemeral') }}

-- FUN-03: Σ 功能分类 类 (first statement of each) = the expenditure total of the same scope, the closest.
with

{{ rcn_statements() }},

{{ rcn_sum_to_total(
    'FUN-03',
    parts_filter="classification_scheme = 'function' and function_class_level = '类' and scope_type != 'project'",
    total_filter="classification_scheme = 'total' and scope_type != 'project' and item in ("
        ~ "'本年支出合计', '支出合计', '部门整体支出', '一般公共预算财政拨款支出', '政府性基金预算财政拨款支出', '财政拨款支出')",
) }}

select * from compared
