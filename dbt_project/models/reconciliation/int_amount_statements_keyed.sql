-- Every statement of a money figure (one per document line, as staged), keyed for the
-- reconciliation rules: the document's type, the 类/款 of function lines, the 类 of economic
-- 款 lines and a comparison item that folds the synonyms one document uses for one line.
-- A bare 项 name that several 类 share (一般行政管理事务) is placed under the candidate 类 with the
-- largest amount stated in the same document (a medical security bureau's 卫生健康支出), so that
-- the class sums can still be checked; the choice is visible in `is_class_inferred`.
{{ config(materialized='view', schema='intermediate') }}

with

amounts as (

    select * from {{ ref('int_amounts_classified') }}

),

documents as (

    select * from {{ ref('stg_budget_docs__documents') }}

),

function_classes as (

    select * from {{ ref('int_function_classes_pathed') }}

),

lei_statements as (

    select
        amounts._doc_id,
        amounts.function_class_code as lei_code,
        max(amounts.value_wan) as max_value_wan
    from amounts
    where amounts.function_class_level = '类'
    group by amounts._doc_id, amounts.function_class_code

),

ambiguous_leaf_classes as (

    select
        amounts.amount_fact_id,
        function_classes.lei_code,
        function_classes.kuan_code
    from amounts
    inner join function_classes
        on
            amounts.item = function_classes.function_class_name
            and function_classes.class_level = '项'
    inner join lei_statements
        on
            amounts._doc_id = lei_statements._doc_id
            and function_classes.lei_code = lei_statements.lei_code
    where
        amounts.classification_scheme = 'function'
        and amounts.function_class_code is null
        and not contains(amounts.item, '/')
    qualify row_number() over (
        partition by amounts.amount_fact_id
        order by lei_statements.max_value_wan desc, function_classes.function_class_code
    ) = 1

),

final as (

    select
        -- ids
        amounts.amount_fact_id,
        amounts._doc_id,
        amounts.bureau_id,

        -- bureau, years, document
        amounts.bureau_name,
        amounts.fiscal_year,
        amounts.is_prior_year_statement,
        amounts.source_fiscal_year,
        documents.doc_type,

        -- classification
        amounts.classification_scheme,
        amounts.economic_class_code,
        case
            when length(amounts.economic_class_code) = 5 then left(amounts.economic_class_code, 3)
        end as economic_parent_code,
        amounts.function_class_code,
        case
            when amounts.function_class_level is not null then amounts.function_class_level
            when ambiguous_leaf_classes.lei_code is not null then '项'
        end as function_class_level,
        coalesce(function_classes.kuan_code, ambiguous_leaf_classes.kuan_code) as function_kuan_code,
        coalesce(function_classes.lei_code, ambiguous_leaf_classes.lei_code) as function_lei_code,
        ambiguous_leaf_classes.lei_code is not null as is_class_inferred,
        amounts.item,
        case
            when amounts.item in ('日常公用经费') then '公用经费'
            when amounts.item in ('一般公共预算') and amounts.classification_scheme = 'source'
                then '一般公共预算财政拨款收入'
            when amounts.item in ('预算支出', '部门整体支出', '本年支出合计', '支出合计')
                then '本年支出合计'
            when amounts.item = '年度资金总额' and amounts.scope_type != 'project' then '本年支出合计'
            else amounts.item
        end as compare_item,
        case
            when amounts.item in ('日常公用经费') then 'nature'
            when amounts.item = '年度资金总额' and amounts.scope_type != 'project' then 'total'
            when amounts.item in ('预算支出', '部门整体支出', '本年支出合计', '支出合计') then 'total'
            else amounts.classification_scheme
        end as compare_scheme,
        amounts.measure,
        amounts.project_name,
        amounts.scope,
        amounts.scope_type,

        -- amounts
        amounts.pct_basis,
        amounts.stated_pct,
        amounts.value_wan,

        -- provenance: doc, line, snippet
        amounts._doc,
        amounts._line,
        amounts._snippet

    from amounts
    left join documents
        on amounts._doc_id = documents._doc_id
    left join function_classes
        on amounts.function_class_code = function_classes.function_class_code
    left join ambiguous_leaf_classes
        on amounts.amount_fact_id = ambiguous_leaf_classes.amount_fact_id

)

select * from final
