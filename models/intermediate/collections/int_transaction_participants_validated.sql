-- Every link row of a transaction known at the as-of moment, with
-- `rejection_reason`: the first rule it breaks on the participant's side (see
-- int_transaction_participants_joined), else on the transaction's side (the
-- transaction is unknown, or rejected: its link rows go with it), or null.
-- Links of transactions not known yet (updated after the as-of moment) are
-- left out, as their transactions are.
-- Incremental: a build rewrites the collections changed since its last build
-- (int_collections_changed_tonight, macros/collections.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('append'),
    replaces_changed_collections='collection_key',
    rewrite_partition="pmod(xxhash64(collection_key), 16)",
    pre_hook="{{ changed_collections_hooks('collection_key', ref('int_collections_changed_tonight')) }}",
) }}
{%- set changed = ref('int_collections_changed_tonight') %}
with

links as (

    select * from {{ ref('int_transaction_participants_joined') }}
    where not is_transaction_pending and {{ in_changed_collections('collection_key', changed) }}

),

transactions as (

    select * from {{ ref('int_transactions_validated') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

validated as (

    select
        links.transaction_id,
        links.participant_id,
        transactions.collection_id,
        transactions.payer_id,
        transactions.scheduled_for,
        links.source_file,
        links.landed_at,
        links.file_id,
        links.row_number,
        links.collection_key,
        {{ built_at() }},
        coalesce(
            links.participant_issue,
            case
                when transactions.transaction_id is null
                    then
                        'transaction_id ''' || links.transaction_id
                        || ''' is unknown (not landed, or its row was rejected)'
                when transactions.rejection_reason is not null
                    then
                        'transaction_id ''' || links.transaction_id || ''' is rejected: '
                        || transactions.rejection_reason
            end
        ) as rejection_reason
    from links
    left join transactions
        on links.transaction_id = transactions.transaction_id

),

{{ rejected_records_ctes('validated', ref('base_club_payments__transaction_participants')) }}

select * from with_records
