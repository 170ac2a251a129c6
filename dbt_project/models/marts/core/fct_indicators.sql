-- One row per bureau × year × scope (部门整体 or a project) × indicator (level1, level2, name):
-- the raw target and actual text, their parsed number, unit and comparator, and whether the
-- target was achieved (true / false / null when it cannot be judged). The row kept is the one
-- chosen in int_indicators_parsed (own-year, most complete, earliest line).
with

indicators as (

    select * from {{ ref('int_indicators_parsed') }}
    where is_chosen_statement

),

final as (

    select
        -- ids
        indicator_result_id,
        bureau_id,
        fiscal_year,

        -- grain
        indicator_name,
        level1,
        level2,
        scope,
        scope = '部门整体' as is_department_wide,

        -- raw text
        actual_text,
        target_text,

        -- parsed
        actual_unit,
        actual_value,
        comparator,
        is_achieved,
        is_comparator_implied,
        target_unit,
        target_value,

        -- points
        score,
        weight,
        score is not null and weight is not null and score > weight as warning_score_above_weight,

        -- statements behind the row
        has_conflicting_statements,
        n_statements,

        -- provenance: doc, line, snippet
        indicator_fact_id as _indicator_fact_id,
        _doc,
        _doc_id,
        _line,
        _snippet

    from indicators

)

select * from final
