{{ config(materialized='ephemeral') }}

-- TOT-03: 收入总计 = 支出总计 (收支平衡).
-- Each statement of the left side is compared with the closest statement of the right side in the
-- same document, year, measure and scope.
with

{{ rcn_statements() }},

left_side as (

    {{ rcn_statement_side("classification_scheme = 'total' and item in ('收入总计') and scope_type != 'project'") }}

),

right_side as (

    {{ rcn_statement_side("classification_scheme = 'total' and item in ('支出总计') and scope_type != 'project'") }}

),

compared as (

    {{ rcn_compare_sides('TOT-03') }}

)

select * from compared
