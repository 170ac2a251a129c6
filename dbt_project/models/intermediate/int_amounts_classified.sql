-- Every staged money figure with its bureau and year resolved against its document and, for
-- function (功能分类) and economic (经济分类) lines, the class it names. A line whose class is not
-- in the seeds keeps its wording as item and gets a null code; it is never dropped.
-- Matching order for a function line: the full 类/款/项 name path, then a known alias
-- (seed class_aliases: older 款 names, 类 names without 支出), then a name that occurs only once
-- in the seed (bare 项 names such as 城乡医疗救助). An ambiguous bare name (行政运行,
-- 一般行政管理事务: several 款 have one) stays unknown.
with

amounts as (

    select * from {{ ref('stg_budget_docs__amounts') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

function_classes as (

    select * from {{ ref('int_function_classes_pathed') }}

),

economic_classes as (

    -- a name used at two levels (其他支出: 类 399 and 款 39999) resolves to the higher level
    select * from {{ ref('economic_classes') }}
    qualify row_number() over (
        partition by economic_class_name order by length(economic_class_code), economic_class_code
    ) = 1

),

aliases as (

    select * from {{ ref('class_aliases') }}

),

resolved as (

    select
        amounts.* exclude (bureau_name, fiscal_year),
        {{ resolved_fact_columns('amounts', 'documents') }}
    from amounts
    left join documents
        on amounts._doc_id = documents._doc_id

),

function_matched as (

    select
        resolved.amount_fact_id,
        coalesce(
            by_path.function_class_code,
            function_aliases.class_code,
            by_leaf.function_class_code
        ) as function_class_code
    from resolved
    left join function_classes as by_path
        on resolved.item = by_path.function_class_name_path
    left join aliases as function_aliases
        on
            function_aliases.classification_scheme = 'function'
            and resolved.item = function_aliases.alias_name
    left join function_classes as by_leaf
        on
            {{ class_path_leaf('resolved.item') }} = by_leaf.function_class_name
            and by_leaf.is_name_unique
    where resolved.classification_scheme = 'function'

),

economic_matched as (

    select
        resolved.amount_fact_id,
        coalesce(by_name.economic_class_code, economic_aliases.class_code) as economic_class_code
    from resolved
    left join economic_classes as by_name
        on resolved.item = by_name.economic_class_name
    left join aliases as economic_aliases
        on
            economic_aliases.classification_scheme = 'economic'
            and resolved.item = economic_aliases.alias_name
    where resolved.classification_scheme = 'economic'

),

final as (

    select
        -- ids
        resolved.amount_fact_id,
        resolved._doc_id,
        resolved.bureau_id,

        -- bureau and years
        resolved.bureau_name,
        resolved.fiscal_year,
        resolved.is_prior_year_statement,
        resolved.source_fiscal_year,

        -- classification
        resolved.classification_scheme,
        economic_matched.economic_class_code,
        function_matched.function_class_code,
        case
            when resolved.classification_scheme != 'function' then null
            when function_classes.class_level is not null then function_classes.class_level
            when {{ class_path_depth('resolved.item') }} > 1
                then {{ class_level_name(class_path_depth('resolved.item')) }}
        end as function_class_level,
        case
            when function_classes.function_class_code is not null then function_classes.function_class_name_path
            when economic_classes.economic_class_code is not null then economic_classes.economic_class_name
            else resolved.item
        end as item,
        resolved.item as item_as_stated,
        resolved.measure,
        resolved.project_name,
        resolved.scope,
        resolved.scope_type,

        -- amounts
        resolved.pct_basis,
        resolved.stated_pct,
        resolved.value_wan,

        -- provenance: doc, line, snippet
        resolved._doc,
        resolved._line,
        resolved._snippet

    from resolved
    left join function_matched
        on resolved.amount_fact_id = function_matched.amount_fact_id
    left join function_classes
        on function_matched.function_class_code = function_classes.function_class_code
    left join economic_matched
        on resolved.amount_fact_id = economic_matched.amount_fact_id
    left join economic_classes
        on economic_matched.economic_class_code = economic_classes.economic_class_code

)

select * from final
