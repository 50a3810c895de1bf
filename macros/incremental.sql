{#- Incremental helpers.

    `landed_since_last_run()`: for a model reading a raw table, the filter that
    keeps only the files landed after those it already holds (landings are
    immutable and file ids increase), so each landed row is typed once. -#}
{% macro landed_since_last_run(column='_file_id') -%}
    {%- if is_incremental() -%}
        where {{ column }} > (select coalesce(max(held.file_id), 0) from {{ this }} as held)
    {%- endif -%}
{%- endmacro %}

{#- Incremental current-state models (`stg_` models keeping one row per key).

    `and_key_changed_since_last_build(relation, keys, versioned)`: appended to
    the `where` of the rows read from `relation` (a base model), it keeps only
    the keys whose current state can have changed since the table was last
    built: keys with rows in files landed since then (file id above the
    table's `_loaded_through_file_id`) and, for versioned sources, keys with a
    version that has come into the as-of window since (updated at or after the
    last build's as-of moment). The model recomputes those keys from all their
    rows and `delete+insert` replaces them. Nothing in a full build.

    `current_state_bookkeeping(relation)`: the columns that record what a row
    was computed from, the next build's watermark. -#}
{% macro and_key_changed_since_last_build(relation, keys, versioned=true, time_column='updated_at') -%}
    {%- if is_incremental() %}
    and ({{ keys | join(', ') }}) in (
        select {{ keys | join(', ') }}
        from {{ relation }}
        where
            file_id > (select coalesce(max(held._loaded_through_file_id), 0) from {{ this }} as held)
            {%- if versioned %}
            or {{ time_column }} >= (
                select {{ local_midnight_to_utc('max(held._as_of_date) + 1', var('reporting_timezone', 'UTC')) }}
                from {{ this }} as held
            )
            {%- endif %}
    )
    {%- endif -%}
{%- endmacro %}

{% macro current_state_bookkeeping(relation) -%}
    {{ as_of_date() }} as _as_of_date,
    (select coalesce(max(landed.file_id), 0) from {{ relation }} as landed) as _loaded_through_file_id,
    {{ built_at() }}
{%- endmacro %}

{#- Incremental models downstream of those: the same entity (a financing, a
    collection) is rewritten whole when any of its rows upstream was.

    `built_at()`: the `_built_at` column, when this build (re)wrote the row.
    `touched_since_last_build(relation, key)`: the keys of the rows of
    `relation` (re)written since this model was last built, for
    `where key in (...)`; with `delete+insert` on that key, the model rewrites
    exactly those entities. In a full build, every key. -#}
{% macro built_at() -%}
    {{ built_at_value() }} as _built_at
{%- endmacro %}

{% macro built_at_value() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro %}

{% macro touched_since_last_build(relation, key) -%}
    select {{ key }}
    from {{ relation }}
    {%- if is_incremental() %}
    where _built_at > (select coalesce(max(held._built_at), cast('1970-01-01' as timestamp)) from {{ this }} as held)
    {%- endif %}
{%- endmacro %}

{#- `not_yet_held(key, held_key)`: for `where`, the rows whose `key` this
    table holds no row of yet (`held_key`, its column), in an incremental
    build: the financings whose offer landed after their transactions, which
    no transaction touched since (capital.md, "Transactions waiting for their
    offer"). `not exists`, not `not in`: Spark plans `not in` as a nested loop
    join. -#}
{% macro not_yet_held(key, held_key) -%}
    not exists (select 1 from {{ this }} as held where held.{{ held_key }} = {{ key }})
{%- endmacro %}

{#- financing_balances' post-hook: delete the days past a financing's (new) last
    day, in an incremental build. Spark has no delete: there the rewrite
    replaces every held day of a financing from its first rewritten one
    (`replaces_from`, macros/rewrite.sql), which covers these. -#}
{% macro balance_days_after_end_deleted(financings) -%}
    {{ return(adapter.dispatch('balance_days_after_end_deleted', 'club_warehouse')(financings)) }}
{%- endmacro %}

{% macro default__balance_days_after_end_deleted(financings) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as kept using {{ financings }} as financings
        where kept.financing_offer = financings.financing_offer_id
        and kept.effective_date_utc > financings.end_date
    {%- endif -%}
{%- endmacro %}

{% macro spark__balance_days_after_end_deleted(financings) -%}
{%- endmacro %}
