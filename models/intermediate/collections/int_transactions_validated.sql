-- Every staged transaction, checked against the rows it names, with its fee
-- and collected amount under its collection's fee model and the participants
-- it pays for. `rejection_reason` is the first rule between rows it breaks
-- (unknown collection, unknown payer, payer of another collection, no
-- participant), or null; rejected transactions reach no mart, and take their
-- link rows with them (see int_transaction_participants_validated).
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

    select * from {{ ref('stg_club_payments__transactions') }}
    where {{ in_changed_collections('collection_id', changed) }}

),


collections as (

    select * from {{ ref('stg_club_payments__collections') }}

),

payers as (

    select * from {{ ref('stg_club_payments__payers') }}

),

links as (

    select * from {{ ref('int_transaction_participants_joined') }}
    where {{ in_changed_collections('collection_key', changed) }}

),

-- The participants a transaction pays for: link rows naming an existing,
-- non-rejected participant of the transaction's collection.
transaction_participants as (

    select
        transaction_id,
        count(*) as participant_count,
        {{ sorted_list('participant_id') }} as participant_ids
    from links
    where is_transaction_known and participant_issue is null
    group by transaction_id

),

checked as (

    select
        transactions.transaction_id,
        transactions.collection_id,
        collections.account_id,
        transactions.payer_id,
        transactions.status,
        transactions.amount,
        collections.fee_model,
        collections.commission_rate,
        case
            when collections.fee_model = 'club_commission'
                then {{ apply_rate('transactions.amount', 'collections.commission_rate') }}
            when collections.fee_model = 'tip' then 0
        end as fee_amount,
        transactions.tip_amount,
        collections.currency,
        transactions.scheduled_for,
        transactions.paid_at,
        transactions.failed_at,
        transactions.installment_number,
        transactions.installment_count,
        coalesce(transaction_participants.participant_count, 0) as participant_count,
        transaction_participants.participant_ids,
        transactions.updated_at,
        transactions.source_file,
        transactions.landed_at,
        transactions.file_id,
        transactions.row_number,
        {{ built_at() }},
        case
            when collections.collection_id is null
                then
                    'collection_id ''' || transactions.collection_id
                    || ''' is unknown (not landed, or its row was rejected)'
            when payers.payer_id is null
                then
                    'payer_id ''' || transactions.payer_id
                    || ''' is unknown (not landed, or its row was rejected)'
            when payers.collection_id <> transactions.collection_id
                then
                    'payer_id ''' || transactions.payer_id || ''' belongs to collection '''
                    || payers.collection_id || ''', not to the transaction''s collection '''
                    || transactions.collection_id || ''''
            when transaction_participants.transaction_id is null
                then
                    'no participant: no transaction_participants row names an existing, '
                    || 'non-rejected participant of its collection'
        end as rejection_reason
    from transactions
    left join collections
        on transactions.collection_id = collections.collection_id
    left join payers
        on transactions.payer_id = payers.payer_id
    left join transaction_participants
        on transactions.transaction_id = transaction_participants.transaction_id

),

priced as (

    select
        *,
        amount - fee_amount as collected_amount
    from checked

),

{{ rejected_records_ctes('priced', ref('base_club_payments__transactions')) }}

select * from with_records
