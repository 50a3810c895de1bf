-- collections.transactions: the current state of every transaction that keeps
-- the contract, with its fee and collected amount and its participants.
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

transactions as (

    select * from {{ ref('int_transactions_validated') }}
    where rejection_reason is null and {{ in_changed_collections('collection_id', changed) }}

),

final as (

    select
        transaction_id,
        collection_id,
        account_id,
        payer_id,
        status,
        amount,
        fee_amount,
        collected_amount,
        tip_amount,
        currency,
        fee_model,
        commission_rate,
        scheduled_for,
        {{ as_instant('paid_at') }} as paid_at,
        {{ as_instant('failed_at') }} as failed_at,
        installment_number,
        installment_count,
        participant_count,
        participant_ids,
        {{ as_instant('updated_at') }} as updated_at,
        {{ as_instant(built_at_value()) }} as _built_at
    from transactions

)

select * from final
