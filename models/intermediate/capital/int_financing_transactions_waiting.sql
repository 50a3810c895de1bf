-- Financing transactions waiting for their offer (capital.md, "Transactions
-- waiting for their offer"): events arrive in any order and a history may
-- start part-way, so a transaction whose offer has not landed (or was
-- rejected) by the as-of moment reaches no mart and never fails the build.
-- It is listed in audit.rejected_rows with a reason naming the missing
-- offer; once the offer lands, the next build takes it in and the listing
-- goes (this model is rebuilt whole every night).
with

transactions as (

    select * from {{ ref('int_financing_transactions_deduplicated') }}

),

offers as (

    select * from {{ ref('int_financing_offers_current') }}

),

events as (

    select * from {{ ref('base_stripe_capital__events') }}

),

waiting as (

    select
        transactions.financing_transaction_id,
        transactions.financing_offer_id,
        transactions.file_id,
        transactions.row_number,
        transactions.source_file,
        transactions.landed_at,
        'financing transaction ' || transactions.financing_transaction_id
        || ' waits for its financing offer ' || transactions.financing_offer_id
        || ', which has not landed (or was rejected)' as rejection_reason
    from transactions
    left join offers on transactions.financing_offer_id = offers.financing_offer_id
    where offers.financing_offer_id is null

),

{{ rejected_records_ctes('waiting', 'events') }}

select * from with_records
