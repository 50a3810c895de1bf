{#- The incremental models whose build replaces rows it holds (by `delete+insert`,
    or by a pre-hook's delete then `append`), on both engines.

    DuckDB runs the strategy as it is. Spark without Delta has no `delete`: there
    the model's table is partitioned by `spark_partition` (the value of the model's
    `rewrite_partition`, a Spark expression over the model's columns) and an
    incremental build rewrites only the partitions it touches, with
    `insert overwrite` (dynamic partition overwrite): the model's new rows, and
    the held rows of those partitions that the new rows do not replace. Which
    held rows the new ones replace is what DuckDB deletes:
    - by default, the held rows with a `unique_key` the new rows have
      (`delete+insert`);
    - with `replaces_from='<column>'`, the held rows of an entity (the other
      `unique_key` columns) on or after its new rows' first `<column>` (a
      financing's days from the first one rewritten: what `delete+insert` and
      the pruning of the days past its end remove on DuckDB);
    - with `replaces_changed_collections='<column>'`, the held rows whose
      `<column>` is a collection changed since the table's last build (the
      collections models' pre-hook, macros/collections.sql).
    A row whose expression is NULL goes to the partition 'null' (never an empty
    or NULL value: Hive stores both as its default partition, which Spark reads
    back as NULL). The column's name starts with a letter: the metastore's
    partition filter does not parse a name starting with `_`. A partition
    touched is one with new rows or replaced rows; one left with no row is
    dropped. So the rewrite is exact for any partition expression; the
    expression only decides what a night rewrites (choose one that keeps a
    night's rows in few partitions: a month of an immutable date, a hash bucket
    of the entity). A model says:
        materialized='incremental',
        incremental_strategy=rewrite_strategy('delete+insert'),
        rewrite_partition="date_format(created_at, 'yyyy-MM')", -#}
{% macro rewrite_strategy(strategy) -%}
    {{ return(adapter.dispatch('rewrite_strategy', 'club_warehouse')(strategy)) }}
{%- endmacro %}

{% macro default__rewrite_strategy(strategy) -%}
    {{ return(strategy) }}
{%- endmacro %}

{% macro spark__rewrite_strategy(strategy) -%}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{#- dbt-spark's table creation, with the `spark_partition` column and partitioning
    of a model that has a `rewrite_partition` (its contract, if enforced, is
    checked on the model's own columns first: an upstream model's `spark_partition`,
    which a `select *` carries, is left out); other models as dbt-spark creates
    them. -#}
{% macro spark__create_table_as(temporary, relation, compiled_code, language='sql') -%}
    {%- set partition = config.get('rewrite_partition') -%}
    {%- if language != 'sql' or not partition -%}
        {{ return(dbt.spark__create_table_as(temporary, relation, compiled_code, language)) }}
    {%- endif -%}
    {#- the model's own columns, not an upstream model's `spark_partition`: the
        query's, or the table's for an incremental build's new rows (cheaper) -#}
    {%- if temporary -%}
        {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- else -%}
        {%- set names = get_columns_in_query(compiled_code) -%}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in names if column != 'spark_partition' -%}
        {%- do columns.append(adapter.quote(column)) -%}
    {%- endfor -%}
    {%- set own_rows -%}
        select {{ columns | join(', ') }} from ({{ compiled_code }}) as model_rows
    {%- endset -%}
    {%- if not temporary and config.get('contract').enforced -%}
        {{ get_assert_columns_equivalent(own_rows) }}
        {%- set own_rows = get_select_subquery(own_rows) -%}
    {%- endif -%}
    {%- set partitioned -%}
        select
            own_rows.*,
            coalesce(cast({{ partition }} as string), 'null') as spark_partition
        from ({{ own_rows }}) as own_rows
    {%- endset -%}
    {%- if temporary -%}
        {{ create_temporary_view(relation, partitioned) }}
    {%- else -%}
        create table {{ relation }}
        {{ file_format_clause() }}
        partitioned by (spark_partition)
        {{ comment_clause() }}
        as
        {{ partitioned }}
    {%- endif -%}
{%- endmacro %}

{#- dbt-spark's `insert_overwrite`, for a model with a `rewrite_partition`: the
    statement that rewrites the partitions touched (above). The new rows are
    cached first (the statement and the count below read them three times);
    one query counts, per partition, the held rows, those replaced and the new
    rows: a partition with replaced or new rows is touched, and one whose held
    rows are all replaced, with no new row, is dropped. Without a new row there
    is nothing to write: the statement is a `select`. -#}
{% macro get_insert_overwrite_sql(source_relation, target_relation, existing_relation) -%}
    {%- if not config.get('rewrite_partition') -%}
        {{ return(dbt.get_insert_overwrite_sql(source_relation, target_relation, existing_relation)) }}
    {%- endif -%}
    {%- set replaced = rewrite_replaced_rows(source_relation) -%}
    {%- do run_query('cache table ' ~ source_relation) -%}
    {#- per partition: held rows, held rows replaced, new rows -#}
    {%- set partitions_sql -%}
        select spark_partition, sum(held) as held, sum(replaced) as replaced, sum(new) as new
        from (
            select
                held.spark_partition,
                1 as held,
                case when replaced.is_replaced then 1 else 0 end as replaced,
                0 as new
            from {{ target_relation }} as held
            left join (select replaced_keys.*, true as is_replaced from ({{ replaced.rows }}) as replaced_keys) as replaced
                on {{ replaced.condition }}
            union all
            select new_rows.spark_partition, 0, 0, 1 from {{ source_relation }} as new_rows
        ) as counted
        group by spark_partition
        having sum(replaced) > 0 or sum(new) > 0
    {%- endset -%}
    {%- set filled, emptied = [], [] -%}
    {%- for row in run_query(partitions_sql) -%}
        {%- if row[3] > 0 or row[1] > row[2] -%}
            {%- do filled.append(rewrite_literal(row[0])) -%}
        {%- else -%}
            {%- do emptied.append(rewrite_literal(row[0])) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for partition in emptied -%}
        {%- do run_query('alter table ' ~ target_relation ~ ' drop if exists partition (spark_partition = ' ~ partition ~ ')') -%}
    {%- endfor -%}
    {%- if not filled -%}
        {#- no new row (a new row fills its partition): nothing to write -#}
        select 0 as partitions_rewritten
    {%- else -%}
    {%- set columns = adapter.get_columns_in_relation(target_relation) | map(attribute='quoted') | list -%}
    insert overwrite table {{ target_relation }} partition (spark_partition)
    select {{ columns | join(', ') }} from {{ source_relation }}
    union all
    select held.{{ columns | join(', held.') }}
    from {{ target_relation }} as held
    left anti join ({{ replaced.rows }}) as replaced on {{ replaced.condition }}
    where held.spark_partition in ({{ filled | join(', ') }})
    {%- endif -%}
{%- endmacro %}

{#- A post-hook of every model (dbt_project.yml): on Spark, after an incremental
    rewrite, the new rows cached for it are released (a Thrift server outlives
    its sessions, and its executors would keep every night's new rows);
    nothing elsewhere. -#}
{% macro rewrite_cache_released() -%}
    {{ return(adapter.dispatch('rewrite_cache_released', 'club_warehouse')()) }}
{%- endmacro %}

{% macro default__rewrite_cache_released() -%}
{%- endmacro %}

{% macro spark__rewrite_cache_released() -%}
    {%- if config.get('rewrite_partition') and is_incremental() -%}
        uncache table if exists {{ this.identifier }}__dbt_tmp
    {%- endif -%}
{%- endmacro %}

{#- The rows a rewrite replaces: a query of keys (`rows`) and the condition
    joining them to a held row (`condition`, `held.` and `replaced.`). -#}
{% macro rewrite_replaced_rows(new_rows) -%}
    {%- set keys = config.get('unique_key') -%}
    {%- set keys = [keys] if keys is string else (keys or []) -%}
    {%- set from_column = config.get('replaces_from') -%}
    {%- set collection_column = config.get('replaces_changed_collections') -%}
    {%- if collection_column -%}
        {%- set rows -%}
            select changed.collection_id as {{ collection_column }}
            from {{ ref('int_collections_changed_tonight') }} as changed
            where changed._built_at > {{ last_built_at() }}
        {%- endset -%}
        {%- set condition = 'held.' ~ collection_column ~ ' = replaced.' ~ collection_column -%}
    {%- else -%}
        {#- the new rows' keys; with `replaces_from`, an entity's first value of it -#}
        {%- set entity = keys | reject('equalto', from_column) | list -%}
        {%- set rows -%}
            {%- if from_column %}
            select {{ entity | join(', ') }}, min({{ from_column }}) as replaced_from
            from {{ new_rows }} group by {{ entity | join(', ') }}
            {%- else %}
            select distinct {{ entity | join(', ') }} from {{ new_rows }}
            {%- endif %}
        {%- endset -%}
        {%- set matches = [] -%}
        {%- for column in entity -%}
            {%- do matches.append('held.' ~ column ~ ' = replaced.' ~ column) -%}
        {%- endfor -%}
        {%- if from_column -%}
            {%- do matches.append('held.' ~ from_column ~ ' >= replaced.replaced_from') -%}
        {%- endif -%}
        {%- set condition = matches | join(' and ') -%}
    {%- endif -%}
    {{ return({'rows': rows, 'condition': condition}) }}
{%- endmacro %}

{% macro rewrite_literal(value) -%}
    '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
