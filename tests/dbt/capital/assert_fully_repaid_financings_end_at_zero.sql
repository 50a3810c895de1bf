-- A financing the provider reports fully repaid ends at zero outstanding, on
-- a row marked fully_repaid. An offer reported fully repaid whose payout never
-- landed (a history that starts part-way) has no balance to check.
with

offers as (

    select * from {{ ref('financing_offers') }}
    where state = 'fully_repaid'

),

last_rows as (

    select * from {{ ref('financing_balances') }}
    qualify row_number() over (partition by financing_offer order by effective_date_utc desc) = 1

)

select
    offers.id,
    last_rows.principal_outstanding_amount,
    last_rows.premium_outstanding_amount,
    last_rows.ended_by
from offers
inner join last_rows on offers.id = last_rows.financing_offer
where
    last_rows.principal_outstanding_amount + last_rows.premium_outstanding_amount <> 0
    or last_rows.ended_by is distinct from 'fully_repaid'
