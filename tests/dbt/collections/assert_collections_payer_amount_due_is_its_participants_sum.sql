-- A payer owes the sum of what the participants of its cart owe, and its
-- participant count is the number of participants whose payer it is.
with

payers as (

    select * from {{ ref('payers') }}

),

participants as (

    select * from {{ ref('participants') }}

),

carts as (

    select
        payer_id,
        count(*) as participant_count,
        sum(amount_due) as amount_due
    from participants
    where payer_id is not null
    group by payer_id

)

select
    payers.payer_id,
    payers.amount_due,
    carts.amount_due as participants_amount_due,
    payers.participant_count,
    carts.participant_count as participants_counted
from payers
left join carts
    on payers.payer_id = carts.payer_id
where
    payers.amount_due <> coalesce(carts.amount_due, 0)
    or payers.participant_count <> coalesce(carts.participant_count, 0)
