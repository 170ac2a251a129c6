-- One row per bureau × fiscal year × function class (支出功能分类 类/款/项) × measure: the amount,
-- and its share of the bureau's total (the sum of its 类 lines of the same scope and measure).
-- When a class is stated for several scopes, the broadest is used (all > fiscal >
-- general_public > gov_fund); `scope` says which. A line whose class the seed does not know keeps
-- its name path with a null code.
with

lines as (

    select * from {{ ref('fct_budget_lines') }}
    where classification_scheme = 'function'

),

classes as (

    select * from {{ ref('dim_function_classes') }}

),

bureaus as (

    select * from {{ ref('dim_bureaus') }}

),

scoped as (

    select
        *,
        case scope_type
            when 'all' then 1
            when 'fiscal' then 2
            when 'general_public' then 3
            when 'gov_fund' then 4
            else 5
        end as scope_priority
    from lines
    qualify row_number() over (
        partition by bureau_id, fiscal_year, item, measure order by scope_priority, scope
    ) = 1

),

totals as (

    select
        bureau_id,
        fiscal_year,
        scope,
        measure,
        sum(value_wan) as bureau_total_wan
    from scoped
    where function_class_level = '类'
    group by all

),

final as (

    select
        -- ids
        cast(scoped.bureau_id as varchar) as bureau_id,
        cast(bureaus.bureau_name as varchar) as bureau,
        cast(scoped.fiscal_year as integer) as fiscal_year,
        cast(scoped.function_class_id as varchar) as function_class_id,
        cast(classes.function_class_code as varchar) as function_class_code,

        -- class names
        cast(scoped.item as varchar) as function_class_name_path,
        cast(coalesce(classes.class_level, scoped.function_class_level) as varchar) as class_level,
        cast(coalesce(classes.lei_name, {{ class_path_part('scoped.item', 1) }}) as varchar) as lei_name,
        cast(coalesce(classes.kuan_name, {{ class_path_part('scoped.item', 2) }}) as varchar) as kuan_name,
        cast(coalesce(classes.xiang_name, {{ class_path_part('scoped.item', 3) }}) as varchar) as xiang_name,
        cast(not classes.is_unknown_member as boolean) as is_known_class,

        -- amount
        cast(scoped.measure as varchar) as measure,
        cast(scoped.scope as varchar) as scope,
        cast(scoped.value_wan as double) as amount_wan,
        cast(totals.bureau_total_wan as double) as bureau_total_wan,
        cast({{ safe_pct('scoped.value_wan', 'totals.bureau_total_wan') }} as double) as share_of_total_pct,
        cast(scoped.stated_pct as double) as stated_pct,
        cast(scoped.pct_basis as varchar) as stated_pct_basis,

        -- lineage and warnings
        cast(scoped.has_conflicting_statements as boolean) as has_conflicting_statements,
        cast(scoped._doc as varchar) as _doc,
        cast(scoped._line as integer) as _line

    from scoped
    inner join classes
        on scoped.function_class_id = classes.function_class_id
    inner join bureaus
        on scoped.bureau_id = bureaus.bureau_id
    left join totals
        on
            scoped.bureau_id = totals.bureau_id
            and scoped.fiscal_year = totals.fiscal_year
            and scoped.scope = totals.scope
            and scoped.measure = totals.measure

)

select * from final
