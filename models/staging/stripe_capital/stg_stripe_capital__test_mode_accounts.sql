-- Test accounts (capital.md, "Test accounts"): connected accounts every one
-- of whose `account.updated` events is in test mode (`livemode = false` on
-- the envelope or the object): the provider never reported them live. An
-- account with at least one live `account.updated` is live (only its
-- test-mode objects are ignored), and so is an account never reported. The
-- platform's own CSV files carry no livemode flag: this is how their rows
-- about test accounts are recognised.
with

account_events as (

    select * from {{ ref('base_stripe_capital__events') }}
    where rejection_reason is null and event_type = 'account.updated'

),

renamed as (

    select
        object_id as account_id,
        coalesce(is_livemode = false or is_object_livemode = false, false) as is_test_mode
    from account_events

),

accounts as (

    select account_id
    from renamed
    group by account_id
    having min(case when is_test_mode then 1 else 0 end) = 1

)

select * from accounts
