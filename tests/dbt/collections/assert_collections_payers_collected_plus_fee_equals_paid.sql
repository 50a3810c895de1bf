-- Money identity: what the club collects plus the fees it pays is what the
-- payer paid (tips excluded), for every payer.
with

payers as (

    select * from {{ ref('payers') }}

)

select
    payer_id,
    amount_paid,
    amount_collected,
    fee_amount
from payers
where amount_collected + fee_amount <> amount_paid
