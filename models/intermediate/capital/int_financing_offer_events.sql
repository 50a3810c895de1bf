-- The financing offer as it stood right after each of its events: one row per
-- (offer, event). Lifecycle timestamps and the current state derive from it.
-- What the provider's objects may lack stands in as capital.md says: no
-- `created` (nor `created_at`) is the `created` of the offer's earliest
-- event, no `expires_after` is that + 30 days (a missing `livemode` is the
-- envelope's: see stg_stripe_capital__events).
with

events as (

    select * from {{ ref('stg_stripe_capital__events') }}
    where event_type like 'capital.financing_offer.%' and event_created_at < {{ as_of_end_utc() }}

),

renamed as (

    select
        event_id,
        replace(event_type, 'capital.financing_offer.', '') as event_kind,
        event_created_at,
        object_id as financing_offer_id,
        account_id,
        coalesce(
            created_at,
            min(event_created_at) over (partition by object_id)
        ) as created_at,
        expires_at as object_expires_at,
        offer_status as status,
        provider_status,
        -- the tie rule: a later lifecycle status wins a tie on `created`, a
        -- terminal status beats a non-terminal one, then the greater event id
        case offer_status
            when 'undelivered' then 1
            when 'delivered' then 2
            when 'accepted' then 3
            when 'paid_out' then 4
            else 5
        end as status_rank,
        financing_type,
        product_type,
        charged_off_at,
        replacement,
        replacement_for,
        replacement_type,
        metadata,
        {%- for transition in ['accepted_at', 'canceled_at', 'fully_repaid_at', 'paid_out_at', 'rejected_at', 'replaced_at'] %}
        status_transitions_{{ transition }},
        {%- endfor %}
        campaign_type,
        offered_advance_amount,
        offered_fee_amount,
        offered_currency,
        offered_withhold_rate,
        offered_previous_financing_fee_discount_rate,
        offered_target_payback_days,
        offered_repayment_interval_days,
        offered_repayment_interval_minimum_amount,
        offered_repayment_interval_maximum_amount,
        has_accepted_terms,
        accepted_advance_amount,
        accepted_fee_amount,
        accepted_currency,
        accepted_withhold_rate,
        previous_financing_fee_discount_amount,
        accepted_previous_financing_fee_discount_rate,
        accepted_target_payback_days,
        accepted_repayment_interval_days,
        accepted_repayment_interval_minimum_amount,
        accepted_repayment_interval_maximum_amount,
        file_id,
        source_file,
        landed_at
    from events

),

with_expiry as (

    select
        {{ star_exclude(['object_expires_at']) }},
        coalesce(object_expires_at, {{ dbt.dateadd('day', 30, 'created_at') }}) as expires_at
    from renamed

)

select * from with_expiry
