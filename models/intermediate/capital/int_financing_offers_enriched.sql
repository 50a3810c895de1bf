-- Every financing offer with the business rules applied once: the state as
-- of the as-of date (the provider's status, or `expired` when an undelivered
-- or delivered offer's `expires_after` falls before the end of the as-of
-- date), the lifecycle timestamps (first event of each type), first-time
-- flag, the account's name, and what its financing earns the platform.
with

offers as (

    select * from {{ ref('stg_stripe_capital__financing_offers') }}

),

offer_events as (

    select * from {{ ref('stg_stripe_capital__financing_offer_events') }}

),

accounts as (

    select * from {{ ref('stg_stripe_capital__accounts') }}

),

transactions as (

    select * from {{ ref('int_financing_transactions_classified') }}

),

lifecycle as (

    select
        financing_offer_id,
        min(case when event_kind = 'delivered' then event_created_at end) as delivered_at_event,
        min(case when event_kind = 'accepted' then event_created_at end) as accepted_at_event,
        min(case when event_kind = 'paid_out' then event_created_at end) as paid_out_at_event,
        min(case when event_kind = 'fully_repaid' then event_created_at end) as fully_repaid_at_event,
        min(case when event_kind = 'canceled' then event_created_at end) as canceled_at_event,
        min(case when event_kind = 'rejected' then event_created_at end) as rejected_at_event,
        min(case when event_kind = 'expired' then event_created_at end) as expired_at_event
    from offer_events
    group by financing_offer_id

),

payouts as (

    select
        financing_offer_id,
        count(*) filter (where transaction_type = 'payout') > 0 as has_payout,
        count(*) filter (where is_payout_reversal) > 0 as is_payout_reversed
    from transactions
    group by financing_offer_id

),

joined as (

    select
        offers.*,
        accounts.account_name,
        lifecycle.delivered_at_event as delivered_at,
        lifecycle.accepted_at_event as accepted_at,
        lifecycle.paid_out_at_event as paid_out_at,
        lifecycle.fully_repaid_at_event as fully_repaid_at,
        lifecycle.canceled_at_event as canceled_at,
        lifecycle.rejected_at_event as rejected_at,
        lifecycle.expired_at_event,
        coalesce(payouts.has_payout, false) as has_payout,
        coalesce(payouts.is_payout_reversed, false) as is_payout_reversed,
        offers.status in ('undelivered', 'delivered')
        and offers.expires_at < {{ as_of_end_utc() }} as is_expired_by_rule
    from offers
    left join lifecycle on offers.financing_offer_id = lifecycle.financing_offer_id
    left join accounts on offers.account_id = accounts.account_id
    left join payouts on offers.financing_offer_id = payouts.financing_offer_id

),

final as (

    select
        *,
        case when is_expired_by_rule then 'expired' else status end as state,
        coalesce(expired_at_event, case when is_expired_by_rule then expires_at end) as expired_at,
        row_number() over (
            partition by account_id order by created_at asc, financing_offer_id asc
        ) = 1 as is_first_time_offer,
        case
            when is_payout_reversed then 0
            when has_payout or paid_out_at is not null
                then {{ apply_rate('accepted_fee_amount', var('capital_revshare_rate')) }}
        end as revshare_earned_amount
    from joined

)

select * from final
