{#
    The select list of a rule's comparison, in the shape reconciliation_findings unions: rule_id,
    where (bureau, year, scope, measure), value_unit, the two sides (label, value, doc, line, lines,
    snippet) and precision_tolerance.

    `left` and `right` are the relations of the two sides, `row` the one giving bureau, year, scope
    and measure (the left side unless said). With shape='statement' a side's columns default to a
    statement's (item, value_wan, _doc, _line, _snippet), with shape='side' to a side CTE's (label,
    value, doc, line, lines, snippet). Any column can be given as an SQL expression through
    kwargs (left_label, right_value, scope, measure, …); `rule_id` is a rule id, `rule_id_expr` an
    expression that yields it.
#}
{% macro rcn_finding_columns(
    rule_id,
    left,
    right,
    row=none,
    shape='statement',
    value_unit='万元',
    precision_tolerance='cast(null as double)',
    rule_id_expr=none
) -%}
    {%- set row = row or left -%}
    {%- set columns = {} -%}
    {%- for side, relation in [('left', left), ('right', right)] -%}
        {%- if shape == 'side' -%}
            {%- set defaults = {
                'label': relation ~ '.label',
                'value': relation ~ '.value',
                'doc': relation ~ '.doc',
                'line': relation ~ '.line',
                'lines': relation ~ '.lines',
                'snippet': relation ~ '.snippet',
            } -%}
        {%- else -%}
            {%- set defaults = {
                'label': relation ~ '.item',
                'value': relation ~ '.value_wan',
                'doc': relation ~ '._doc',
                'line': relation ~ '._line',
                'lines': 'cast(' ~ relation ~ '._line as varchar)',
                'snippet': relation ~ '._snippet',
            } -%}
        {%- endif -%}
        {%- for part in ['label', 'value', 'doc', 'line', 'lines', 'snippet'] -%}
            {%- do columns.update({side ~ '_' ~ part: kwargs.get(side ~ '_' ~ part, defaults[part])}) -%}
        {%- endfor -%}
    {%- endfor -%}
        {{ rule_id_expr or "'" ~ rule_id ~ "'" }} as rule_id,
        {{ row }}.bureau_id,
        {{ row }}.bureau_name,
        {{ row }}.fiscal_year,
        {{ kwargs.get('scope', row ~ '.scope') }} as scope,
        {{ kwargs.get('measure', row ~ '.measure') }} as measure,
        '{{ value_unit }}' as value_unit,
        {%- for side in ['left', 'right'] %}
        {%- for part in ['label', 'value', 'doc', 'line', 'lines', 'snippet'] %}
        {{ columns[side ~ '_' ~ part] }} as {{ side }}_{{ part }},
        {%- endfor %}
        {%- endfor %}
        {{ precision_tolerance }} as precision_tolerance
{%- endmacro %}


{#
    Tolerance of a stated percentage: half a unit of its last stated digit (96 → 0.5, 96.5 → 0.05,
    96.49 → 0.005).
#}
{% macro stated_pct_precision(pct) -%}
    case when {{ pct }} = round({{ pct }}) then 0.5 when {{ pct }} = round({{ pct }}, 1) then 0.05 else 0.005 end
{%- endmacro %}


{#
    The select list of a rule that checks a stated percentage (`pct` of `stated`) against one
    recomputed from amounts: unit %, the stated value on the left, the tolerance half a unit of its
    last stated digit. Other columns as in rcn_finding_columns (kwargs are passed on).
#}
{% macro rcn_stated_pct_columns(rule_id, stated, right, left_label, pct='stated_pct') -%}
    {{ rcn_finding_columns(
        rule_id, stated, right,
        value_unit='%',
        left_label=left_label,
        left_value=stated ~ '.' ~ pct,
        precision_tolerance=stated_pct_precision(stated ~ '.' ~ pct),
        **kwargs
    ) }}
{%- endmacro %}
