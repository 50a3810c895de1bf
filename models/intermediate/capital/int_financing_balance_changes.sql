-- Per financing and UTC day with at least one transaction: the day's net
-- change of principal, premium and repaid amount, whether the payout was
-- reversed that day, and the running totals after that day (end of day).
with

transactions as (

    select * from {{ ref('int_financing_transactions_classified') }}

),

daily as (

    select
        financing_offer_id,
        effective_date_utc,
        sum(principal_change) as principal_change,
        sum(premium_change) as premium_change,
        sum(repaid_change) as repaid_change,
        count(*) filter (where is_payout_reversal) > 0 as is_payout_reversed_on_day
    from transactions
    group by financing_offer_id, effective_date_utc

),

running as (

    select
        *,
        sum(principal_change) over running_window as principal_balance,
        sum(premium_change) over running_window as premium_balance,
        sum(repaid_change) over running_window as repaid_amount
    from daily
    window running_window as (
        partition by financing_offer_id
        order by effective_date_utc
        rows between unbounded preceding and current row
    )

)

select * from running
