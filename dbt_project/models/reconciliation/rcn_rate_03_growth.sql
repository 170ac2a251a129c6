{{ config(materialized='ephemeral') }}

-- RATE-03: a stated change (增长/下降 %, pct_basis = change) = (this year − prior year) ÷ prior year × 100.
-- The prior-year value is a stated prior-year figure of the same line (any loaded document), else the
-- change amount that the same sentence states ("比上年增加 10.02 万元": prior = value − 10.02).
with

{{ rcn_statements() }},

change_statements as (

    select
        *,
        regexp_extract_all(_snippet, '(增加|减少|增长|下降|上升|降低)了?\s*[0-9]+(\.[0-9]+)?\s*万元', 1) as change_words,
        regexp_extract_all(_snippet, '(增加|减少|增长|下降|上升|降低)了?\s*([0-9]+(\.[0-9]+)?)\s*万元', 2) as change_amounts
    from statements
    where pct_basis = 'change' and stated_pct is not null and not is_prior_year_statement

),

change_candidates as (

    -- a sentence may state several change amounts: the one that explains the stated rate best is used
    select
        change_statements.* exclude (change_words, change_amounts),
        change_words[candidate_index] as change_word,
        try_cast(change_amounts[candidate_index] as double) as change_wan
    from change_statements
    left join range(1, 21) as candidates(candidate_index)
        on candidates.candidate_index <= len(change_statements.change_amounts)

),

changes as (

    select * from change_candidates
    qualify row_number() over (
        partition by amount_fact_id
        order by coalesce(abs(
            stated_pct - 100.0 * (case when change_word in ('减少', '下降', '降低') then -change_wan else change_wan end)
            / nullif(value_wan - (case when change_word in ('减少', '下降', '降低') then -change_wan else change_wan end), 0)
        ), 1e9)
    ) = 1

),

prior_figures as (

    select * from statements

),

with_prior as (

    select
        changes.*,
        prior_figures.value_wan as prior_value_wan,
        prior_figures._doc as prior_doc,
        prior_figures._line as prior_line,
        prior_figures._snippet as prior_snippet
    from changes
    left join prior_figures
        on changes.bureau_id = prior_figures.bureau_id
            and prior_figures.fiscal_year = changes.fiscal_year - 1
            and changes.item = prior_figures.item
            and changes.measure = prior_figures.measure
            and changes.scope = prior_figures.scope
            and changes.classification_scheme = prior_figures.classification_scheme
    qualify row_number() over (
        partition by changes.amount_fact_id order by prior_figures._doc_id = changes._doc_id desc, prior_figures._line
    ) = 1

),

resolved as (

    select
        *,
        coalesce(
            prior_value_wan,
            case
                when change_wan is null then null
                when change_word in ('减少', '下降', '降低') then value_wan + change_wan
                else value_wan - change_wan
            end
        ) as base_wan,
        case when prior_value_wan is not null then '上年数' else '上年数 (本年数 − 增减额)' end as base_label
    from with_prior
    where prior_value_wan is not null or change_wan is not null

),

compared as (

    select
        {{ rcn_stated_pct_columns(
            'RATE-03', 'resolved', 'resolved',
            left_label="resolved.item || ' 增长率 (stated)'",
            right_label="'(' || cast(resolved.value_wan as varchar) || ' − ' || resolved.base_label || ' '"
                ~ " || cast(round(resolved.base_wan, 4) as varchar) || ') ÷ 上年数'",
            right_value='case when resolved.base_wan != 0'
                ~ ' then round(100.0 * (resolved.value_wan - resolved.base_wan) / resolved.base_wan, 4) end',
            right_doc='coalesce(resolved.prior_doc, resolved._doc)',
            right_line='coalesce(resolved.prior_line, resolved._line)',
            right_lines='cast(coalesce(resolved.prior_line, resolved._line) as varchar)',
            right_snippet='coalesce(resolved.prior_snippet, resolved._snippet)',
        ) }}
    from resolved
    where not (resolved.base_wan = 0 and resolved.value_wan = 0)

)

select * from compared
