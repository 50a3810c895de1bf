-- Every financing transaction with what it does to its financing: the
-- principal, premium and repaid amounts it moves (signed), and, for a
-- reversal, what it reverses. One place for the direction rules:
--   payout             principal +advance, premium +fee (the financing starts)
--   payment            principal -advance, premium -fee, repaid +total
--   reversal (payment) principal +advance, premium +fee, repaid -total
--   reversal (payout)  cancels the financing (handled by the balance models)
-- A reversal whose reversed transaction is not (yet) known reverses a payout
-- when its reason is `financing_cancellation`, else a payment.
-- Incremental: a build rewrites the financings with a transaction (re)staged
-- since the last one, whole.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='financing_offer_id',
    rewrite_partition="date_format(created_at, 'yyyy-MM')",
) }}
with

staged as (

    select * from {{ ref('int_financing_transactions_deduplicated') }}

),

transactions as (

    select * from staged
    where financing_offer_id in (
        {{ touched_since_last_build(ref('int_financing_transactions_deduplicated'), 'financing_offer_id') }}
    )

),

reversed as (

    select * from staged
    where financing_transaction_id in (select transactions.reversed_transaction_id from transactions)

),

classified as (

    select
        {{ star_exclude(['_as_of_date', '_loaded_through_file_id', '_built_at'], 'transactions') }},  -- noqa: RF02
        reversed.transaction_type as reversed_transaction_type,
        case
            when transactions.transaction_type <> 'reversal' then null
            when reversed.transaction_type is not null then reversed.transaction_type
            when transactions.reason = 'financing_cancellation' then 'payout'
            else 'payment'
        end as reverses,
        cast(transactions.created_at as date) as effective_date_utc,
        {{ built_at() }}
    from transactions
    left join reversed
        on transactions.reversed_transaction_id = reversed.financing_transaction_id

),

signed as (

    select
        *,
        case
            when transaction_type = 'payout' then advance_amount
            when transaction_type = 'payment' then -advance_amount
            when reverses = 'payment' then advance_amount
            else 0
        end as principal_change,
        case
            when transaction_type = 'payout' then fee_amount
            when transaction_type = 'payment' then -fee_amount
            when reverses = 'payment' then fee_amount
            else 0
        end as premium_change,
        case
            when transaction_type = 'payment' then total_amount
            when reverses = 'payment' then -total_amount
            else 0
        end as repaid_change,
        coalesce(reverses = 'payout', false) as is_payout_reversal
    from classified

)

select * from signed
