-- Accounts with a pending offer: eligible on the as-of date with no offer
-- undelivered, delivered or accepted and no financing in progress.
with

eligible_accounts as (

    select * from {{ ref('eligible_accounts') }}

),

pending as (

    select
        account_id,
        account_name,
        email,
        estimated_advance_amount,
        currency,
        is_deny_listed,
        has_unsubscribed,
        is_email_well_formed,
        has_bounced_email,
        has_valid_email,
        blocked_reason
    from eligible_accounts
    where has_pending_offer

)

select * from pending
