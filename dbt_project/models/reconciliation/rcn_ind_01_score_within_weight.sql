{{ config(materialized='ephemeral') }}

-- IND-01: an indicator's score (得分) ≤ its weight (分值).
with

indicators as (

    select * from {{ ref('int_indicators_parsed') }}
    where score is not null and weight is not null

),

compared as (

    select
        {{ rcn_finding_columns(
            'IND-01', 'indicators', 'indicators',
            measure='cast(null as varchar)',
            value_unit='分',
            left_label="indicators.indicator_name || ' 得分'",
            left_value='indicators.score',
            right_label="indicators.indicator_name || ' 分值'",
            right_value='indicators.weight',
        ) }}
    from indicators

)

select * from compared
