{#- The incremental build of the club collections.

    Everything the collections models compute stays within one collection (a
    participant, its payer, their transactions and links share it), so a
    collections model is `delete+insert` on `collection_id` (the link models
    on `collection_key`: the collection of the transaction, else of the
    participant, else '' for links that name neither) and a build rewrites
    only the collections touched since the model was last built:

    - a staged row of the collection was (re)written (`_built_at`): the
      collection, a rate, a payer, a participant, a transaction, a link;
    - a row it names from another collection was (a participant's rate, a
      transaction's payer: the rejection reason names them), or a link naming
      one of its transactions or participants was;
    - a transaction it links to was landed since (a link to a transaction not
      yet known at the as-of moment is pending, then becomes known);
    - a transfer of its club was (the summary carries the club's transfers);
    - always the '' bucket of links attached to nothing.

    `in_touched_collections(column)`: `column in (those keys)`, or `true` in a
    full build. -#}
{% macro in_touched_collections(column) -%}
    {#- rendered in every build, so that dbt sees the refs when it parses; not in
        a unit test, whose given inputs are only the model's own reads -#}
    {%- if model.resource_type != 'unit_test' -%}
        {%- set touched = touched_collections() -%}
    {%- endif -%}
    {%- if is_incremental() -%}
        {{ column }} in (select touched.collection_id from {{ touched_collections_table() }} as touched)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook of an incremental collections model: the touched keys are
    computed once into a table of the intermediate schema (so that the hook
    and the model read the same set), then their rows deleted; the model
    appends them again, whole. A key whose rows moved to another key, or are
    gone, is emptied all the same. -#}
{% macro touched_collections_hooks(column) -%}
    {%- if is_incremental() -%}
        {%- do run_query('create or replace table ' ~ touched_collections_table() ~ ' as ' ~ touched_collections()) -%}
        delete from {{ this }} where {{ column }} in (
            select touched.collection_id from {{ touched_collections_table() }} as touched
        )
    {%- endif -%}
{%- endmacro %}

{% macro touched_collections_table() -%}
    {{ api.Relation.create(database=this.database, schema=generate_schema_name('intermediate', model), identifier=this.identifier ~ '__touched') }}
{%- endmacro %}

{% macro touched_collections() -%}
    {%- set since -%}
        (select coalesce(max(held._built_at), cast('1970-01-01' as timestamp)) from {{ this }} as held)
    {%- endset -%}
    {%- set collections = ref('stg_club_payments__collections') -%}
    {%- set rates = ref('stg_club_payments__rates') -%}
    {%- set payers = ref('stg_club_payments__payers') -%}
    {%- set participants = ref('stg_club_payments__participants') -%}
    {%- set transactions = ref('stg_club_payments__transactions') -%}
    {%- set links = ref('stg_club_payments__transaction_participants') -%}
    {%- set transfers = ref('stg_club_payments__transfers') -%}
    {%- set landed_transactions = ref('base_club_payments__transactions') -%}
    select touched.collection_id from (
        select collection_id from {{ collections }} where _built_at > {{ since }}
        union all
        select collection_id from {{ rates }} where _built_at > {{ since }}
        union all
        select collection_id from {{ payers }} where _built_at > {{ since }}
        union all
        select collection_id from {{ participants }}
        where
            _built_at > {{ since }}
            or rate_id in (select rate_id from {{ rates }} where _built_at > {{ since }})
        union all
        select collection_id from {{ transactions }}
        where
            _built_at > {{ since }}
            or payer_id in (select payer_id from {{ payers }} where _built_at > {{ since }})
        union all
        select collection_id from {{ transactions }}
        where transaction_id in (
            select transaction_id from {{ links }}
            where
                _built_at > {{ since }}
                or participant_id in (select participant_id from {{ participants }} where _built_at > {{ since }})
        )
        union all
        select collection_id from {{ participants }}
        where participant_id in (
            select participant_id from {{ links }}
            where
                _built_at > {{ since }}
                or transaction_id in (select transaction_id from {{ transactions }} where _built_at > {{ since }})
                or transaction_id in (select transaction_id from {{ landed_transactions }} where landed_at > {{ since }})
        )
        union all
        select collection_id from {{ collections }}
        where account_id in (select account_id from {{ transfers }} where _built_at > {{ since }})
        union all
        select ''
    ) as touched
{%- endmacro %}
