{#- One row per day from `start_date` to `end_date` (both included), used in a
    select list to expand a row into a daily series (the engine's own series
    generator, set-wise: no loops, no recursive CTE). -#}
{% macro day_series(start_date, end_date) -%}
    {{ return(adapter.dispatch('day_series', 'club_warehouse')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__day_series(start_date, end_date) -%}
    explode(sequence({{ start_date }}, {{ end_date }}, interval 1 day))
{%- endmacro %}

{#- Spark's `sequence` fails when the end is before the start, where DuckDB's
    series is empty: such a row expands to no day. -#}
{% macro spark__day_series(start_date, end_date) -%}
    explode(case
        when cast({{ start_date }} as date) <= cast({{ end_date }} as date)
            then sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)
    end)
{%- endmacro %}

{% macro duckdb__day_series(start_date, end_date) -%}
    cast(unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)) as date)
{%- endmacro %}
