-- For every financing not canceled: accepted advance + fee = repaid
-- (payments - reversed payments) + outstanding on its last balance row.
-- An overpaid financing (repaid above what it owed) must show zero outstanding.
with

offers as (

    select * from {{ ref('financing_offers') }}

),

last_rows as (

    select * from {{ ref('financing_balances') }}
    qualify row_number() over (partition by financing_offer order by effective_date_utc desc) = 1

),

checked as (

    select
        offers.id,
        offers.accepted_advance_amount + offers.accepted_premium_amount as owed,
        last_rows.repaid_amount,
        last_rows.principal_outstanding_amount + last_rows.premium_outstanding_amount as outstanding
    from offers
    inner join last_rows on offers.id = last_rows.financing_offer
    where coalesce(last_rows.ended_by, '') <> 'canceled'

)

select * from checked
where
    (repaid_amount <= owed and owed <> repaid_amount + outstanding)
    or (repaid_amount > owed and outstanding <> 0)
