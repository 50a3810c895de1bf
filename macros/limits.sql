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
    when not {{ unix_seconds_in_range(parsed) }}
        then '{{ _label(raw_column) }} ' || {{ raw_column }} || ' is not a unix time in seconds between 2000-01-01 and 2100-01-01'
{%- endmacro %}

{#- Whether unix seconds are within the limits (NULL for NULL). -#}
{% macro unix_seconds_in_range(parsed) -%}
    ({{ parsed }} >= 946684800 and {{ parsed }} < 4102444800)
{%- endmacro %}

{#- Unix seconds to a UTC timestamp (`from_unix_seconds`), NULL outside the
    limits, where `check_unix_seconds_in_range` rejects the row: DuckDB's
    conversion fails from 10^14 seconds on (a unix time in microseconds), and
    a rejected row's columns are computed too. -#}
{% macro from_unix_seconds_in_range(parsed) -%}
    case when {{ unix_seconds_in_range(parsed) }} then {{ from_unix_seconds(parsed) }} end
{%- endmacro %}

{#- An ISO 8601 timestamp (parsed to UTC), or a date, is between 2000-01-01 and 2100-01-01. -#}
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

{#- The current ISO 4217 currency codes, lower case: the 178 alphabetic codes of
    ISO 4217 List One ("current currency & funds code list", kept by SIX Group
    for ISO), funds and X codes (xau, xdr, xts, xxx, ...) included, every code
    without a withdrawal date in the open-data copy of the lists,
    github.com/datasets/currency-codes, data/codes-all.csv (updated 2026-02-01:
    bgn withdrawn 2026-01, ang 2025-03, sll 2023-12; xcg and xad added). Update
    it with the list's amendments (DECISIONLOG.md, "Row rules"). -#}
{% macro iso_4217_currency_codes() -%}
    {{ return([
        'aed', 'afn', 'all', 'amd', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt',
        'bhd', 'bif', 'bmd', 'bnd', 'bob', 'bov', 'brl', 'bsd', 'btn', 'bwp', 'byn', 'bzd',
        'cad', 'cdf', 'che', 'chf', 'chw', 'clf', 'clp', 'cny', 'cop', 'cou', 'crc', 'cup',
        'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp', 'ern', 'etb', 'eur', 'fjd', 'fkp',
        'gbp', 'gel', 'ghs', 'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf',
        'idr', 'ils', 'inr', 'iqd', 'irr', 'isk', 'jmd', 'jod', 'jpy', 'kes', 'kgs', 'khr',
        'kmf', 'kpw', 'krw', 'kwd', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'lyd',
        'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mru', 'mur', 'mvr', 'mwk', 'mxn',
        'mxv', 'myr', 'mzn', 'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd', 'omr', 'pab', 'pen',
        'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar', 'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd',
        'scr', 'sdg', 'sek', 'sgd', 'shp', 'sle', 'sos', 'srd', 'ssp', 'stn', 'svc', 'syp',
        'szl', 'thb', 'tjs', 'tmt', 'tnd', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx',
        'usd', 'usn', 'uyi', 'uyu', 'uyw', 'uzs', 'ved', 'ves', 'vnd', 'vuv', 'wst', 'xad',
        'xaf', 'xag', 'xau', 'xba', 'xbb', 'xbc', 'xbd', 'xcd', 'xcg', 'xdr', 'xof', 'xpd',
        'xpf', 'xpt', 'xsu', 'xts', 'xua', 'xxx', 'yer', 'zar', 'zmw', 'zwg'
    ]) }}
{%- endmacro %}
