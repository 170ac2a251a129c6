-- One row per reconciliation finding: a comparison of two figures (or a figure and a sum of figures)
-- that the documents give, whose difference exceeds the rule's tolerance. Every rule is one ephemeral
-- model rcn_<rule> (its SQL in one file, its catalogue entry in the seed reconciliation_rules); this
-- model unions their comparisons, applies the catalogue's comparison and tolerance (or, for a
-- stated percentage, half a unit of its last stated digit when that is larger) and keeps the findings.
with

comparisons as (

    select * from {{ ref('rcn_3p_01_parts_to_total') }}

    union all by name

    select * from {{ ref('rcn_bud_01_actual_within_budget') }}

    union all by name

    select * from {{ ref('rcn_dup_01_restated_figures') }}

    union all by name

    select * from {{ ref('rcn_eco_01_classes_to_basic') }}

    union all by name

    select * from {{ ref('rcn_eco_02_kuan_to_lei') }}

    union all by name

    select * from {{ ref('rcn_eco_03_personnel_plus_public') }}

    union all by name

    select * from {{ ref('rcn_fun_01_items_to_kuan') }}

    union all by name

    select * from {{ ref('rcn_fun_02_kuan_to_lei') }}

    union all by name

    select * from {{ ref('rcn_fun_03_lei_to_total') }}

    union all by name

    select * from {{ ref('rcn_ind_01_score_within_weight') }}

    union all by name

    select * from {{ ref('rcn_ind_02_scores_to_total') }}

    union all by name

    select * from {{ ref('rcn_nat_01_part_within_whole') }}

    union all by name

    select * from {{ ref('rcn_prc_01_procurement_parts') }}

    union all by name

    select * from {{ ref('rcn_prj_01_projects_within_project_spending') }}

    union all by name

    select * from {{ ref('rcn_prj_02_execution_rates') }}

    union all by name

    select * from {{ ref('rcn_rate_01_completion_rates') }}

    union all by name

    select * from {{ ref('rcn_rate_02_shares') }}

    union all by name

    select * from {{ ref('rcn_rate_03_growth') }}

    union all by name

    select * from {{ ref('rcn_tot_01_income_sources') }}

    union all by name

    select * from {{ ref('rcn_tot_02_basic_plus_project') }}

    union all by name

    select * from {{ ref('rcn_tot_03_totals_balance') }}

    union all by name

    select * from {{ ref('rcn_xdoc_01_same_figure_across_documents') }}

    union all by name

    select * from {{ ref('rcn_xdoc_02_prior_year_figures') }}

),

rules as (

    select * from {{ ref('reconciliation_rules') }}

),

judged as (

    select
        comparisons.*,
        rules.rule_title,
        rules.severity,
        rules.rule_category,
        rules.comparison,
        rules.tolerance,
        rules.crosses_documents,
        round(comparisons.left_value - comparisons.right_value, 6) as difference,
        greatest(rules.tolerance, coalesce(comparisons.precision_tolerance, 0)) + 1e-9 as effective_tolerance
    from comparisons
    inner join rules
        on comparisons.rule_id = rules.rule_id

),

findings as (

    select * from judged
    where
        case
            when left_value is null or right_value is null then true
            when comparison = 'at_most' then difference > effective_tolerance
            else abs(difference) > effective_tolerance
        end

),

final as (

    select
        -- ids
        {{ surrogate_key(['rule_id', 'left_doc', 'left_line', 'left_label', 'left_value', 'right_doc', 'right_line', 'right_label', 'right_value', 'scope', 'measure', 'fiscal_year']) }}
            as finding_id,
        rule_id,
        bureau_id,

        -- rule
        rule_title,
        severity,
        rule_category,
        crosses_documents,

        -- where
        bureau_name,
        fiscal_year,
        scope,
        measure,

        -- the two sides
        left_label,
        left_value,
        right_label,
        right_value,
        value_unit,
        difference,
        round(effective_tolerance, 6) as tolerance,

        -- provenance of each side: doc, line (first), lines (all), snippet
        left_doc,
        left_line,
        left_lines,
        left_snippet,
        right_doc,
        right_line,
        right_lines,
        right_snippet

    from findings

)

select * from final
