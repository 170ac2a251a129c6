{{ config(materialized='ephemeral') }}

-- RATE-02: a stated share (占…%) = the figure ÷ a larger figure × 100. The whole is not named in
-- the facts, so every larger-or-equal figure of the same document, year and measure is a candidate and
-- the closest one is taken: a share that matches no figure of its document is a finding.
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

shares as (

    select * from statements where pct_basis = 'share' and stated_pct is not null

),

wholes as (

    select * from statements where value_wan > 0

),

compared as (

    select
        'RATE-02' as rule_id,
        shares.bureau_id,
        shares.bureau_name,
        shares.fiscal_year,
        shares.scope,
        shares.measure,
        '%' as value_unit,
        shares.item || ' 占比 (stated)' as left_label,
        shares.stated_pct as left_value,
        shares._doc as left_doc,
        shares._line as left_line,
        cast(shares._line as varchar) as left_lines,
        shares._snippet as left_snippet,
        shares.item || ' ' || cast(shares.value_wan as varchar) || ' ÷ ' || wholes.item || ' ' || cast(wholes.value_wan as varchar) as right_label,
        round(100.0 * shares.value_wan / wholes.value_wan, 4) as right_value,
        wholes._doc as right_doc,
        wholes._line as right_line,
        cast(wholes._line as varchar) as right_lines,
        wholes._snippet as right_snippet,
        case when shares.stated_pct = round(shares.stated_pct) then 0.5 when shares.stated_pct = round(shares.stated_pct, 1) then 0.05 else 0.005 end as precision_tolerance
    from shares
    inner join wholes
        on shares._doc_id = wholes._doc_id and shares.fiscal_year = wholes.fiscal_year
            and shares.measure = wholes.measure
            and wholes.value_wan >= shares.value_wan
            and wholes.amount_fact_id != shares.amount_fact_id
    qualify row_number() over (
        partition by shares.amount_fact_id
        order by abs(shares.stated_pct - 100.0 * shares.value_wan / wholes.value_wan), wholes._line
    ) = 1

)

select * from compared
