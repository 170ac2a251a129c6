{{ config(materialized='ephemeral') }}

-- ECO-02: 经济分类各款之和等于所属类: Σ 款 (5-digit codes) = the closest statement of their 类, where the 款 cover at least half of the 类 (a shorter 其中 list is partial by design).
with

statements as (

    select * from {{ ref('int_amount_statements_keyed') }}

),

part_statements as (

    -- one statement per part: the first line stating it in the document
    select * from statements
    where classification_scheme = 'economic' and economic_parent_code is not null
    qualify row_number() over (
        partition by _doc_id, fiscal_year, measure, scope, economic_parent_code, item order by _line, amount_fact_id
    ) = 1

),

parts as (

    select
        _doc_id,
        fiscal_year,
        measure,
        scope,
        economic_parent_code as group_key,
        sum(value_wan) as parts_value_wan,
        'Σ ' || count(*) || ' 项: ' || string_agg(item || ' ' || cast(value_wan as varchar), ' + ' order by _line) as parts_label,
        min(_line) as first_line,
        string_agg(cast(_line as varchar), ',' order by _line) as parts_lines,
        min(_doc) as parts_doc
    from part_statements
    group by _doc_id, fiscal_year, measure, scope, economic_parent_code
    

),

wholes as (

    select * from statements
    where classification_scheme = 'economic' and length(economic_class_code) = 3

),

compared as (

    select
        'ECO-02' as rule_id,
        wholes.bureau_id,
        wholes.bureau_name,
        wholes.fiscal_year,
        wholes.scope,
        wholes.measure,
        '万元' as value_unit,
        wholes.item as left_label,
        wholes.value_wan as left_value,
        wholes._doc as left_doc,
        wholes._line as left_line,
        cast(wholes._line as varchar) as left_lines,
        wholes._snippet as left_snippet,
        parts.parts_label as right_label,
        round(parts.parts_value_wan, 6) as right_value,
        parts.parts_doc as right_doc,
        parts.first_line as right_line,
        parts.parts_lines as right_lines,
        cast(null as varchar) as right_snippet,
        cast(null as double) as precision_tolerance
    from wholes
    inner join parts
        on
            wholes._doc_id = parts._doc_id
            and wholes.fiscal_year = parts.fiscal_year
            and wholes.measure = parts.measure
            and wholes.scope = parts.scope
            and wholes.economic_class_code = parts.group_key and parts.parts_value_wan >= 0.5 * wholes.value_wan
    -- a whole stated twice (a department-level and a project-level 类) is judged by its closest statement
    qualify row_number() over (
        partition by parts._doc_id, parts.fiscal_year, parts.measure, parts.scope, parts.group_key
        order by abs(wholes.value_wan - parts.parts_value_wan), wholes._line
    ) = 1

)

select * from compared
