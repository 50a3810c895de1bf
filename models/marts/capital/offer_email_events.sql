-- Engagement with the offer emails (the offer detail's "email engagement"),
-- test accounts' rows left out.
with

email_events as (

    select * from {{ ref('stg_capital_platform__offer_email_events') }}

),

test_mode_accounts as (

    select * from {{ ref('stg_stripe_capital__test_mode_accounts') }}

),

final as (

    select
        email_event_id as id,
        financing_offer_id as financing_offer,
        account_id,
        email_event_type as type,
        {{ as_instant('occurred_at') }} as occurred_at
    from email_events
    -- a test account's rows never reach a mart
    where email_events.account_id not in (select test_mode_accounts.account_id from test_mode_accounts)

)

select * from final
