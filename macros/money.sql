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
