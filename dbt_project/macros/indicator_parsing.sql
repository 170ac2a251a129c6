{#
    Parsing of the raw text of a performance indicator's target (年度指标值) or actual value
    (实际完成值). Used by int_indicators_parsed; each macro is covered by a unit test there.

    indicator_comparator(text): the comparison the text states, one of ≥ ≤ = > <, or null.
      - explicit signs: ≥ >= ≧ → ≥; ≤ <= ≦ → ≤; > → >; < → <; = → =
      - words: 以上 / 不低于 / 不少于 / 达到 / 达 → ≥; 以内 / 以下 / 内 / 不超过 / 不高于 / 低于 → ≤
      - a bare number (`100%`, `15800`) → ≥: a target names the level to reach
        (is_comparator_implied tells these apart)
      - null when the text holds no single number
    indicator_number(text): the one number in the text (Arabic digits, or a single Chinese numeral
      such as 一个月内 → 1); null when there are none or several (`40%，66%，73%`)
    indicator_unit(text): the unit written right after the number (`%`, `万元`, `天`, `月`, `万人`); null if none
#}
{% macro indicator_text(text) -%}
    regexp_replace(coalesce({{ text }}, ''), '([0-9]),([0-9]{3})', '\1\2', 'g')
{%- endmacro %}

{% macro indicator_number_count(text) -%}
    len(regexp_extract_all({{ indicator_text(text) }}, '[0-9]+(\.[0-9]+)?'))
{%- endmacro %}

{% macro indicator_number(text) -%}
    case
        when {{ indicator_number_count(text) }} = 1
            then try_cast(regexp_extract({{ indicator_text(text) }}, '[0-9]+(\.[0-9]+)?', 0) as double)
        when {{ indicator_number_count(text) }} = 0
            and regexp_matches(coalesce({{ text }}, ''), '[一二两三四五六七八九十][个]?[天日月年周次人家份]')
            then cast(
                list_position(
                    ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'],
                    replace(
                        regexp_extract({{ text }}, '([一二两三四五六七八九十])[个]?[天日月年周次人家份]', 1),
                        '两',
                        '二'
                    )
                ) as double
            )
    end
{%- endmacro %}

{% macro indicator_unit(text) -%}
    case
        when {{ indicator_number_count(text) }} = 1
            then nullif(
                regexp_extract({{ indicator_text(text) }}, '[0-9]+(\.[0-9]+)?(%|％|[万亿千百]?[\p{Han}]?)', 2),
                ''
            )
        when {{ indicator_number_count(text) }} = 0
            then nullif(regexp_extract(coalesce({{ text }}, ''), '[一二两三四五六七八九十][个]?([天日月年周次人家份])', 1), '')
    end
{%- endmacro %}

{% macro indicator_comparator(text) -%}
    case
        when {{ indicator_number(text) }} is null then null
        when regexp_matches({{ text }}, '(≥|>=|≧|＞=|大于等于|大于或等于)') then '≥'
        when regexp_matches({{ text }}, '(≤|<=|≦|＜=|小于等于|小于或等于)') then '≤'
        when regexp_matches({{ text }}, '(>|＞|大于|高于|超过)') and not regexp_matches({{ text }}, '(不超过|不高于)') then '>'
        when regexp_matches({{ text }}, '(<|＜|小于)') then '<'
        when regexp_matches({{ text }}, '(=|＝)') then '='
        when regexp_matches({{ text }}, '(以上|不低于|不少于|至少|达到|达)') then '≥'
        when regexp_matches({{ text }}, '(以内|以下|不超过|不高于|不多于|低于|内)') then '≤'
        else '≥'
    end
{%- endmacro %}

{% macro indicator_comparator_is_implied(text) -%}
    (
        {{ indicator_number(text) }} is not null
        and not regexp_matches(
            {{ text }},
            '(≥|>=|≧|≤|<=|≦|>|＞|<|＜|=|＝|大于|小于|高于|超过|以上|不低于|不少于|至少|达到|达|以内|以下|不超过|不高于|不多于|低于|内)'
        )
    )
{%- endmacro %}

{#
    indicator_achieved: true / false / null.
      - both values parsed and the units agree (or one side has none): compare the actual value with
        the target value by the target's comparator
      - neither side holds a number and the actual text repeats the target text word for word
        (`年度内` / `年度内`): true
      - anything else (a missing side, different units, free text): null, never a guess
#}
{% macro indicator_achieved(comparator, target_value, actual_value, target_unit, actual_unit, target_text, actual_text) -%}
    case
        when {{ target_value }} is not null and {{ actual_value }} is not null
            and (
                {{ target_unit }} is null
                or {{ actual_unit }} is null
                or replace({{ target_unit }}, '％', '%') = replace({{ actual_unit }}, '％', '%')
            )
            then case {{ comparator }}
                when '≥' then {{ actual_value }} >= {{ target_value }}
                when '>' then {{ actual_value }} > {{ target_value }}
                when '≤' then {{ actual_value }} <= {{ target_value }}
                when '<' then {{ actual_value }} < {{ target_value }}
                when '=' then {{ actual_value }} = {{ target_value }}
            end
        when {{ target_value }} is null and {{ actual_value }} is null
            and {{ target_text }} is not null
            and {{ target_text }} = {{ actual_text }}
            then true
    end
{%- endmacro %}
