-- All statements of every money figure, grouped by the grain of fct_budget_lines
-- (bureau × year × scope × classification scheme × item × measure), with the one that the fact
-- table keeps marked `is_chosen_statement`.
--
-- 1. Exact repeats (same document, line, grain and value: an extractor emitting one figure twice)
--    collapse into one statement; `n_duplicate_facts` counts them.
-- 2. The statements of one grain are ranked by the documented rule:
--      a. a document's own-year figure before a prior-year comparison figure in a later document;
--      b. the value stated at the most distinct lines (the document's majority) first;
--      c. then the earliest document (fiscal year, file name) and the earliest line
--         (in these documents the narrative's first statement or the first table).
-- 3. `n_statements`, `n_distinct_values`, `has_conflicting_statements` and
--    `alternative_values_wan` keep the other statements reachable from the chosen one.
with

classified as (

    select * from {{ ref('int_amounts_classified') }}

),

keyed as (

    select
        {{ surrogate_key(['bureau_id', 'fiscal_year', 'scope', 'classification_scheme', 'item', 'measure']) }}
            as budget_line_id,
        round(value_wan, 4) as value_key,
        *
    from classified

),

statements as (

    select
        *,
        count(*) over (partition by _doc_id, _line, budget_line_id, value_key) as n_duplicate_facts
    from keyed
    qualify row_number() over (
        partition by _doc_id, _line, budget_line_id, value_key
        order by stated_pct is null, amount_fact_id
    ) = 1

),

value_support as (

    select
        budget_line_id,
        value_key,
        count(*) as n_lines_stating_value
    from statements
    group by budget_line_id, value_key

),

grain_stats as (

    select
        budget_line_id,
        count(*) as n_statements,
        count(distinct value_key) as n_distinct_values,
        string_agg(distinct cast(value_key as varchar), '; ' order by cast(value_key as varchar))
            as alternative_values_wan,
        min(value_wan) as min_value_wan,
        max(value_wan) as max_value_wan
    from statements
    group by budget_line_id

),

ranked as (

    select
        statements.*,
        value_support.n_lines_stating_value,
        row_number() over (
            partition by statements.budget_line_id
            order by
                statements.is_prior_year_statement,
                value_support.n_lines_stating_value desc,
                statements.source_fiscal_year,
                statements._doc,
                statements._line,
                statements.amount_fact_id
        ) as statement_rank
    from statements
    inner join value_support
        on
            statements.budget_line_id = value_support.budget_line_id
            and statements.value_key = value_support.value_key

),

final as (

    select
        -- ids
        ranked.amount_fact_id,
        ranked.budget_line_id,
        ranked._doc_id,
        ranked.bureau_id,

        -- grain
        ranked.bureau_name,
        ranked.classification_scheme,
        ranked.economic_class_code,
        ranked.fiscal_year,
        ranked.function_class_code,
        ranked.function_class_level,
        ranked.item,
        ranked.item_as_stated,
        ranked.measure,
        ranked.project_name,
        ranked.scope,
        ranked.scope_type,

        -- amounts
        ranked.pct_basis,
        ranked.stated_pct,
        ranked.value_wan,

        -- statement ranking
        ranked.statement_rank = 1 as is_chosen_statement,
        ranked.is_prior_year_statement,
        ranked.n_duplicate_facts,
        ranked.n_lines_stating_value,
        ranked.source_fiscal_year,
        ranked.statement_rank,

        -- conflicts within the grain
        grain_stats.n_distinct_values > 1 as has_conflicting_statements,
        grain_stats.alternative_values_wan,
        grain_stats.max_value_wan,
        grain_stats.min_value_wan,
        grain_stats.n_distinct_values,
        grain_stats.n_statements,

        -- provenance: doc, line, snippet
        ranked._doc,
        ranked._line,
        ranked._snippet

    from ranked
    inner join grain_stats
        on ranked.budget_line_id = grain_stats.budget_line_id

)

select * from final
