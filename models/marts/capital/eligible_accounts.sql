-- Accounts eligible on the as-of date (that day's snapshot), whether each has
-- a pending offer (no offer undelivered, delivered or accepted and no
-- financing in progress) and why an offer cannot be created for it, if it
-- cannot: the first of deny-listed, unsubscribed, no valid email.
with

eligibility as (

    select * from {{ ref('int_capital_eligibility_live') }}
    where eligibility_date = {{ as_of_date() }} and is_eligible

),

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

accounts as (

    select * from {{ ref('int_accounts_current') }}

),

flags as (

    select * from {{ ref('stg_capital_platform__capital_account_flags') }}

),

email_events as (

    select * from {{ ref('stg_capital_platform__offer_email_events') }}

),

busy_accounts as (

    select distinct account_id
    from offers
    where
        state in ('undelivered', 'delivered', 'accepted')
        or (state = 'paid_out' and charged_off_at is null)

),

bounced_accounts as (

    select distinct account_id
    from email_events
    where email_event_type = 'bounced'

),

flagged as (

    select
        eligibility.account_id,
        accounts.account_name,
        accounts.email,
        eligibility.estimated_advance_amount,
        eligibility.currency,
        coalesce(flags.is_deny_listed, false) as is_deny_listed,
        coalesce(flags.has_unsubscribed, false) as has_unsubscribed,
        -- one @, no white space, a non-empty local part, two or more
        -- non-empty dot-separated domain labels
        coalesce({{ regex_full_match('accounts.email', '[^@\s]+@[^@\s.]+(\.[^@\s.]+)+') }}, false) as is_email_well_formed,
        bounced_accounts.account_id is not null as has_bounced_email,
        busy_accounts.account_id is null as has_pending_offer
    from eligibility
    left join busy_accounts on eligibility.account_id = busy_accounts.account_id
    left join accounts on eligibility.account_id = accounts.account_id
    left join flags on eligibility.account_id = flags.account_id
    left join bounced_accounts on eligibility.account_id = bounced_accounts.account_id

),

final as (

    select
        *,
        is_email_well_formed and not has_bounced_email as has_valid_email,
        case
            when is_deny_listed then 'deny_listed'
            when has_unsubscribed then 'unsubscribed'
            when not is_email_well_formed or has_bounced_email then 'no_valid_email'
        end as blocked_reason
    from flagged

)

select * from final
