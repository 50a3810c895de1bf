{#- Money helpers. Amounts are integer minor units everywhere in the models. -#}

{#- Round an exact decimal to an integer, halves away from zero (12.5 -> 13,
    -12.5 -> -13), the rounding the contract asks for commission and revenue
    share. Written out so that no engine's own `round` convention (banker's
    rounding, float representation) can change a cent. -#}
{% macro round_half_away_from_zero(expr) -%}
    cast(sign({{ expr }}) * floor(abs({{ expr }}) + 0.5) as bigint)
{%- endmacro %}

{#- An integer amount times a decimal rate, exactly, rounded to the minor unit. -#}
{% macro apply_rate(amount, rate) -%}
    {{ round_half_away_from_zero('cast(' ~ amount ~ ' as decimal(38, 9)) * cast(' ~ rate ~ ' as decimal(38, 9))') }}
{%- endmacro %}

{#- Minor-unit exponent of an ISO 4217 currency (lower case): 0 for the
    zero-decimal currencies, 3 for the three-decimal ones, else 2. Display
    layers divide by 10 ^ exponent; models never divide by 100. -#}
{% macro currency_exponent(currency) -%}
    case
        when {{ currency }} in (
            'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd',
            'vuv', 'xaf', 'xof', 'xpf'
        ) then 0
        when {{ currency }} in ('bhd', 'jod', 'kwd', 'omr', 'tnd') then 3
        else 2
    end
{%- endmacro %}
