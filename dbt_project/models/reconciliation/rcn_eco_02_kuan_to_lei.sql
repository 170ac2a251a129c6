{{ config(materialized='ephemeral') }}

-- ECO-02: 经济分类各款之和等于所属类: Σ 款 (5-digit codes) = the closest statement of their 类, where the 款 cover at least half of the 类 (a shorter 其中 list is partial by design).
with

{{ rcn_statements() }},

{{ rcn_parts_to_whole(
    'ECO-02',
    part_filter="classification_scheme = 'economic' and economic_parent_code is not null",
    group_key='economic_parent_code',
    whole_filter="classification_scheme = 'economic' and length(economic_class_code) = 3",
    whole_key='economic_class_code',
    extra_join='parts.parts_value_wan >= 0.5 * wholes.value_wan',
) }}

select * from compared
