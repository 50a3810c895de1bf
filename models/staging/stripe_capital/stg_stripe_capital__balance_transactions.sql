-- The provider's balance transactions for the platform, one per id (the
-- first landed), created before the as-of moment.
with

balance_transactions as (

    select * from {{ ref('base_stripe_capital__balance_transactions') }}
    where rejection_reason is null and created_at < {{ as_of_end_utc() }}

),

deduplicated as (

    select
        balance_transaction_id,
        balance_transaction_type,
        description,
        amount,
        currency,
        created_at,
        description = 'Revenue Share: Capital' as is_capital_revenue_share,
        source_file,
        landed_at
    from balance_transactions
    qualify row_number() over (partition by balance_transaction_id order by file_id, row_number) = 1

)

select * from deduplicated
