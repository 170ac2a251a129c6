{#
    Building blocks of the reconciliation rules (models/reconciliation/rcn_*.sql) that compare money
    statements of int_amount_statements_keyed. A "side" is one figure of a comparison in a fixed shape:
    _doc_id, bureau_id, bureau_name, fiscal_year, scope, measure, label, value, doc, line, lines, snippet.
#}

{# The CTE `statements`: every statement of a money figure, keyed for the rules. #}
{% macro rcn_statements() -%}
statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

)
{%- endmacro %}


{# The first statement (by line) of each partition: one statement per part of a sum. #}
{% macro rcn_first_statements(
    filter=none,
    partition_by=['_doc_id', 'fiscal_year', 'measure', 'scope', 'item'],
    relation='statements'
) -%}
    select * from {{ relation }}
    {% if filter -%}
    where {{ filter }}
    {% endif -%}
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }} order by _line, amount_fact_id
    ) = 1
{%- endmacro %}


{# A side made of single statements: each statement matching `filter` is one figure. #}
{% macro rcn_statement_side(filter, extra_columns=[]) -%}
    select
        _doc_id,
        bureau_id,
        bureau_name,
        fiscal_year,
        scope,
        measure,
        item as label,
        {% for column in extra_columns -%}
        {{ column }},
        {% endfor -%}
        value_wan as value,
        _doc as doc,
        _line as line,
        cast(_line as varchar) as lines,
        _snippet as snippet
    from statements
    where {{ filter }}
{%- endmacro %}


{#
    A side made of a sum: the statements of `relation` summed per document, year, scope and measure
    (an unstated part counts as 0). `scope` other than 'scope' is a literal scope of the sum, which
    is then summed over all scopes.
#}
{% macro rcn_sum_side(relation, scope='scope') -%}
    select
        _doc_id,
        min(bureau_id) as bureau_id,
        min(bureau_name) as bureau_name,
        fiscal_year,
        {{ scope }} as scope,
        measure,
        'Σ ' || string_agg(item || ' ' || cast(value_wan as varchar), ' + ' order by _line, item, value_wan) as label,
        round(sum(value_wan), 6) as value,
        min(_doc) as doc,
        min(_line) as line,
        string_agg(cast(_line as varchar), ',' order by _line) as lines,
        cast(null as varchar) as snippet
    from {{ relation }}
    group by _doc_id, fiscal_year, {% if scope == 'scope' %}scope, {% endif %}measure
{%- endmacro %}


{#
    Compares the CTEs `left_side` and `right_side`: each statement of the left side with the closest
    (pick='closest') or the largest (pick='largest') statement of the right side in the same document
    and year, joined on `join_on` (measure, or label), on scope unless join_on_scope is false, and on
    `extra_join`. A document that states a figure twice is judged by its best match.
#}
{% macro rcn_compare_sides(rule_id, join_on='measure', join_on_scope=true, extra_join=none, pick='closest') -%}
    select
        {{ rcn_finding_columns(rule_id, 'left_side', 'right_side', shape='side') }}
    from left_side
    inner join right_side
        on
            left_side._doc_id = right_side._doc_id
            and left_side.fiscal_year = right_side.fiscal_year
            and left_side.{{ join_on }} = right_side.{{ join_on }}
            {%- if extra_join %}
            and {{ extra_join }}
            {%- endif %}
            {%- if join_on_scope %}
            and left_side.scope = right_side.scope
            {%- endif %}
    qualify row_number() over (
        partition by left_side._doc_id, left_side.fiscal_year, left_side.measure, left_side.scope, left_side.line,
            left_side.label, left_side.value
        order by
            {% if pick == 'largest' %}right_side.value desc{% else %}abs(left_side.value - right_side.value){% endif %},
            right_side.line
    ) = 1
{%- endmacro %}


{#
    "Parts vs total": each statement of the total (`total_filter`) against the sum of the first
    statement of each part (`parts_filter`), the closest sum. Renders the CTEs left_side,
    right_side_statements, right_side and compared (after `statements`).
#}
{% macro rcn_parts_to_total(
    rule_id,
    total_filter,
    parts_filter,
    parts_partition_by=['_doc_id', 'fiscal_year', 'measure', 'scope', 'item'],
    parts_scope='scope'
) -%}
left_side as (

    {{ rcn_statement_side(total_filter) }}

),

right_side_statements as (

    {{ rcn_first_statements(parts_filter, parts_partition_by) }}

),

right_side as (

    {{ rcn_sum_side('right_side_statements', scope=parts_scope) }}

),

compared as (

    {{ rcn_compare_sides(rule_id, join_on_scope=(parts_scope == 'scope')) }}

)
{%- endmacro %}


{#
    "Sum vs total": the sum of the first statement of each part (`parts_filter`) against the closest
    statement of the total (`total_filter`). Renders the CTEs left_side_statements, left_side,
    right_side and compared (after `statements`).
#}
{% macro rcn_sum_to_total(rule_id, parts_filter, total_filter) -%}
left_side_statements as (

    {{ rcn_first_statements(parts_filter) }}

),

left_side as (

    {{ rcn_sum_side('left_side_statements') }}

),

right_side as (

    {{ rcn_statement_side(total_filter) }}

),

compared as (

    {{ rcn_compare_sides(rule_id) }}

)
{%- endmacro %}


{#
    "Classification lines vs their parent": Σ of the first statement of each part (`part_filter`)
    grouped by `group_key` = the closest statement of the whole (`whole_filter`) whose `whole_key`
    is that group key (and `extra_join`). A whole stated twice (a department-level and a
    project-level 类) is judged by its closest statement. Renders the CTEs part_statements, parts,
    wholes and compared (after `statements`).
#}
{% macro rcn_parts_to_whole(rule_id, part_filter, group_key, whole_filter, whole_key, extra_join=none) -%}
part_statements as (

    -- one statement per part: the first line stating it in the document
    {{ rcn_first_statements(part_filter, ['_doc_id', 'fiscal_year', 'measure', 'scope', group_key, 'item']) }}

),

parts as (

    select
        _doc_id,
        fiscal_year,
        measure,
        scope,
        {{ group_key }} as group_key,
        sum(value_wan) as parts_value_wan,
        'Σ ' || count(*) || ' 项: ' || string_agg(item || ' ' || cast(value_wan as varchar), ' + ' order by _line, item, value_wan) as parts_label,
        min(_line) as first_line,
        string_agg(cast(_line as varchar), ',' order by _line) as parts_lines,
        min(_doc) as parts_doc
    from part_statements
    group by _doc_id, fiscal_year, measure, scope, {{ group_key }}

),

wholes as (

    select * from statements
    where {{ whole_filter }}

),

compared as (

    select
        {{ rcn_finding_columns(
            rule_id, 'wholes', 'parts',
            right_label='parts.parts_label',
            right_value='round(parts.parts_value_wan, 6)',
            right_doc='parts.parts_doc',
            right_line='parts.first_line',
            right_lines='parts.parts_lines',
            right_snippet='cast(null as varchar)',
        ) }}
    from wholes
    inner join parts
        on
            wholes._doc_id = parts._doc_id
            and wholes.fiscal_year = parts.fiscal_year
            and wholes.measure = parts.measure
            and wholes.scope = parts.scope
            and wholes.{{ whole_key }} = parts.group_key
            {%- if extra_join %}
            and {{ extra_join }}
            {%- endif %}
    qualify row_number() over (
        partition by parts._doc_id, parts.fiscal_year, parts.measure, parts.scope, parts.group_key
        order by abs(wholes.value_wan - parts.parts_value_wan), wholes._line
    ) = 1

)
{%- endmacro %}


{# Join condition: `left` and `right` agree on each of `columns` (the same document, year, … of a line). #}
{% macro rcn_join_on(left, right, columns=['_doc_id', 'fiscal_year', 'measure', 'scope']) -%}
    {%- for column in columns -%}
        {{ left }}.{{ column }} = {{ right }}.{{ column }}{% if not loop.last %} and {% endif %}
    {%- endfor -%}
{%- endmacro %}
