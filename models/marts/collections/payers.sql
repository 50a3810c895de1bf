-- collections.payers: one row per payer with at least one transaction, its
-- cart, its figures and its status.
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

payers as (

    select * from {{ ref('int_payers_aggregated') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

final as (

    select
        payer_id,
        collection_id,
        account_id,
        payer_status,
        participant_count,
        amount_due,
        amount_paid,
        amount_collected,
        fee_amount,
        tip_amount,
        amount_scheduled,
        amount_failed,
        currency,
        fee_model,
        first_name,
        last_name,
        email,
        transaction_count,
        paid_transaction_count,
        failed_transaction_count,
        upcoming_transaction_count,
        first_scheduled_for,
        {{ as_instant('last_paid_at') }} as last_paid_at,
        {{ as_instant('created_at') }} as created_at,
        {{ as_instant(built_at_value()) }} as _built_at
    from payers

)

select * from final
