-- collections.participants: every participant that keeps the contract, with
-- what it owes, its payer (once a transaction names it) and its status.
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

participants as (

    select * from {{ ref('int_participants_validated') }}
    where rejection_reason is null and {{ in_changed_collections('collection_id', changed) }}

),

participant_payers as (

    select * from {{ ref('int_participant_payers_resolved') }}
    where is_kept_payer and {{ in_changed_collections('collection_id', changed) }}

),

payers as (

    select * from {{ ref('int_payers_aggregated') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

final as (

    select
        participants.participant_id,
        participants.collection_id,
        participants.account_id,
        participant_payers.payer_id,
        participants.rate_id,
        participants.rate_label,
        participants.amount_due,
        participants.currency,
        coalesce(payers.payer_status, 'unpaid') as participant_status,
        participants.form_status,
        participants.form_status_colour,
        participants.first_name,
        participants.last_name,
        participants.email,
        participants.is_guest,
        participants.has_parent_account,
        participants.is_missing_required_email,
        participants.member_id,
        participant_payers.first_transaction_id,
        coalesce(participant_payers.payer_count, 0) as payer_count,
        {{ as_instant('participants.form_first_viewed_at') }} as form_first_viewed_at,
        {{ as_instant('participants.form_completed_at') }} as form_completed_at,
        {{ as_instant('participants.created_at') }} as created_at,
        {{ as_instant('participants.updated_at') }} as updated_at,
        {{ as_instant(built_at_value()) }} as _built_at
    from participants
    left join participant_payers
        on participants.participant_id = participant_payers.participant_id
    left join payers
        on participant_payers.payer_id = payers.payer_id

)

select * from final
