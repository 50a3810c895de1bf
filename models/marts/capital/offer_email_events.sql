-- Engagement with the offer emails (the offer detail's "email engagement").
with

email_events as (

    select * from {{ ref('stg_capital_platform__offer_email_events') }}

),

final as (

    select
        email_event_id as id,
        financing_offer_id as financing_offer,
        account_id,
        email_event_type as type,
        occurred_at
    from email_events

)

select * from final
