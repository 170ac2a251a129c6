{#
    Model-level test: the listed columns together identify a row (nulls compared as values).
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

with

grouped as (

    select
        {% for column in combination_of_columns %}{{ column }}{% if not loop.last %}, {% endif %}{% endfor %},
        count(*) as n_rows
    from {{ model }}
    group by all
    having count(*) > 1

)

select * from grouped

{% endtest %}
