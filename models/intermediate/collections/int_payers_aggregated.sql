-- One row per payer with at least one valid transaction: its cart (the
-- participants it keeps, see int_participant_payers_resolved), what it owes,
-- its figures over its transactions and its status by the contract's
-- precedence: paid > failed > upcoming > in_progress.
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

    select * from {{ ref('stg_club_payments__payers') }}

),

transactions as (

    select * from {{ ref('int_transactions_validated') }}
    where rejection_reason is null and {{ in_changed_collections('collection_id', changed) }}

),

participant_payers as (

    select * from {{ ref('int_participant_payers_resolved') }}
    where is_kept_payer and {{ in_changed_collections('collection_id', changed) }}

),

participants as (

    select * from {{ ref('int_participants_validated') }}
    where rejection_reason is null and {{ in_changed_collections('collection_id', changed) }}

),

transaction_figures as (

    select
        payer_id,
        any_value(collection_id) as collection_id,
        any_value(account_id) as account_id,
        any_value(currency) as currency,
        any_value(fee_model) as fee_model,
        count(*) as transaction_count,
        count(*) filter (where status = 'paid') as paid_transaction_count,
        count(*) filter (where status = 'failed') as failed_transaction_count,
        count(*) filter (where status = 'upcoming') as upcoming_transaction_count,
        cast(coalesce(sum(amount) filter (where status = 'paid'), 0) as bigint) as amount_paid,
        cast(coalesce(sum(collected_amount) filter (where status = 'paid'), 0) as bigint) as amount_collected,
        cast(coalesce(sum(fee_amount) filter (where status = 'paid'), 0) as bigint) as fee_amount,
        cast(coalesce(sum(tip_amount) filter (where status = 'paid'), 0) as bigint) as tip_amount,
        cast(coalesce(sum(amount) filter (where status = 'upcoming'), 0) as bigint) as amount_scheduled,
        cast(coalesce(sum(amount) filter (where status = 'failed'), 0) as bigint) as amount_failed,
        min(scheduled_for) as first_scheduled_for,
        max(paid_at) as last_paid_at
    from transactions
    group by payer_id

),

carts as (

    select
        participant_payers.payer_id,
        count(*) as participant_count,
        cast(sum(participants.amount_due) as bigint) as amount_due
    from participant_payers
    inner join participants
        on participant_payers.participant_id = participants.participant_id
    group by participant_payers.payer_id

),

aggregated as (

    select
        transaction_figures.payer_id,
        transaction_figures.collection_id,
        transaction_figures.account_id,
        payers.first_name,
        payers.last_name,
        payers.email,
        payers.created_at,
        transaction_figures.currency,
        transaction_figures.fee_model,
        coalesce(carts.participant_count, 0) as participant_count,
        coalesce(carts.amount_due, 0) as amount_due,
        transaction_figures.amount_paid,
        transaction_figures.amount_collected,
        transaction_figures.fee_amount,
        transaction_figures.tip_amount,
        transaction_figures.amount_scheduled,
        transaction_figures.amount_failed,
        transaction_figures.transaction_count,
        transaction_figures.paid_transaction_count,
        transaction_figures.failed_transaction_count,
        transaction_figures.upcoming_transaction_count,
        transaction_figures.first_scheduled_for,
        transaction_figures.last_paid_at,
        {{ built_at() }}
    from transaction_figures
    inner join payers
        on transaction_figures.payer_id = payers.payer_id
    left join carts
        on transaction_figures.payer_id = carts.payer_id

),

statused as (

    select
        *,
        case
            when amount_paid >= amount_due then 'paid'
            when failed_transaction_count > 0 then 'failed'
            when upcoming_transaction_count > 0 then 'upcoming'
            else 'in_progress'
        end as payer_status
    from aggregated

)

select * from statused
