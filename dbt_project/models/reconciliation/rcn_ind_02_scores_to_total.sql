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
        {{ rcn_finding_columns(
            'IND-02', 'tables', 'evaluations',
            measure='cast(null as varchar)',
            value_unit='分',
            left_label="'Σ ' || tables.n_rows || ' 项指标得分'",
            left_value='round(tables.score_sum, 6)',
            right_label="'自评总分'",
            right_value='evaluations.score',
        ) }}
    from tables
    inner join evaluations
        on tables._doc_id = evaluations._doc_id and tables.scope = evaluations.scope
    qualify row_number() over (
        partition by tables._doc_id, tables.scope order by abs(tables.score_sum - evaluations.score), evaluations._line
    ) = 1

)

select * from compared
