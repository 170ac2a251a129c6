{#
    A function-class line is written as its path joined by '/': 类/款/项
    (`卫生健康支出/医疗保障管理事务/行政运行`). `class_path_part(path, n)` returns level n (1 = 类,
    2 = 款, 3 = 项) or null when the path is shorter; `class_path_depth` counts the levels.
#}
{% macro class_path_part(path_column, level) -%}
    nullif(split_part({{ path_column }}, '/', {{ level }}), '')
{%- endmacro %}

{% macro class_path_depth(path_column) -%}
    len(string_split({{ path_column }}, '/'))
{%- endmacro %}

{% macro class_path_leaf(path_column) -%}
    string_split({{ path_column }}, '/')[-1]
{%- endmacro %}

{% macro class_level_name(depth_expression) -%}
    case {{ depth_expression }} when 1 then '类' when 2 then '款' when 3 then '项' end
{%- endmacro %}
