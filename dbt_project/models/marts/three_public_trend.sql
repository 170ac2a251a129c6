-- One row per bureau × year × 三公 item (因公出国（境）, 公务用车购置, 公务用车运行维护, 公务接待,
-- plus the subtotals 公务用车购置及运行维护 and 三公经费合计) × measure, with the change against the
-- prior year where both years are known. The documents' wordings are mapped by the seed
-- three_public_items; the fiscal (财政拨款) scope is preferred, then general_public, then all; when
-- two wordings map to one item, a document's own-year figure wins over a later document's prior-year
-- figure, then the figure stated more often.
-- Prior-year figures stated in a later document (附件 2020年决算数) count as that year's figures.
with

lines as (

    select * from {{ ref('fct_budget_lines') }}
    where classification_scheme = 'three_public'

),

items as (

    select * from {{ ref('three_public_items') }}

),

bureaus as (

    select * from {{ ref('dim_bureaus') }}

),

mapped as (

    select
        lines.*,
        items.three_public_item,
        items.is_subtotal,
        items.sort_order
    from lines
    inner join items
        on lines.item = items.item
    qualify row_number() over (
        partition by lines.bureau_id, lines.fiscal_year, items.three_public_item, lines.measure
        order by
            case lines.scope_type when 'fiscal' then 1 when 'general_public' then 2 when 'all' then 3 else 4 end,
            lines.is_prior_year_statement,
            lines.n_statements desc,
            lines.item
    ) = 1

),

compared as (

    select
        current_year.*,
        prior_year.value_wan as prior_year_amount_wan
    from mapped as current_year
    left join mapped as prior_year
        on
            current_year.bureau_id = prior_year.bureau_id
            and current_year.three_public_item = prior_year.three_public_item
            and current_year.measure = prior_year.measure
            and current_year.fiscal_year = prior_year.fiscal_year + 1

),

final as (

    select
        -- ids
        cast(compared.bureau_id as varchar) as bureau_id,
        cast(bureaus.bureau_name as varchar) as bureau,
        cast(compared.fiscal_year as integer) as fiscal_year,
        cast(compared.three_public_item as varchar) as three_public_item,
        cast(compared.is_subtotal as boolean) as is_subtotal,
        cast(compared.sort_order as integer) as sort_order,
        cast(compared.measure as varchar) as measure,
        cast(compared.scope as varchar) as scope,

        -- amounts, 万元
        cast(compared.value_wan as double) as amount_wan,
        cast(compared.prior_year_amount_wan as double) as prior_year_amount_wan,
        cast(round(compared.value_wan - compared.prior_year_amount_wan, 4) as double) as change_wan,
        cast(
            {{ safe_pct('(compared.value_wan - compared.prior_year_amount_wan)', 'compared.prior_year_amount_wan') }}
            as double
        ) as change_pct,
        cast(case when compared.pct_basis = 'change' then compared.stated_pct end as double) as stated_change_pct,

        -- lineage and warnings
        cast(compared.has_conflicting_statements as boolean) as has_conflicting_statements,
        cast(compared.item_as_stated as varchar) as _item_as_stated,
        cast(compared._doc as varchar) as _doc,
        cast(compared._line as integer) as _line

    from compared
    inner join bureaus
        on compared.bureau_id = bureaus.bureau_id

)

select * from final
