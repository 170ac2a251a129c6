{{ config(materialized='ephemeral') }}

-- XDOC-02: a prior-year comparison figure (year = fiscal year − 1) stated in one document = the same line
-- in the prior year's own document, where both are loaded (first statement of each).
{% set same_line = ['fiscal_year', 'scope', 'measure', 'compare_scheme', 'compare_item'] %}
with

{{ rcn_statements() }},

firsts as (

    {{ rcn_first_statements(partition_by=['_doc_id'] + same_line) }}

),

compared as (

    select
        {{ rcn_finding_columns(
            'XDOC-02', 'prior_stmt', 'own_stmt',
            left_label="prior_stmt.item || ' (上年比较数, ' || prior_stmt.source_fiscal_year || ' 年文件)'",
            right_label="own_stmt.item || ' (' || own_stmt.fiscal_year || ' 年本年文件)'",
        ) }}
    from firsts as prior_stmt
    inner join firsts as own_stmt
        on {{ rcn_join_on('prior_stmt', 'own_stmt', ['bureau_id'] + same_line) }}
            and prior_stmt._doc_id != own_stmt._doc_id
    where prior_stmt.is_prior_year_statement and not own_stmt.is_prior_year_statement

)

select * from compared
