-- collections.collection_summary: one row per collection, its participants by
-- status and its figures, built from the public tables so that they add up;
-- plus the transfers of its club (transfers are per club, not per collection).
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

collections as (

    select * from {{ ref('stg_club_payments__collections') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

participants as (

    select * from {{ ref('participants') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

payers as (

    select * from {{ ref('payers') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

transfers as (

    select * from {{ ref('transfers') }}
    where account_id in (select collections.account_id from collections)

),

participant_counts as (

    select
        collection_id,
        count(*) as participants,
        count(*) filter (where participant_status = 'unpaid') as participants_unpaid,
        count(*) filter (where participant_status = 'in_progress') as participants_in_progress,
        count(*) filter (where participant_status = 'upcoming') as participants_upcoming,
        count(*) filter (where participant_status = 'failed') as participants_failed,
        count(*) filter (where participant_status = 'paid') as participants_paid,
        count(*) filter (where form_status = 'complete') as participants_form_complete,
        count(*) filter (where is_missing_required_email) as participants_missing_required_email,
        cast(sum(amount_due) as bigint) as amount_due
    from participants
    group by collection_id

),

payer_figures as (

    select
        collection_id,
        count(*) as payers,
        cast(sum(amount_paid) as bigint) as amount_paid,
        cast(sum(amount_collected) as bigint) as amount_collected,
        cast(sum(fee_amount) as bigint) as fee_amount,
        cast(sum(tip_amount) as bigint) as tip_amount,
        cast(sum(amount_scheduled) as bigint) as amount_scheduled,
        cast(sum(amount_failed) as bigint) as amount_failed
    from payers
    group by collection_id

),

club_transfers as (

    select
        account_id,
        currency,
        cast(sum(amount) as bigint) as club_amount_transferred,
        cast(coalesce(sum(amount) filter (where status = 'delivered'), 0) as bigint) as club_amount_delivered,
        cast(coalesce(sum(amount) filter (where status = 'sent'), 0) as bigint) as club_amount_in_transit
    from transfers
    group by account_id, currency

),

final as (

    select
        collections.collection_id,
        collections.account_id,
        collections.collection_name,
        collections.kind,
        collections.fee_model,
        collections.commission_rate,
        collections.currency,
        {{ as_instant('collections.opened_at') }} as opened_at,
        {{ as_instant('collections.closes_at') }} as closes_at,
        coalesce(participant_counts.participants, 0) as participants,
        coalesce(participant_counts.participants_paid, 0) as participants_paid,
        coalesce(participant_counts.participants_unpaid, 0) as participants_unpaid,
        coalesce(participant_counts.participants_in_progress, 0) as participants_in_progress,
        coalesce(participant_counts.participants_upcoming, 0) as participants_upcoming,
        coalesce(participant_counts.participants_failed, 0) as participants_failed,
        coalesce(participant_counts.participants_form_complete, 0) as participants_form_complete,
        coalesce(participant_counts.participants_missing_required_email, 0) as participants_missing_required_email,
        coalesce(payer_figures.payers, 0) as payers,
        coalesce(participant_counts.amount_due, 0) as amount_due,
        coalesce(payer_figures.amount_paid, 0) as amount_paid,
        coalesce(payer_figures.amount_collected, 0) as amount_collected,
        coalesce(payer_figures.fee_amount, 0) as fee_amount,
        coalesce(payer_figures.tip_amount, 0) as tip_amount,
        coalesce(payer_figures.amount_scheduled, 0) as amount_scheduled,
        coalesce(payer_figures.amount_failed, 0) as amount_failed,
        coalesce(club_transfers.club_amount_transferred, 0) as club_amount_transferred,
        coalesce(club_transfers.club_amount_delivered, 0) as club_amount_delivered,
        coalesce(club_transfers.club_amount_in_transit, 0) as club_amount_in_transit,
        {{ as_instant(built_at_value()) }} as _built_at
    from collections
    left join participant_counts
        on collections.collection_id = participant_counts.collection_id
    left join payer_figures
        on collections.collection_id = payer_figures.collection_id
    left join club_transfers
        on
            collections.account_id = club_transfers.account_id
            and collections.currency = club_transfers.currency

)

select * from final
