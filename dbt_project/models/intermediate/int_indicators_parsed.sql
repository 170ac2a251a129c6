-- Every performance-indicator row with its target and actual text parsed (macros in
-- macros/indicator_parsing.sql: comparator, number, unit) and the achieved flag, plus the
-- statement ranking per bureau × year × scope × indicator (level1, level2, name). Rule: own-year
-- first; then the most complete row (target, actual, weight, score given); then the earliest
-- document and line.
with

indicators as (

    select * from {{ ref('stg_budget_docs__indicators') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

resolved as (

    select
        indicators.* exclude (bureau_name, fiscal_year),
        {{ resolved_fact_columns('indicators', 'documents') }}
    from indicators
    left join documents
        on indicators._doc_id = documents._doc_id

),

parsed as (

    select
        *,
        {{ indicator_comparator('target_text') }} as comparator,
        {{ indicator_comparator_is_implied('target_text') }} as is_comparator_implied,
        {{ indicator_number('target_text') }} as target_value,
        {{ indicator_unit('target_text') }} as target_unit,
        {{ indicator_number('actual_text') }} as actual_value,
        {{ indicator_unit('actual_text') }} as actual_unit
    from resolved

),

judged as (

    select
        *,
        {{ indicator_achieved(
            'comparator', 'target_value', 'actual_value', 'target_unit', 'actual_unit',
            'target_text', 'actual_text'
        ) }} as is_achieved
    from parsed

),

ranked as (

    select
        {{ surrogate_key(['bureau_id', 'fiscal_year', 'scope', 'level1', 'level2', 'indicator_name']) }}
            as indicator_result_id,
        *,
        row_number() over (
            partition by bureau_id, fiscal_year, scope, level1, level2, indicator_name
            order by
                is_prior_year_statement,
                (target_text is null)::int + (actual_text is null)::int + (weight is null)::int
                + (score is null)::int,
                source_fiscal_year,
                _doc,
                _line,
                indicator_fact_id
        ) as statement_rank,
        count(*) over (partition by bureau_id, fiscal_year, scope, level1, level2, indicator_name) as n_statements,
        count(distinct concat_ws('|', target_text, actual_text, weight, score)) over (
            partition by bureau_id, fiscal_year, scope, level1, level2, indicator_name
        ) as n_distinct_rows
    from judged

),

final as (

    select
        -- ids
        indicator_fact_id,
        indicator_result_id,
        _doc_id,
        bureau_id,

        -- grain
        bureau_name,
        fiscal_year,
        indicator_name,
        level1,
        level2,
        scope,

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

        -- statement ranking
        statement_rank = 1 as is_chosen_statement,
        n_distinct_rows > 1 as has_conflicting_statements,
        is_prior_year_statement,
        n_statements,
        statement_rank,

        -- provenance: doc, line, snippet
        _doc,
        _line,
        _snippet

    from ranked

)

select * from final
