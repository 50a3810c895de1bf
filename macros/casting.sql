{#- Casts from landed text. Every raw column is text; these give NULL when
    the text is not of the type, and the staging `rejection_reason` says why. -#}

{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- An integer in minor units: digits only (DuckDB would round `12.5`). -#}
{% macro parse_integer(field) -%}
    case
        when regexp_full_match(trim({{ field }}), '-?[0-9]+')
            then {{ dbt.safe_cast('trim(' ~ field ~ ')', api.Column.translate_type('bigint')) }}
    end
{%- endmacro %}

{% macro parse_decimal(field) -%}
    case
        when regexp_full_match(trim({{ field }}), '-?[0-9]+(\.[0-9]+)?')
            then {{ dbt.safe_cast('trim(' ~ field ~ ')', 'decimal(18, 9)') }}
    end
{%- endmacro %}

{% macro parse_boolean(field) -%}
    case lower(trim({{ field }})) when 'true' then true when 'false' then false end
{%- endmacro %}

{% macro parse_date(field) -%}
    case
        when regexp_full_match(trim({{ field }}), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
            then {{ dbt.safe_cast('trim(' ~ field ~ ')', 'date') }}
    end
{%- endmacro %}

{#- ISO 8601 with an offset or `Z`, as the contract says; returned as a UTC
    timestamp without time zone. Anything else is NULL (and rejected). -#}
{% macro parse_iso_timestamp(field) -%}
    case
        when regexp_full_match(
            trim({{ field }}),
            '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)'
        )
            then {{ utc_from_timestamptz(dbt.safe_cast('trim(' ~ field ~ ')', 'timestamptz')) }}
    end
{%- endmacro %}

{% macro utc_from_timestamptz(expr) -%}
    {{ return(adapter.dispatch('utc_from_timestamptz', 'club_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__utc_from_timestamptz(expr) -%}
    cast({{ expr }} as timestamp)
{%- endmacro %}

{% macro duckdb__utc_from_timestamptz(expr) -%}
    timezone('UTC', {{ expr }})
{%- endmacro %}

{#- Unix seconds (the provider's timestamps) to a UTC timestamp. -#}
{% macro from_unix_seconds(expr) -%}
    {{ return(adapter.dispatch('from_unix_seconds', 'club_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__from_unix_seconds(expr) -%}
    cast(from_unixtime({{ expr }}) as timestamp)
{%- endmacro %}

{% macro duckdb__from_unix_seconds(expr) -%}
    timezone('UTC', to_timestamp({{ expr }}))
{%- endmacro %}
