{{ config(materialized='ephemeral') }}

-- RATE-02: a stated share (占…%) = the figure ÷ a larger figure × 100. The whole is not named in
-- the facts, so every larger-or-equal figure of the same document, year and measure is a candidate and
-- the closest one is taken: a share that matches no figure of its document is a finding.
with

{{ rcn_statements() }},

shares as (

    select * from statements where pct_basis = 'share' and stated_pct is not null

),

wholes as (

    select * from statements where value_wan > 0

),

compared as (

    select
        {{ rcn_stated_pct_columns(
            'RATE-02', 'shares', 'wholes',
            left_label="shares.item || ' 占比 (stated)'",
            right_label="shares.item || ' ' || cast(shares.value_wan as varchar) || ' ÷ ' || wholes.item || ' ' || cast(wholes.value_wan as varchar)",
            right_value='round(100.0 * shares.value_wan / wholes.value_wan, 4)',
        ) }}
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
