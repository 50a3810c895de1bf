-- The provider's daily eligibility list without the accounts known to be in
-- test mode (test data never reaches a mart).
with

eligibility as (

    select * from {{ ref('stg_capital_platform__capital_eligibility') }}

),

test_mode_accounts as (

    select * from {{ ref('stg_stripe_capital__test_mode_accounts') }}

),

live as (

    select eligibility.*
    from eligibility
    left join test_mode_accounts on eligibility.account_id = test_mode_accounts.account_id
    where test_mode_accounts.account_id is null

)

select * from live
