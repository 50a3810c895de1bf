-- The financing offer as it stood right after each of its events: one row per
-- (offer, event). Lifecycle timestamps and the current state derive from it.
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
        created_at,
        expires_at,
        offer_status as status,
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
        campaign_type,
        offered_advance_amount,
        offered_fee_amount,
        offered_currency,
        offered_withhold_rate,
        offered_previous_financing_fee_discount_rate,
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
        accepted_repayment_interval_days,
        accepted_repayment_interval_minimum_amount,
        accepted_repayment_interval_maximum_amount,
        file_id,
        source_file,
        landed_at
    from events

)

select * from renamed
