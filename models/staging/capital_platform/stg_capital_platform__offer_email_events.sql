-- Offer email engagement, one row per email event id (the last landed),
-- occurred before the as-of moment.
with

email_events as (

    select * from {{ ref('base_capital_platform__offer_email_events') }}
    where rejection_reason is null and occurred_at < {{ as_of_end_utc() }}

),

current_state as (

    select
        email_event_id,
        financing_offer_id,
        account_id,
        email_event_type,
        occurred_at,
        source_file,
        landed_at
    from email_events
    {{ qualify_current_state('email_event_id', versioned=false) }}

)

select * from current_state
