{#- The incremental build of the club collections.

    Everything the collections models compute stays within one collection (a
    participant, its payer, their transactions and links share it), so a
    collections model is rebuilt by collection (the link models by
    `collection_key`: the collection of the transaction, else of the
    participant, else '' for links that name neither). Which collections
    changed is a model of its own, `int_collections_changed_tonight` (the
    rules that widen a change are written there, once): every incremental
    collections model `ref()`s it, and rewrites whole the keys it holds with a
    `_built_at` after the model's own last build.

    `in_changed_collections(column, changed)`: `column in (those keys)`, or
    `true` in a full build; `changed` is `ref('int_collections_changed_tonight')`.
    `changed_collections_hooks(column, changed)`: the pre-hook that deletes the
    rows of those keys; the model appends them again, whole. A key whose rows
    moved to another key, or are gone, is emptied all the same (a delete by the
    new rows' keys, `delete+insert`, would miss it). -#}
{% macro in_changed_collections(column, changed) -%}
    {%- if is_incremental() -%}
        {{ column }} in (
            select changed.collection_id from {{ changed }} as changed
            where changed._built_at > {{ last_built_at() }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro changed_collections_hooks(column, changed) -%}
    {{ return(adapter.dispatch('changed_collections_hooks', 'club_warehouse')(column, changed)) }}
{%- endmacro %}

{% macro default__changed_collections_hooks(column, changed) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_changed_collections(column, changed) }}
    {%- endif -%}
{%- endmacro %}

{#- Spark has no delete: the model's rewrite replaces those rows
    (`replaces_changed_collections`, macros/rewrite.sql). -#}
{% macro spark__changed_collections_hooks(column, changed) -%}
{%- endmacro %}

{#- When this model's rows were last (re)written, as a literal read when the
    model compiles: the model's query and its pre-hook (which runs after the
    compilation, before the query) see the same keys, although the hook's
    delete can lower the table's `max(_built_at)`. -#}
{% macro last_built_at() -%}
    {%- set held = none -%}
    {%- if execute -%}
        {%- set held = run_query('select max(held._built_at) from ' ~ this ~ ' as held').columns[0].values()[0] -%}
    {%- endif -%}
    cast('{{ held.strftime("%Y-%m-%d %H:%M:%S.%f") if held else "1970-01-01 00:00:00" }}' as timestamp)
{%- endmacro %}
