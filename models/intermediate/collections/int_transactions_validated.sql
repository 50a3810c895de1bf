-- Every staged transaction, checked against the rows it names, with its fee
-- and collected amount under its collection's fee model and the participants
-- it pays for. `rejection_reason` is the first rule between rows it breaks
-- (unknown collection, unknown payer, payer of another collection, no
-- participant), or null; rejected transactions reach no mart, and take their
-- link rows with them (see int_transaction_participants_validated).
-- Incremental: a build rewrites the collections touched since (macros/collections.sql).
{{ config(
    materialized=incremental_or_table('delete+insert'),
    incremental_strategy='append',
    pre_hook="{{ touched_collections_hooks('collection_id') }}",
) }}
with

transactions as (

    select * from {{ ref('stg_club_payments__transactions') }}
    where {{ in_touched_collections('collection_id') }}

),

landed_transactions as (

    select * from {{ ref('base_club_payments__transactions') }}
    where rejection_reason is null

),

collections as (

    select * from {{ ref('stg_club_payments__collections') }}

),

payers as (

    select * from {{ ref('stg_club_payments__payers') }}

),

links as (

    select * from {{ ref('int_transaction_participants_joined') }}
    where {{ in_touched_collections('collection_key') }}

),

current_rows as (

    select
        landed_transactions.transaction_id,
        landed_transactions.row_number,
        landed_transactions.raw_record
    from landed_transactions
    inner join transactions
        on
            landed_transactions.transaction_id = transactions.transaction_id
            and landed_transactions.source_file = transactions.source_file
            and landed_transactions.landed_at = transactions.landed_at
            and landed_transactions.updated_at = transactions.updated_at
    qualify row_number() over (
        partition by landed_transactions.transaction_id
        order by landed_transactions.row_number desc
    ) = 1

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
        current_rows.row_number,
        current_rows.raw_record,
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
    left join current_rows
        on transactions.transaction_id = current_rows.transaction_id

),

priced as (

    select
        *,
        amount - fee_amount as collected_amount
    from checked

)

select * from priced
