{{ config(materialized='ephemeral') }}

-- XDOC-02: a prior-year comparison figure (year = fiscal year − 1) stated in one document = the same line
-- in the prior year's own document, where both are loaded (first statement of each).
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

firsts as (

    select * from statements
    qualify row_number() over (
        partition by _doc_id, fiscal_year, scope, measure, compare_scheme, compare_item order by _line, amount_fact_id
    ) = 1

),

compared as (

    select
        'XDOC-02' as rule_id,
        prior_stmt.bureau_id,
        prior_stmt.bureau_name,
        prior_stmt.fiscal_year,
        prior_stmt.scope,
        prior_stmt.measure,
        '万元' as value_unit,
        prior_stmt.item || ' (上年比较数, ' || prior_stmt.source_fiscal_year || ' 年文件)' as left_label,
        prior_stmt.value_wan as left_value,
        prior_stmt._doc as left_doc,
        prior_stmt._line as left_line,
        cast(prior_stmt._line as varchar) as left_lines,
        prior_stmt._snippet as left_snippet,
        own_stmt.item || ' (' || own_stmt.fiscal_year || ' 年本年文件)' as right_label,
        own_stmt.value_wan as right_value,
        own_stmt._doc as right_doc,
        own_stmt._line as right_line,
        cast(own_stmt._line as varchar) as right_lines,
        own_stmt._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from firsts as prior_stmt
    inner join firsts as own_stmt
        on prior_stmt.bureau_id = own_stmt.bureau_id and prior_stmt.fiscal_year = own_stmt.fiscal_year
            and prior_stmt.scope = own_stmt.scope and prior_stmt.measure = own_stmt.measure
            and prior_stmt.compare_scheme = own_stmt.compare_scheme and prior_stmt.compare_item = own_stmt.compare_item
            and prior_stmt._doc_id != own_stmt._doc_id
    where prior_stmt.is_prior_year_statement and not own_stmt.is_prior_year_statement

)

select * from compared
