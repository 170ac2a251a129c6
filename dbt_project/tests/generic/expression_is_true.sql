{#
    Model-level test: every row satisfies `expression` (rows where it is false are returned;
    rows where it is null pass, since an unknown figure cannot break an identity).
    Optional `where` restricts the rows checked. Used for accounting identities, e.g.
      abs(basic_expenditure_wan + project_expenditure_wan - total_expenditure_wan) <= {{ var('wan_tolerance') }}
#}
{% test expression_is_true(model, expression, where_clause=none) %}

select *
from {{ model }}
where
    not ({{ expression }})
    {% if where_clause %}and ({{ where_clause }}){% endif %}

{% endtest %}
