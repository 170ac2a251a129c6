{{ config(materialized='ephemeral') }}

-- XDOC-01: the same bureau-year line (own-year statements) in two documents — a 部门决算 and a 绩效自评
-- report, or two reports — has the same value: total spending, 基本/项目支出, project money (scope
-- project:<name>) … The first statement of each document is compared, the 决算 on the right.
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

firsts as (

    select * from statements
    where not is_prior_year_statement
    qualify row_number() over (
        partition by _doc_id, fiscal_year, scope, measure, compare_scheme, compare_item order by _line, amount_fact_id
    ) = 1

),

compared as (

    select
        'XDOC-01' as rule_id,
        other_doc.bureau_id,
        other_doc.bureau_name,
        other_doc.fiscal_year,
        other_doc.scope,
        other_doc.measure,
        '万元' as value_unit,
        other_doc.item || ' (' || coalesce(other_doc.doc_type, '?') || ')' as left_label,
        other_doc.value_wan as left_value,
        other_doc._doc as left_doc,
        other_doc._line as left_line,
        cast(other_doc._line as varchar) as left_lines,
        other_doc._snippet as left_snippet,
        final_doc.item || ' (' || coalesce(final_doc.doc_type, '?') || ')' as right_label,
        final_doc.value_wan as right_value,
        final_doc._doc as right_doc,
        final_doc._line as right_line,
        cast(final_doc._line as varchar) as right_lines,
        final_doc._snippet as right_snippet,
        cast(null as double) as precision_tolerance
    from firsts as other_doc
    inner join firsts as final_doc
        on other_doc.bureau_id = final_doc.bureau_id and other_doc.fiscal_year = final_doc.fiscal_year
            and other_doc.scope = final_doc.scope and other_doc.measure = final_doc.measure
            and other_doc.compare_scheme = final_doc.compare_scheme and other_doc.compare_item = final_doc.compare_item
            and other_doc._doc_id != final_doc._doc_id
            and (
                coalesce(final_doc.doc_type, '') like '%决算%' and coalesce(other_doc.doc_type, '') not like '%决算%'
                or (
                    (coalesce(final_doc.doc_type, '') like '%决算%') = (coalesce(other_doc.doc_type, '') like '%决算%')
                    and final_doc._doc < other_doc._doc
                )
            )
    where other_doc.bureau_id != md5('{{ var("unknown_key_seed") }}')

)

select * from compared
