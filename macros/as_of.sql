{#- The as-of rule: a build reports the state at the end of `as_of_date`
    (var, default today), the day ending at midnight in `reporting_timezone`. -#}

{% macro as_of_date() -%}
    {%- set configured = var('as_of_date', none) -%}
    {%- if configured -%}
        {%- set day = configured | string -%}
    {%- else -%}
        {%- set tz = modules.pytz.timezone(var('reporting_timezone', 'UTC')) -%}
        {%- set day = modules.datetime.datetime.now(tz).strftime('%Y-%m-%d') -%}
    {%- endif -%}
    cast('{{ day }}' as date)
{%- endmacro %}

{#- The as-of moment as a UTC timestamp: midnight after the as-of date in
    the reporting time zone. Events created at or after it are not yet known. -#}
{% macro as_of_end_utc() -%}
    {{ local_midnight_to_utc(as_of_date() ~ ' + 1', var('reporting_timezone', 'UTC')) }}
{%- endmacro %}

{% macro local_midnight_to_utc(date_expr, tz) -%}
    {{ return(adapter.dispatch('local_midnight_to_utc', 'club_warehouse')(date_expr, tz)) }}
{%- endmacro %}

{% macro default__local_midnight_to_utc(date_expr, tz) -%}
    to_utc_timestamp(cast({{ date_expr }} as timestamp), '{{ tz }}')
{%- endmacro %}

{% macro duckdb__local_midnight_to_utc(date_expr, tz) -%}
    timezone('UTC', timezone('{{ tz }}', cast({{ date_expr }} as timestamp)))
{%- endmacro %}

{#- The reporting-time-zone date of a UTC timestamp (dashboard series are per
    reporting day; Sigma's balances keep UTC dates). -#}
{% macro to_reporting_date(utc_timestamp) -%}
    {{ return(adapter.dispatch('to_reporting_date', 'club_warehouse')(utc_timestamp, var('reporting_timezone', 'UTC'))) }}
{%- endmacro %}

{% macro default__to_reporting_date(utc_timestamp, tz) -%}
    to_date(from_utc_timestamp({{ utc_timestamp }}, '{{ tz }}'))
{%- endmacro %}

{#- DuckDB: a `timestamp` holds UTC, a `timestamptz` an instant (the public
    tables'); the cast makes both a UTC `timestamp` (the session's time zone
    is UTC, profiles.yml). -#}
{% macro duckdb__to_reporting_date(utc_timestamp, tz) -%}
    cast(timezone('{{ tz }}', timezone('UTC', cast({{ utc_timestamp }} as timestamp))) as date)
{%- endmacro %}
