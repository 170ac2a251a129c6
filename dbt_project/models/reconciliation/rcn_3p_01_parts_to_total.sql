{{ config(materialized='ephemeral') }}

-- 3P-01: 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费 = 三公经费 (an unstated part counts as 0).
with

{{ rcn_statements() }},

{{ rcn_parts_to_total(
    '3P-01',
    total_filter="classification_scheme = 'three_public' and item = '三公经费'",
    parts_filter="classification_scheme = 'three_public' and item in ('因公出国（境）费', '公务用车购置及运行维护费', '公务接待费')",
) }}

select * from compared
