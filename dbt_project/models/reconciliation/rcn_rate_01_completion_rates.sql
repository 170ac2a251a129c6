{{ config(materialized='ephemeral') }}

-- 3P-02 (三公经费) and RATE-01 (every other line): a stated completion / execution rate
-- (pct_basis = completion) = actual ÷ budget × 100, the budget of the same line in the same document
-- (budget_final, else budget_initial; of several statements the closest). A rate stated over a zero
-- budget has no value (right side null): always a finding.
with

{{ rcn_statements() }},

rates as (

    select * from statements
    where pct_basis = 'completion' and stated_pct is not null and measure = 'actual'

),

budgets as (

    select * from statements where measure in ('budget_final', 'budget_initial')

),

compared as (

    select
        {{ rcn_stated_pct_columns(
            none, 'rates', 'budgets',
            rule_id_expr="case when rates.classification_scheme = 'three_public' then '3P-02' else 'RATE-01' end",
            left_label="rates.item || ' 执行率/控制率 (stated)'",
            right_label="rates.item || ' ' || cast(rates.value_wan as varchar) || ' ÷ ' || budgets.measure || ' ' || cast(budgets.value_wan as varchar)",
            right_value='case when budgets.value_wan != 0 then round(100.0 * rates.value_wan / budgets.value_wan, 4) end',
        ) }}
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
