-- Every financing offer with the business rules applied once: the state as
-- of the as-of date (the provider's current status; `replaced` when a
-- replacement replaced it after its latest event; `expired` when an
-- undelivered or delivered offer's `expires_after` falls before the end of
-- the as-of date), the lifecycle timestamps (the provider's
-- `status_transitions` of the current object, else the first event showing
-- that status), first-time flag, the account's name, and what its financing
-- earns the platform.
{%- set transitions = ['accepted', 'paid_out', 'fully_repaid', 'canceled', 'rejected', 'replaced'] %}
with

offers as (

    select * from {{ ref('int_financing_offers_current') }}

),

offer_events as (

    select * from {{ ref('int_financing_offer_events') }}

),

replacements as (

    select * from {{ ref('int_financing_offer_replacements') }}

),

accounts as (

    select * from {{ ref('int_accounts_current') }}

),

transactions as (

    select * from {{ ref('int_financing_transactions_classified') }}

),

lifecycle as (

    -- the first event whose offer shows each status (a `.delivered` event
    -- counts as delivered whatever its object says)
    select
        financing_offer_id,
        min(case when status = 'delivered' or event_kind = 'delivered' then event_created_at end)
            as first_delivered_at,
        {%- for status in transitions %}
        min(case when status = '{{ status }}' then event_created_at end) as first_{{ status }}_at,
        {%- endfor %}
        min(case when status = 'expired' then event_created_at end) as first_expired_at
    from offer_events
    group by financing_offer_id

),

payouts as (

    select
        financing_offer_id,
        count(*) filter (where transaction_type = 'payout') > 0 as has_payout,
        count(*) filter (where is_payout_reversal) > 0 as is_payout_reversed,
        -- the currency of an offer whose terms carry none
        min(currency) as transaction_currency
    from transactions
    group by financing_offer_id

),

joined as (

    select
        {{ star_exclude(['status', 'replacement'], 'offers') }},  -- noqa: RF02
        -- a replacement after the offer's latest event (on a tie: `replaced`
        -- is terminal, it wins over a non-terminal status, then the greater
        -- event id) is the offer's current state
        coalesce(
            replacements.replaced_at > offers.event_created_at
            or (
                replacements.replaced_at = offers.event_created_at
                and (offers.status_rank < 5 or replacements.event_id > offers.event_id)
            ),
            false
        ) as is_replaced_by_replacement,
        offers.status as latest_event_status,
        offers.replacement as object_replacement,
        replacements.replacement as replacing_offer_id,
        replacements.replaced_at as replacement_replaced_at,
        accounts.account_name,
        lifecycle.first_delivered_at as delivered_at,
        {%- for status in transitions if status != 'replaced' %}
        coalesce(offers.status_transitions_{{ status }}_at, lifecycle.first_{{ status }}_at) as {{ status }}_at,
        {%- endfor %}
        coalesce(
            offers.status_transitions_replaced_at, lifecycle.first_replaced_at, replacements.replaced_at
        ) as replaced_at,
        lifecycle.first_expired_at,
        coalesce(payouts.has_payout, false) as has_payout,
        coalesce(payouts.is_payout_reversed, false) as is_payout_reversed,
        payouts.transaction_currency
    from offers
    left join lifecycle on offers.financing_offer_id = lifecycle.financing_offer_id
    left join replacements on offers.financing_offer_id = replacements.financing_offer_id
    left join accounts on offers.account_id = accounts.account_id
    left join payouts on offers.financing_offer_id = payouts.financing_offer_id

),

with_status as (

    select
        *,
        case when is_replaced_by_replacement then 'replaced' else latest_event_status end as status,
        case
            when is_replaced_by_replacement then replacing_offer_id else object_replacement
        end as replacement
    from joined

),

with_expiry as (

    select
        *,
        status in ('undelivered', 'delivered')
        and expires_at < {{ as_of_end_utc() }} as is_expired_by_rule
    from with_status

),

final as (

    select
        *,
        case when is_expired_by_rule then 'expired' else status end as state,
        coalesce(first_expired_at, case when is_expired_by_rule then expires_at end) as expired_at,
        row_number() over (
            partition by account_id order by created_at asc, financing_offer_id asc
        ) = 1 as is_first_time_offer,
        case
            when is_payout_reversed then 0
            when has_payout or paid_out_at is not null
                then {{ apply_rate('accepted_fee_amount', var('capital_revshare_rate')) }}
        end as revshare_earned_amount
    from with_expiry

)

select * from final
