-- One row per bureau × fiscal year × scope (部门整体 or a project) × indicator (level1, level2,
-- name): raw target and actual, their parsed values, unit and comparator, and whether the target
-- was achieved.
with

indicators as (

    select * from {{ ref('fct_indicators') }}

),

bureaus as (

    select * from {{ ref('dim_bureaus') }}

),

final as (

    select
        -- ids
        cast(indicators.indicator_result_id as varchar) as indicator_result_id,
        cast(indicators.bureau_id as varchar) as bureau_id,
        cast(bureaus.bureau_name as varchar) as bureau,
        cast(indicators.fiscal_year as integer) as fiscal_year,
        cast(indicators.scope as varchar) as scope,

        -- indicator
        cast(indicators.level1 as varchar) as level1,
        cast(indicators.level2 as varchar) as level2,
        cast(indicators.indicator_name as varchar) as indicator,

        -- target and result
        cast(indicators.target_text as varchar) as target_text,
        cast(indicators.actual_text as varchar) as actual_text,
        cast(indicators.target_value as double) as target_value,
        cast(indicators.actual_value as double) as actual_value,
        cast(coalesce(indicators.target_unit, indicators.actual_unit) as varchar) as unit,
        cast(indicators.comparator as varchar) as comparator,
        cast(indicators.is_achieved as boolean) as achieved,

        -- points
        cast(indicators.weight as double) as weight,
        cast(indicators.score as double) as score,

        -- lineage and warnings
        cast(indicators.warning_score_above_weight as boolean) as warning_score_above_weight,
        cast(indicators._doc as varchar) as _doc,
        cast(indicators._line as integer) as _line

    from indicators
    inner join bureaus
        on indicators.bureau_id = bureaus.bureau_id

)

select * from final
