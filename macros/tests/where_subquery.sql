{#- What a generic data test reads: the tested model, filtered by the test's
    `where` config (dbt's own rule), and, in a nightly build
    (`WH_DATA_TEST_SCOPE=changed`), by tonight's rows only: on a model whose
    rows carry `_built_at` (the incremental ones), the rows this build wrote.
    Rows the night did not touch were tested the night they were written, so a
    night's tests cost what the night changed. A test that spans rows written
    on different nights (a key duplicated across collections, say) is caught
    by a full-scope build: `scripts/wh build`, a full refresh, and every
    nightly run whose as-of date is a Sunday. Singular tests always read
    everything. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- if config.get('where') -%}
        {%- do conditions.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- if execute and env_var('WH_DATA_TEST_SCOPE', 'all') == 'changed' and relation is not string -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- if '_built_at' in columns -%}
            {%- do conditions.append('_built_at = ' ~ built_at_value()) -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {#- `as tested`: Spark reads `<table> where (...)` as an alias `where` with column names -#}
        {%- do return('(select * from ' ~ relation ~ ' as tested where ' ~ conditions | join(' and ') ~ ') as dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
