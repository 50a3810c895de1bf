{#- Engine differences that dbt's own cross-database macros (`dbt.dateadd`,
    `dbt.datediff`, `dbt.date_trunc`, `dbt.safe_cast`, `dbt.type_string`, ...)
    do not cover. Each is dispatched (`adapter.dispatch`): models call the
    macro and never test `target.type` themselves. The others sit with their
    theme: as_of.sql (time zones), casting.sql (regex, ISO timestamps, unix
    seconds), day_series.sql, json.sql. -#}

{#- Every column (of `relation`, when given) but `columns`. -#}
{% macro star_exclude(columns, relation=none) -%}
    {{ return(adapter.dispatch('star_exclude', 'club_warehouse')(columns, relation)) }}
{%- endmacro %}

{% macro duckdb__star_exclude(columns, relation=none) -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_exclude(columns, relation=none) -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- The aggregate list of a column's values, sorted ascending (an array). -#}
{% macro sorted_list(column) -%}
    {{ return(adapter.dispatch('sorted_list', 'club_warehouse')(column)) }}
{%- endmacro %}

{% macro duckdb__sorted_list(column) -%}
    list({{ column }} order by {{ column }})
{%- endmacro %}

{#- `collect_list` leaves NULLs out (DuckDB's `list` keeps them). -#}
{% macro spark__sorted_list(column) -%}
    array_sort(collect_list({{ column }}))
{%- endmacro %}

{#- Whether an array (list) holds a value. -#}
{% macro list_has(list, value) -%}
    {{ return(adapter.dispatch('list_has', 'club_warehouse')(list, value)) }}
{%- endmacro %}

{% macro duckdb__list_has(list, value) -%}
    list_contains({{ list }}, {{ value }})
{%- endmacro %}

{% macro spark__list_has(list, value) -%}
    array_contains({{ list }}, {{ value }})
{%- endmacro %}

{#- The materialization of an incremental model whose strategy the engine
    may lack: `incremental` where the engine runs `strategy` as it is, else
    `table` (a full rebuild each run, always exact). Spark without Delta runs
    only `append` and `insert_overwrite`: a `delete+insert` or `merge` model
    is rebuilt whole there. Use it as `config(materialized=...)`. -#}
{% macro incremental_or_table(strategy) -%}
    {{ return(adapter.dispatch('incremental_or_table', 'club_warehouse')(strategy)) }}
{%- endmacro %}

{% macro default__incremental_or_table(strategy) -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro spark__incremental_or_table(strategy) -%}
    {{ return('incremental' if strategy in ['append', 'insert_overwrite'] else 'table') }}
{%- endmacro %}

{#- A lookup index: the dashboard's and `wh offer`'s point queries (one offer,
    one account) read a few rows of tables of millions; an index on the column
    they filter on answers them without a scan. DuckDB (an ART index, kept by
    every insert and delete) only: Spark has none. Use as a post-hook, with
    `drop_lookup_index` as the pre-hook: DuckDB cannot rename a table that has
    an index, and a rebuild (a table, or a full refresh) renames the old table
    aside. The readers' file gets the same indexes (publish.py). -#}
{% macro lookup_index(column) -%}
    {{ return(adapter.dispatch('lookup_index', 'club_warehouse')(column)) }}
{%- endmacro %}

{% macro default__lookup_index(column) -%}
{%- endmacro %}

{% macro duckdb__lookup_index(column) -%}
    create index if not exists {{ lookup_index_name(column) }} on {{ this }} ({{ column }})
{%- endmacro %}

{% macro drop_lookup_index(column) -%}
    {{ return(adapter.dispatch('drop_lookup_index', 'club_warehouse')(column)) }}
{%- endmacro %}

{% macro default__drop_lookup_index(column) -%}
{%- endmacro %}

{% macro duckdb__drop_lookup_index(column) -%}
    {%- if not is_incremental() -%}
        drop index if exists {{ this.database }}.{{ this.schema }}.{{ lookup_index_name(column) }}
    {%- endif -%}
{%- endmacro %}

{% macro lookup_index_name(column) -%}
    {{ this.identifier }}_by_{{ column }}
{%- endmacro %}
