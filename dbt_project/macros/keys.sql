{#
    Surrogate keys. `surrogate_key` hashes the listed columns (nulls spelled out, so that two
    rows differing only by a null still get distinct keys); `unknown_key` is the one fixed key that
    every unknown dimension member shares (STYLE 20, after GitLab's md5('-1')).
#}
{% macro surrogate_key(columns) -%}
    md5(concat_ws('||'
    {%- for column in columns %}, coalesce(cast({{ column }} as varchar), '_dbt_null_'){% endfor -%}
    ))
{%- endmacro %}

{% macro unknown_key() -%}
    md5('{{ var("unknown_key_seed") }}')
{%- endmacro %}
