{{ config(materialized='ephemeral') }}

-- IND-02: Σ indicator scores of one evaluation table (document × scope) = the stated total score
-- (the evaluation fact of the same scope), only where the table's weights add up to 100, i.e. the
-- table is complete (tables whose 执行率 row is not an indicator fact are skipped, not guessed).
with

indicators as (

    select * from {{ ref('int_indicators_parsed') }}
    where score is not null

),

tables as (

    select
        _doc_id,
        fiscal_year,
        scope,
        min(bureau_id) as bureau_id,
        min(bureau_name) as bureau_name,
        min(_doc) as _doc,
        min(_line) as _line,
        cast(null as varchar) as _snippet,
        count(*) as n_rows,
        sum(score) as score_sum,
        sum(weight) as weight_sum
    from indicators
    group by _doc_id, fiscal_year, scope
    having count(*) = count(weight) and abs(sum(weight) - 100) < 0.001

),

evaluations as (

    select * from {{ ref('int_evaluations_deduplicated') }}
    where score is not null

),

compared as (

    select
        'IND-02' as rule_id,
        tables.bureau_id,
        tables.bureau_name,
        tables.fiscal_year,
        tables.scope as scope,
        cast(null as varchar) as measure,
        '分' as value_unit,
        'Σ ' || tables.n_rows || ' 项指标得分' as left_label,
        round(tables.score_sum, 6) as left_value,
        tables._doc as left_doc,
        tables._line as left_line,
        cast(tables._line as varchar) as left_lines,
        tables._snippet as left_snippet,
        '自评总分' as right_label,
        evaluations.score as right_value,
        evaluations._doc as right_doc,
        evaluations._line as right_line,
        cast(evaluations._line as varchar) as right_lines,
        evaluations._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from tables
    inner join evaluations
        on tables._doc_id = evaluations._doc_id and tables.scope = evaluations.scope
    qualify row_number() over (
        partition by tables._doc_id, tables.scope order by abs(tables.score_sum - evaluations.score), evaluations._line
    ) = 1

)

select * from compared
