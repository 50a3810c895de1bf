{#- The as-of rule: a build reports the state at the end of `as_of_date`, the
    day ending at midnight in `reporting_timezone`. The date is, in this order:
    the var `as_of_date` (`dbt build --vars '{as_of_date: ...}'`, the unit
    tests' overrides, the spark target); the one row of `control.build_request`
    that `scripts/wh` writes before it runs dbt (read when the model compiles,
    so that the date never enters the parsed project: a var that changes every
    night would make dbt parse every file again); today. -#}

{% macro as_of_date() -%}
    {%- set day = var('as_of_date', none) -%}
    {%- if not day and execute -%}
        {%- set day = requested_as_of_date() -%}
    {%- endif -%}
    {%- if not day -%}
        {%- set tz = modules.pytz.timezone(var('reporting_timezone', 'UTC')) -%}
        {%- set day = modules.datetime.datetime.now(tz).strftime('%Y-%m-%d') -%}
    {%- endif -%}
    cast('{{ day | string }}' as date)
{%- endmacro %}

{#- The as-of date `scripts/wh` asked for (`control.build_request`), or none:
    no such table, or no date in it (`wh build` without `--as-of`: today). -#}
{% macro requested_as_of_date() -%}
    {%- set request = adapter.get_relation(database=target.database, schema='control', identifier='build_request') -%}
    {%- if request is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set day = run_query('select max(request.as_of_date) from ' ~ request ~ ' as request').columns[0].values()[0] -%}
    {{ return(day | string if day else none) }}
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
