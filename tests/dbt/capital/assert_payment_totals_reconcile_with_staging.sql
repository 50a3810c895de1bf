-- Reconciliation: per transaction type and currency, the totals of staging
-- equal the totals of the Sigma transactions table (nothing lost or doubled),
-- but for the transactions waiting for their offer (listed in
-- audit.rejected_rows instead).
with

staged as (

    select
        transaction_type,
        currency,
        sum(total_amount) as total_amount,
        count(*) as transaction_count
    from {{ ref('int_financing_transactions_deduplicated') }}
    where
        financing_transaction_id not in (
            select waiting.financing_transaction_id
            from {{ ref('int_financing_transactions_waiting') }} as waiting
        )
    group by transaction_type, currency

),

published as (

    select
        transaction_type,
        currency,
        sum(total_amount) as total_amount,
        count(*) as transaction_count
    from {{ ref('connected_account_financing_transactions') }}
    group by transaction_type, currency

)

select
    staged.*,
    published.total_amount as published_total_amount,
    published.transaction_count as published_transaction_count
from staged
full outer join published
    on staged.transaction_type = published.transaction_type and staged.currency = published.currency
where
    staged.total_amount is distinct from published.total_amount
    or staged.transaction_count is distinct from published.transaction_count
