-- Reconciliation, per collection: the amount of the paid transactions in
-- staging, less those rejected for a rule between rows, is the amount paid in
-- collections.payers and in collections.collection_summary.
with

staged_transactions as (

    select * from {{ ref('stg_club_payments__transactions') }}

),

rejected_transactions as (

    select * from {{ ref('int_transactions_validated') }}
    where rejection_reason is not null

),

payers as (

    select * from {{ ref('payers') }}

),

collection_summary as (

    select * from {{ ref('collection_summary') }}

),

staged as (

    select
        staged_transactions.collection_id,
        sum(staged_transactions.amount) as amount_paid
    from staged_transactions
    left join rejected_transactions
        on staged_transactions.transaction_id = rejected_transactions.transaction_id
    where
        staged_transactions.status = 'paid'
        and rejected_transactions.transaction_id is null
    group by staged_transactions.collection_id

),

published as (

    select
        collection_id,
        sum(amount_paid) as amount_paid
    from payers
    group by collection_id

),

compared as (

    select
        coalesce(staged.collection_id, published.collection_id) as collection_id,
        coalesce(staged.amount_paid, 0) as staged_amount_paid,
        coalesce(published.amount_paid, 0) as payers_amount_paid,
        coalesce(collection_summary.amount_paid, 0) as summary_amount_paid
    from staged
    full outer join published
        on staged.collection_id = published.collection_id
    left join collection_summary
        on coalesce(staged.collection_id, published.collection_id) = collection_summary.collection_id

)

select * from compared
where
    staged_amount_paid <> payers_amount_paid
    or staged_amount_paid <> summary_amount_paid
