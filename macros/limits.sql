{#- The landing contract's value limits (capital.md and collections.md,
    "Landing files"): a value outside them is a rejected row with its reason,
    never a failed build. Each check is a `when <broken> then '<reason>'` arm
    for `rejection_reason([...])`. -#}

{#- An amount is below 10^15 minor units (in absolute value): every later
    cast and product (decimal(18, 0) × a rate) then fits. -#}
{% macro check_amount_in_limit(raw_column, parsed) -%}
    when abs({{ parsed }}) >= 1000000000000000
        then '{{ _label(raw_column) }} ' || {{ raw_column }} || ' is not below 10^15 minor units'
{%- endmacro %}

{#- A unix timestamp (seconds) is between 2000-01-01 and 2100-01-01: a
    millisecond value (13 digits) is out of range, not a date in year 58756. -#}
{% macro check_unix_seconds_in_range(raw_column, parsed) -%}
    when {{ parsed }} < 946684800 or {{ parsed }} >= 4102444800
        then '{{ _label(raw_column) }} ' || {{ raw_column }} || ' is not a unix time in seconds between 2000-01-01 and 2100-01-01'
{%- endmacro %}

{#- An ISO 8601 timestamp (parsed to UTC) is between 2000-01-01 and 2100-01-01. -#}
{% macro check_timestamp_in_range(raw_column, parsed) -%}
    when {{ parsed }} < cast('2000-01-01' as timestamp) or {{ parsed }} >= cast('2100-01-01' as timestamp)
        then '{{ _label(raw_column) }} ''' || {{ raw_column }} || ''' is not between 2000-01-01 and 2100-01-01'
{%- endmacro %}

{#- A currency (compared in lower case) is an ISO 4217 code. -#}
{% macro check_currency(raw_column, required=true) -%}
    {% if required %}{{ check_required(raw_column) }}
    {% endif -%}
    when nullif(trim({{ raw_column }}), '') is not null
        and lower(trim({{ raw_column }})) not in ('{{ iso_4217_currency_codes() | join("', '") }}')
        then '{{ _label(raw_column) }} ''' || {{ raw_column }} || ''' is not an ISO 4217 currency code'
{%- endmacro %}

{#- The ISO 4217 currency codes, lower case. -#}
{% macro iso_4217_currency_codes() -%}
    {{ return([
        'aud', 'bhd', 'cad', 'chf', 'clp', 'dkk', 'eur', 'gbp', 'jod', 'jpy', 'krw', 'kwd',
        'nok', 'omr', 'pln', 'sek', 'tnd', 'usd', 'vnd', 'xaf', 'xof',
    ]) }}
{%- endmacro %}
