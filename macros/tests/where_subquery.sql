{#- What a generic data test reads: the tested model, filtered by the test's
    `where` config (dbt's own rule), and, in a nightly build
    (`WH_DATA_TEST_SCOPE=changed`), by what tonight touched, on a model whose
    rows carry `_built_at` (the incremental ones):

    - a key test (`unique`, `unique_combination`) reads every row, old or new,
      whose key is among the keys of the rows this build wrote: a key that
      tonight's rows duplicate against an older row fails tonight;
    - any other test reads the rows this build wrote (a `relationships` test
      checks them against the whole parent table).

    Rows the night did not touch were tested the night they were written, so a
    night's tests cost what the night changed. Every Sunday's night,
    `scripts/wh build` and a full refresh test every row. Singular tests always
    read everything. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- if config.get('where') -%}
        {%- do conditions.append('(' ~ config.get('where') ~ ')') -%}
    {%- endif -%}
    {%- if execute and env_var('WH_DATA_TEST_SCOPE', 'all') == 'changed' and relation is not string -%}
        {%- set columns = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
        {%- if '_built_at' in columns -%}
            {%- set keys = tested_key_columns() -%}
            {%- if keys -%}
                {%- do conditions.append(
                    '(' ~ keys | join(', ') ~ ') in (select ' ~ keys | join(', ') ~ ' from ' ~ relation
                    ~ ' as tonight where tonight._built_at = ' ~ built_at_value() ~ ')'
                ) -%}
            {%- else -%}
                {%- do conditions.append('_built_at = ' ~ built_at_value()) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- if conditions -%}
        {#- `as tested`: Spark reads `<table> where (...)` as an alias `where` with column names -#}
        {%- do return('(select * from ' ~ relation ~ ' as tested where ' ~ conditions | join(' and ') ~ ') as dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- The key columns of the generic test being compiled, when it is a key test;
    none otherwise. -#}
{% macro tested_key_columns() -%}
    {%- set test = model.get('test_metadata') or {} -%}
    {%- set arguments = test.get('kwargs', {}) -%}
    {%- if test.get('name') == 'unique' -%}
        {%- do return([arguments.get('column_name')]) -%}
    {%- elif test.get('name') == 'unique_combination' -%}
        {%- do return(arguments.get('columns')) -%}
    {%- endif -%}
    {%- do return([]) -%}
{%- endmacro %}
