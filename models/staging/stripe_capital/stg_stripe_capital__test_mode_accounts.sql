-- Connected accounts the provider reports in test mode (an `account.updated`
-- event with `livemode = false`). The platform's own CSV files carry no
-- livemode flag: this is how their rows about test accounts are recognised.
with

account_events as (

    select * from {{ ref('base_stripe_capital__events') }}
    where
        rejection_reason is null
        and event_type = 'account.updated'
        and (is_livemode = false or is_object_livemode = false)

),

accounts as (

    select distinct object_id as account_id
    from account_events

)

select * from accounts
