{#- Helpers of the provider's Sigma tables (sigma_schema.md). -#}

{#- A UTC timestamp (the models' internal time type) as an instant,
    `timestamptz`, so that `x at time zone 'Europe/Paris'` gives Paris wall
    time as it does in Sigma. Spark's `timestamp` is already an instant. -#}
{% macro as_instant(expr) -%}
    {{ return(adapter.dispatch('as_instant', 'club_warehouse')(expr)) }}
{%- endmacro %}

{% macro default__as_instant(expr) -%}
    {{ expr }}
{%- endmacro %}

{% macro duckdb__as_instant(expr) -%}
    timezone('UTC', {{ expr }})
{%- endmacro %}

{#- `batch_timestamp` (sigma_schema.md): when the build that last changed the
    row wrote it, unchanged while the row is unchanged. `batch_timestamp_ctes`
    adds the CTE `with_batch_timestamp`: every column of `content` (the row as
    published, without bookkeeping columns), `_row_hash` (a hash of that
    row) and `batch_timestamp`: the previous build's, looked up in the table
    as it stands by `key`, when the row's hash is the same, else this build's
    start. The model ends with `select * from with_batch_timestamp`. On an
    engine that cannot read the table it is rewriting (Spark's parquet
    tables), and on the first build, every row has this build's start. -#}
{% macro batch_timestamp_ctes(content, key) -%}
    {{ return(adapter.dispatch('batch_timestamp_ctes', 'club_warehouse')(content, key)) }}
{%- endmacro %}

{% macro default__batch_timestamp_ctes(content, key) -%}
with_batch_timestamp as (

    select
        {{ content }}.*,
        cast(null as bigint) as _row_hash,
        {{ as_instant(built_at_value()) }} as batch_timestamp
    from {{ content }}

)
{%- endmacro %}

{% macro duckdb__batch_timestamp_ctes(content, key) -%}
    {%- set keys = [key] if key is string else key -%}
    {%- set previous = none -%}
    {%- if execute and this is not none -%}
        {%- set relation = adapter.get_relation(this.database, this.schema, this.identifier) -%}
        {%- if relation is not none and not flags.FULL_REFRESH -%}
            {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
            {%- if '_row_hash' in names and 'batch_timestamp' in names -%}
                {%- set previous = relation -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
hashed as (

    select
        {{ content }}.*,
        hash({{ content }}) as _row_hash
    from {{ content }}

),

with_batch_timestamp as (

    select
        hashed.*,
        {%- if previous is not none %}
        case
            when previous._row_hash = hashed._row_hash then previous.batch_timestamp
            else {{ as_instant(built_at_value()) }}
        end as batch_timestamp
    from hashed
    left join {{ previous }} as previous
        on {% for column in keys %}{{ 'and ' if not loop.first }}hashed.{{ column }} = previous.{{ column }}{% endfor %}
        {%- else %}
        {{ as_instant(built_at_value()) }} as batch_timestamp
    from hashed
        {%- endif %}

)
{%- endmacro %}
