-- One row per bureau × year × scope × classification scheme × item × measure: the money figure
-- chosen from all the documents' statements of it by the rule in int_amounts_deduplicated
-- (own-year statement first, then the value stated at most lines, then the earliest document and
-- line). The other statements stay reachable through budget_line_id in int_amounts_deduplicated;
-- has_conflicting_statements / alternative_values_wan show them here.
with

statements as (

    select * from {{ ref('int_amounts_deduplicated') }}
    where is_chosen_statement

),

final as (

    select
        -- ids
        budget_line_id,
        bureau_id,
        case
            when classification_scheme != 'economic' then null
            when economic_class_code is null then {{ unknown_key() }}
            else md5(economic_class_code)
        end as economic_class_id,
        fiscal_year,
        case
            when classification_scheme != 'function' then null
            when function_class_code is null then {{ unknown_key() }}
            else md5(function_class_code)
        end as function_class_id,

        -- grain
        classification_scheme,
        economic_class_code,
        function_class_code,
        function_class_level,
        item,
        item_as_stated,
        measure,
        project_name,
        scope,
        scope_type,

        -- amounts
        pct_basis,
        stated_pct,
        value_wan,

        -- statements behind the figure
        alternative_values_wan,
        has_conflicting_statements,
        is_prior_year_statement,
        max_value_wan,
        min_value_wan,
        n_distinct_values,
        n_statements,

        -- provenance: doc, line, snippet
        amount_fact_id as _amount_fact_id,
        _doc,
        _doc_id,
        _line,
        _snippet

    from statements

)

select * from final
