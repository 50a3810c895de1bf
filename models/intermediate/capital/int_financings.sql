-- One row per financing (an offer with a payout transaction): its terms, its
-- payout day, and the UTC day its balance series ends: the first of the day
-- its outstanding (principal + premium, each floored at zero) reaches zero,
-- the day its payout is reversed (canceled), the day it is charged off, else
-- the as-of date.
with

transactions as (

    select * from {{ ref('int_financing_transactions_classified') }}

),

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

changes as (

    select * from {{ ref('int_financing_balance_changes') }}

),

offer_events as (

    select * from {{ ref('int_financing_offer_events') }}

),

charge_offs as (

    -- the first event that carried `charged_off_at` (an incremental balance
    -- build compares its landing file and time with its watermark)
    select
        financing_offer_id,
        min(file_id) as charged_off_file_id,
        min(event_created_at) as charged_off_event_created_at
    from offer_events
    where charged_off_at is not null
    group by financing_offer_id

),

payouts as (

    select
        financing_offer_id,
        account_id,
        currency,
        advance_amount,
        fee_amount,
        created_at as paid_out_at,
        effective_date_utc as payout_date
    from transactions
    where transaction_type = 'payout'
    qualify row_number() over (partition by financing_offer_id order by created_at, financing_transaction_id) = 1

),

endings as (

    select
        financing_offer_id,
        min(case
            when greatest(principal_balance, 0) + greatest(premium_balance, 0) = 0 then effective_date_utc
        end) as repaid_date,
        min(case when is_payout_reversed_on_day then effective_date_utc end) as canceled_date
    from changes
    group by financing_offer_id

),

financings as (

    select
        payouts.financing_offer_id,
        payouts.account_id,
        payouts.currency,
        payouts.advance_amount,
        payouts.fee_amount,
        payouts.advance_amount + payouts.fee_amount as total_owed_amount,
        payouts.paid_out_at,
        payouts.payout_date,
        offers.accepted_repayment_interval_days as repayment_interval_days,
        offers.accepted_repayment_interval_minimum_amount as repayment_interval_minimum_amount,
        offers.charged_off_at,
        endings.repaid_date,
        endings.canceled_date,
        cast(offers.charged_off_at as date) as charged_off_date,
        charge_offs.charged_off_file_id,
        charge_offs.charged_off_event_created_at
    from payouts
    inner join offers on payouts.financing_offer_id = offers.financing_offer_id
    left join endings on payouts.financing_offer_id = endings.financing_offer_id
    left join charge_offs on payouts.financing_offer_id = charge_offs.financing_offer_id

),

bounded as (

    select
        *,
        least(
            coalesce(repaid_date, {{ as_of_date() }}),
            coalesce(canceled_date, {{ as_of_date() }}),
            coalesce(charged_off_date, {{ as_of_date() }}),
            {{ as_of_date() }}
        ) as end_date
    from financings

),

final as (

    select
        *,
        -- what ended the series on its last day (null while in progress);
        -- on a tie a cancellation wins, then full repayment
        case end_date
            when canceled_date then 'canceled'
            when repaid_date then 'fully_repaid'
            when charged_off_date then 'charged_off'
        end as ended_by
    from bounded

)

select * from final
