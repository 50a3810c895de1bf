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
