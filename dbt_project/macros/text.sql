{#
    Text cleaning shared by the staging models: drop every kind of white space, including the
    full-width space U+3000 and no-break spaces that PDF text layers leave in table cells.
    An empty result becomes null.
#}
{% macro clean_text(column) -%}
    nullif(regexp_replace(cast({{ column }} as varchar), '[\s\x{3000}\x{00a0}]+', '', 'g'), '')
{%- endmacro %}
