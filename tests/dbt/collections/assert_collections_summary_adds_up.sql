-- collection_summary adds up: its amount due is the sum over all its
-- participants, its participants by status add up to its participants, and
-- its paid figures are those of its paid transactions.
with

collection_summary as (

    select * from {{ ref('collection_summary') }}

),

participants as (

    select * from {{ ref('participants') }}

),

transactions as (

    select * from {{ ref('transactions') }}

),

participant_totals as (

    select
        collection_id,
        count(*) as participants,
        sum(amount_due) as amount_due
    from participants
    group by collection_id

),

transaction_totals as (

    select
        collection_id,
        coalesce(sum(collected_amount) filter (where status = 'paid'), 0) as amount_collected,
        coalesce(sum(fee_amount) filter (where status = 'paid'), 0) as fee_amount,
        coalesce(sum(tip_amount) filter (where status = 'paid'), 0) as tip_amount,
        coalesce(sum(amount) filter (where status = 'upcoming'), 0) as amount_scheduled
    from transactions
    group by collection_id

)

select
    collection_summary.collection_id,
    collection_summary.amount_due,
    participant_totals.amount_due as participants_amount_due,
    collection_summary.amount_collected,
    transaction_totals.amount_collected as transactions_amount_collected
from collection_summary
left join participant_totals
    on collection_summary.collection_id = participant_totals.collection_id
left join transaction_totals
    on collection_summary.collection_id = transaction_totals.collection_id
where
    collection_summary.amount_due <> coalesce(participant_totals.amount_due, 0)
    or collection_summary.participants <> coalesce(participant_totals.participants, 0)
    or collection_summary.participants
    <> collection_summary.participants_unpaid + collection_summary.participants_in_progress
    + collection_summary.participants_upcoming + collection_summary.participants_failed
    + collection_summary.participants_paid
    or collection_summary.amount_collected <> coalesce(transaction_totals.amount_collected, 0)
    or collection_summary.fee_amount <> coalesce(transaction_totals.fee_amount, 0)
    or collection_summary.tip_amount <> coalesce(transaction_totals.tip_amount, 0)
    or collection_summary.amount_scheduled <> coalesce(transaction_totals.amount_scheduled, 0)
