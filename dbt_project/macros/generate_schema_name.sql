{#
    Custom schema names are used verbatim (`+schema: marts` lands in `marts`, not `main_marts`),
    so analysts and dashboards query `marts.<name>`. Models without a custom schema use the
    target's schema (`main` in dev, `prod` in prod).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
