-- Sigma's connected_account_financing_transactions: one row per financing
-- transaction (payouts, payments, reversals), amounts positive as landed,
-- `transaction_type` giving the direction. Incremental: a build rewrites the
-- financings whose transactions it rewrote.
{{ config(materialized=incremental_or_table('delete+insert'), incremental_strategy='delete+insert', unique_key='financing_offer') }}
with

transactions as (

    select * from {{ ref('int_financing_transactions_classified') }}
    where financing_offer_id in (
        {{ touched_since_last_build(ref('int_financing_transactions_classified'), 'financing_offer_id') }}
    )

),

final as (

    select
        financing_transaction_id as id,
        account_id as account,
        financing_offer_id as financing_offer,
        currency,
        transaction_type,
        reason,
        case
            when transaction_type = 'payout' then 'Financing payout'
            when transaction_type = 'payment' then 'Financing payment (' || coalesce(reason, 'unspecified') || ')'
            else 'Reversal of ' || reverses || ' ' || coalesce(reversed_transaction_id, '(unknown)')
        end as description,
        created_at as effective_time,
        effective_date_utc,
        advance_amount,
        fee_amount,
        total_amount,
        reversed_transaction_id as reversed_transaction,
        reversed_transaction_type,
        linked_payment as linked_withholdable_object_id,
        {{ built_at() }}
    from transactions

)

select * from final
