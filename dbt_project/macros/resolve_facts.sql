{#
    Columns every intermediate fact model derives the same way from a staged fact (alias `facts`)
    joined to its document (alias `documents`):
      - bureau_name: the fact's own, else the document's; bureau_id its hash, or the unknown key
      - source_fiscal_year: the fiscal year of the document that states the figure
      - fiscal_year: the year the figure is about (the contract's `year`), else the document's year,
        else -1 (the unknown year member of dim_fiscal_years)
      - is_prior_year_statement: the figure is a prior-year comparison figure in a later document
#}
{% macro resolved_fact_columns(facts='facts', documents='documents') -%}
    case
        when coalesce({{ facts }}.bureau_name, {{ documents }}.bureau_name) is null then {{ unknown_key() }}
        else md5(coalesce({{ facts }}.bureau_name, {{ documents }}.bureau_name))
    end as bureau_id,
    coalesce({{ facts }}.bureau_name, {{ documents }}.bureau_name) as bureau_name,
    coalesce({{ facts }}.reported_year, {{ facts }}.fiscal_year, {{ documents }}.fiscal_year, -1) as fiscal_year,
    coalesce({{ facts }}.fiscal_year, {{ documents }}.fiscal_year, -1) as source_fiscal_year,
    coalesce(
        {{ facts }}.reported_year < coalesce({{ facts }}.fiscal_year, {{ documents }}.fiscal_year),
        false
    ) as is_prior_year_statement
{%- endmacro %}

{% macro bureau_key(name_column) -%}
    case when {{ name_column }} is null then {{ unknown_key() }} else md5({{ name_column }}) end
{%- endmacro %}
