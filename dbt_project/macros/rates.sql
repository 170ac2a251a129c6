{#
    Percentage a / b × 100, rounded to 2 decimals; null when either side is unknown or b is 0
    (a rate over a zero budget is undefined, never 0 or 100).
#}
{% macro safe_pct(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ numerator }} is null or {{ denominator }} = 0 then null
        else round(100.0 * {{ numerator }} / {{ denominator }}, 2)
    end
{%- endmacro %}
