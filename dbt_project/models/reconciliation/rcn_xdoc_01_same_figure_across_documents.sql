{{ config(materialized='ephemeral') }}

-- XDOC-01: the same bureau-year line (own-year statements) in two documents — a 部门决算 and a 绩效自评
-- report, or two reports — has the same value: total spending, 基本/项目支出, project money (scope
-- project:<name>) … The first statement of each document is compared, the 决算 on the right.
{% set same_line = ['fiscal_year', 'scope', 'measure', 'compare_scheme', 'compare_item'] %}
with

{{ rcn_statements() }},

firsts as (

    {{ rcn_first_statements('not is_prior_year_statement', ['_doc_id'] + same_line) }}

),

compared as (

    select
        {{ rcn_finding_columns(
            'XDOC-01', 'other_doc', 'final_doc',
            left_label="other_doc.item || ' (' || coalesce(other_doc.doc_type, '?') || ')'",
            right_label="final_doc.item || ' (' || coalesce(final_doc.doc_type, '?') || ')'",
        ) }}
    from firsts as other_doc
    inner join firsts as final_doc
        on {{ rcn_join_on('other_doc', 'final_doc', ['bureau_id'] + same_line) }}
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
