{{ config(materialized='ephemeral') }}

-- BUD-01: actual ≤ the largest budget (budget_initial or budget_final) stated for the same line
-- (same document, year, label and scope).
with

{{ rcn_statements() }},

left_side as (

    {{ rcn_statement_side(
        "measure = 'actual' and classification_scheme in ('total', 'nature', 'function', 'economic', 'three_public', 'operating')"
        ~ " and scope_type != 'project' and not is_prior_year_statement and item not like '%收入%' and item not in ('收入总计', '收支总计')"
    ) }}

),

right_side as (

    {{ rcn_statement_side(
        "measure in ('budget_initial', 'budget_final') and scope_type != 'project'",
        extra_columns=['compare_item'],
    ) }}

),

compared as (

    {{ rcn_compare_sides('BUD-01', join_on='label', pick='largest') }}

)

select * from compared
