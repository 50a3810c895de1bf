{#- Money helpers. Amounts are integer minor units everywhere in the models. -#}

{#- Round an exact decimal to an integer, halves away from zero (12.5 -> 13,
    -12.5 -> -13), the rounding the contract asks for commission and revenue
    share. Written out so that no engine's own `round` convention (banker's
    rounding, float representation) can change a cent. -#}
{% macro round_half_away_from_zero(expr) -%}
    cast(sign({{ expr }}) * floor(abs({{ expr }}) + 0.5) as bigint)
{%- endmacro %}

{#- An integer amount times a decimal rate, exactly, rounded to the minor unit.
    The operand types keep the product exact on every engine: Spark caps a
    decimal's precision at 38 and would drop scale from decimal(38, 9) ×
    decimal(38, 9); decimal(18, 0) × decimal(18, 9) fits (amounts below 10^18). -#}
{% macro apply_rate(amount, rate) -%}
    {{ round_half_away_from_zero('cast(' ~ amount ~ ' as decimal(18, 0)) * cast(' ~ rate ~ ' as decimal(18, 9))') }}
{%- endmacro %}

{#- `numerator / denominator` (integers, denominator > 0) to `digits`
    decimals, halves away from zero, exactly: DuckDB divides decimals in
    double precision and rounds the double (1026 s / 3600 = 0.285 h gave
    0.28). The rounded quotient is an integer count of 10^-digits (the double
    division's floor is exact far below 2^53), scaled by a decimal literal. -#}
{% macro divide_half_away_from_zero(numerator, denominator, digits) -%}
    {%- set unit = '1' if digits == 0 else '0.' ~ '0' * (digits - 1) ~ '1' -%}
    cast(
        cast(
            sign({{ numerator }})
            * floor((2 * abs({{ numerator }}) * {{ 10 ** digits }} + {{ denominator }}) / (2 * {{ denominator }}))
            as decimal(36, 0)
        ) * {{ unit }}
        as decimal(38, {{ digits }})
    )
{%- endmacro %}
