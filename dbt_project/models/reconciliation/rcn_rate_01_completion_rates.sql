{{ config(materialized='ephemeral') }}

-- 3P-02 (三公经费) and RATE-01 (every other line): a stated completion / execution rate
-- (pct_basis = completion) = actual ÷ budget × 100, the budget of the same line in the same document
-- (budget_final, else budget_initial; of several statements the closest). A rate stated over a zero
-- budget has no value (right side null): always a finding.
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

rates as (

    select * from statements
    where pct_basis = 'completion' and stated_pct is not null and measure = 'actual'

),

budgets as (

    select * from statements where measure in ('budget_final', 'budget_initial')

),

compared as (

    select
        case when rates.classification_scheme = 'three_public' then '3P-02' else 'RATE-01' end as rule_id,
        rates.bureau_id,
        rates.bureau_name,
        rates.fiscal_year,
        rates.scope,
        rates.measure,
        '%' as value_unit,
        rates.item || ' 执行率/控制率 (stated)' as left_label,
        rates.stated_pct as left_value,
        rates._doc as left_doc,
        rates._line as left_line,
        cast(rates._line as varchar) as left_lines,
        rates._snippet as left_snippet,
        rates.item || ' ' || cast(rates.value_wan as varchar) || ' ÷ ' || budgets.measure || ' ' || cast(budgets.value_wan as varchar) as right_label,
        case when budgets.value_wan != 0 then round(100.0 * rates.value_wan / budgets.value_wan, 4) end as right_value,
        budgets._doc as right_doc,
        budgets._line as right_line,
        cast(budgets._line as varchar) as right_lines,
        budgets._snippet as right_snippet,
        case when rates.stated_pct = round(rates.stated_pct) then 0.5 when rates.stated_pct = round(rates.stated_pct, 1) then 0.05 else 0.005 end as precision_tolerance
    from rates
    inner join budgets
        on rates._doc_id = budgets._doc_id and rates.fiscal_year = budgets.fiscal_year
            and rates.scope = budgets.scope and rates.item = budgets.item
            and rates.classification_scheme = budgets.classification_scheme
    qualify row_number() over (
        partition by rates.amount_fact_id
        order by budgets.measure = 'budget_final' desc,
            coalesce(abs(rates.stated_pct - 100.0 * rates.value_wan / nullif(budgets.value_wan, 0)), 1e9),
            budgets._line
    ) = 1

)

select * from compared
