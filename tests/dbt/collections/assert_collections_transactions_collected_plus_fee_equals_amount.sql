-- Money identity: collected + fee = amount for every transaction, whatever
-- its status, and no fee under the tip model.
with

transactions as (

    select * from {{ ref('transactions') }}

)

select
    transaction_id,
    fee_model,
    amount,
    collected_amount,
    fee_amount
from transactions
where
    collected_amount + fee_amount <> amount
    or (fee_model = 'tip' and fee_amount <> 0)
