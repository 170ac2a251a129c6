{{ config(materialized='ephemeral') }}

-- IND-01: an indicator's score (得分) ≤ its weight (分值).
with

indicators as (

    select * from {{ ref('int_indicators_parsed') }}
    where score is not null and weight is not null

),

compared as (

    select
        'IND-01' as rule_id,
        indicators.bureau_id,
        indicators.bureau_name,
        indicators.fiscal_year,
        indicators.scope as scope,
        cast(null as varchar) as measure,
        '分' as value_unit,
        indicators.indicator_name || ' 得分' as left_label,
        indicators.score as left_value,
        indicators._doc as left_doc,
        indicators._line as left_line,
        cast(indicators._line as varchar) as left_lines,
        indicators._snippet as left_snippet,
        indicators.indicator_name || ' 分值' as right_label,
        indicators.weight as right_value,
        indicators._doc as right_doc,
        indicators._line as right_line,
        cast(indicators._line as varchar) as right_lines,
        indicators._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from indicators

)

select * from compared
