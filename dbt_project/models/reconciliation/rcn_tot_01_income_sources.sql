{{ config(materialized='ephemeral') }}

-- TOT-01: 本年收入合计 = Σ 收入来源 (items named …收入, any fund scope, first statement of each).
with

{{ rcn_statements() }},

{{ rcn_parts_to_total(
    'TOT-01',
    total_filter="classification_scheme = 'total' and item in ('本年收入合计', '收入合计', '当年收入') and scope_type != 'project'",
    parts_filter="classification_scheme = 'source' and scope_type != 'project' and item like '%收入'",
    parts_partition_by=['_doc_id', 'fiscal_year', 'measure', 'item'],
    parts_scope="'all'",
) }}

select * from compared
