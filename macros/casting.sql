{#- Casts from landed text. Every raw column is text; these give NULL when
    the text is not of the type, and the staging `rejection_reason` says why. -#}

{% macro duckdb__safe_cast(field, type) -%}
    try_cast({{ field }} as {{ type }})
{%- endmacro %}

{#- Whether the whole text matches the regular expression `pattern` (given as
    it is written, not as a SQL literal). DuckDB: RE2's full match; Spark: a
    Java regex anchored at both ends (`\z`, not `$`, which would also match
    before a final newline), its backslashes doubled for Spark's literals. -#}
{% macro regex_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'club_warehouse')(text, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regex_full_match(text, pattern) -%}
    ({{ text }} rlike '^(?:{{ pattern | replace('\\', '\\\\') }})\\z')
{%- endmacro %}

{#- An integer in minor units: digits only (DuckDB would round `12.5`). -#}
{% macro parse_integer(field) -%}
    case
        when {{ regex_full_match('trim(' ~ field ~ ')', '-?[0-9]+') }}
            then {{ dbt.safe_cast('trim(' ~ field ~ ')', api.Column.translate_type('bigint')) }}
    end
{%- endmacro %}

{% macro parse_decimal(field) -%}
    case
        when {{ regex_full_match('trim(' ~ field ~ ')', '-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]{1,2})?') }}
            then {{ dbt.safe_cast('trim(' ~ field ~ ')', 'decimal(18, 9)') }}
    end
{%- endmacro %}

{% macro parse_boolean(field) -%}
    case lower(trim({{ field }})) when 'true' then true when 'false' then false end
{%- endmacro %}

{% macro parse_date(field) -%}
    case
        when {{ regex_full_match('trim(' ~ field ~ ')', '[0-9]{4}-[0-9]{2}-[0-9]{2}') }}
            then {{ dbt.safe_cast('trim(' ~ field ~ ')', 'date') }}
    end
{%- endmacro %}

{#- ISO 8601 with an offset or `Z`, as the contract says; returned as a UTC
    timestamp without time zone. Anything else is NULL (and rejected). -#}
{% macro parse_iso_timestamp(field) -%}
    case
        when {{ regex_full_match(
            'trim(' ~ field ~ ')',
            '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)'
        ) }}
            then {{ utc_from_timestamptz(timestamptz_from_text('trim(' ~ field ~ ')')) }}
    end
{%- endmacro %}

{#- ISO 8601 text with an offset to the engine's instant type, NULL when it is
    not a valid time. DuckDB: `timestamptz`. Spark: `timestamp` (an instant,
    shown in the session time zone, UTC in profiles.yml); Spark's cast wants
    the seconds, so `hh:mm` gets `:00`. -#}
{% macro timestamptz_from_text(text) -%}
    {{ return(adapter.dispatch('timestamptz_from_text', 'club_warehouse')(text)) }}
{%- endmacro %}

{% macro default__timestamptz_from_text(text) -%}
    {{ dbt.safe_cast(text, 'timestamptz') }}
{%- endmacro %}

{% macro spark__timestamptz_from_text(text) -%}
    cast(regexp_replace({{ text }}, '^([^T ]+[T ][0-9]{2}:[0-9]{2})([^:0-9]|$)', '$1:00$2') as timestamp)
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

{% macro spark__from_unix_seconds(expr) -%}
    timestamp_seconds({{ expr }})
{%- endmacro %}

{% macro duckdb__from_unix_seconds(expr) -%}
    timezone('UTC', to_timestamp({{ expr }}))
{%- endmacro %}

{#- Unix seconds as the provider writes them: an integer, or a number with a
    fraction (`expires_after` is a float, `1696464000.0`; Spark's JSON reader
    gives such a number as `1.696464E9`, so an exponent is read too), floored
    to the second. At most 15 integer digits (anything longer is no time at all);
    the range check of macros/limits.sql rejects milliseconds. -#}
{% macro parse_unix_seconds(field) -%}
    case
        when {{ regex_full_match('trim(' ~ field ~ ')', '-?[0-9]{1,15}(\.[0-9]+)?([eE][+-]?[0-9]{1,2})?') }}
            then cast(floor({{ dbt.safe_cast('trim(' ~ field ~ ')', 'decimal(24, 9)') }}) as bigint)
    end
{%- endmacro %}
