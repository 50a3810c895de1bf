-- Which payer each participant belongs to: one row per (participant, payer)
-- pair named together by valid transactions. A participant named by
-- transactions of two payers keeps the payer of its earliest transaction (by
-- `scheduled_for`, then `transaction_id`; a transaction without a date comes
-- last): `is_kept_payer`. The other pairs are audit findings
-- (`audit.collection_findings`), and the participant is not in those payers'
-- carts; their transactions still count in their own figures.
-- Incremental: a build rewrites the collections changed since its last build
-- (int_collections_changed_tonight, macros/collections.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('append'),
    replaces_changed_collections='collection_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
    pre_hook="{{ changed_collections_hooks('collection_id', ref('int_collections_changed_tonight')) }}",
) }}
{%- set changed = ref('int_collections_changed_tonight') %}
with

links as (

    select * from {{ ref('int_transaction_participants_validated') }}
    where rejection_reason is null and {{ in_changed_collections('collection_id', changed) }}

),

-- The earliest transaction of each (participant, payer) pair.
pairs as (

    select
        participant_id,
        payer_id,
        collection_id,
        transaction_id as first_transaction_id,
        scheduled_for as first_scheduled_for,
        source_file,
        count(*) over (partition by participant_id, payer_id) as transaction_count
    from links
    qualify row_number() over (
        partition by participant_id, payer_id
        order by scheduled_for asc nulls last, transaction_id asc
    ) = 1

),

ranked as (

    select
        participant_id,
        payer_id,
        collection_id,
        first_transaction_id,
        first_scheduled_for,
        transaction_count,
        source_file,
        row_number() over (
            partition by participant_id
            order by first_scheduled_for asc nulls last, first_transaction_id asc
        ) as payer_rank,
        count(*) over (partition by participant_id) as payer_count
    from pairs

),

resolved as (

    select
        participant_id,
        payer_id,
        collection_id,
        first_transaction_id,
        first_scheduled_for,
        transaction_count,
        source_file,
        payer_rank,
        payer_count,
        payer_rank = 1 as is_kept_payer,
        first_value(payer_id) over (
            partition by participant_id order by payer_rank
        ) as kept_payer_id,
        first_value(first_transaction_id) over (
            partition by participant_id order by payer_rank
        ) as kept_first_transaction_id,
        {{ built_at() }}
    from ranked

)

select * from resolved
