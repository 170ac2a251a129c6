{{ config(materialized='ephemeral') }}

-- PRC-01: 政府采购支出总额 = 货物 + 工程 + 服务 (an unstated part counts as 0).
with

{{ rcn_statements() }},

{{ rcn_parts_to_total(
    'PRC-01',
    total_filter="classification_scheme = 'procurement' and item in ('政府采购支出总额', '政府采购支出', '政府采购金额')",
    parts_filter="classification_scheme = 'procurement' and item in ('政府采购货物支出', '政府采购工程支出', '政府采购服务支出')",
) }}

select * from compared
