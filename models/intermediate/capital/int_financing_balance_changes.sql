-- Per financing and UTC day with at least one transaction: the day's net
-- change of principal, premium and repaid amount, whether the payout was
-- reversed that day, the running totals after that day (end of day), and the
-- newest landing file and creation time among the day's transactions.
-- Incremental: a build rewrites the financings whose transactions it rewrote.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='financing_offer_id',
    rewrite_partition="date_format(effective_date_utc, 'yyyy-MM')",
) }}
with

transactions as (

    select * from {{ ref('int_financing_transactions_classified') }}
    where financing_offer_id in (
        {{ touched_since_last_build(ref('int_financing_transactions_classified'), 'financing_offer_id') }}
    )

),

daily as (

    select
        financing_offer_id,
        effective_date_utc,
        cast(sum(principal_change) as bigint) as principal_change,
        cast(sum(premium_change) as bigint) as premium_change,
        cast(sum(repaid_change) as bigint) as repaid_change,
        count(*) filter (where is_payout_reversal) > 0 as is_payout_reversed_on_day,
        -- what an incremental balance build compares with its watermark
        max(file_id) as max_file_id,
        max(created_at) as last_created_at,
        {{ built_at() }}
    from transactions
    group by financing_offer_id, effective_date_utc

),

running as (

    select
        *,
        cast(sum(principal_change) over running_window as bigint) as principal_balance,
        cast(sum(premium_change) over running_window as bigint) as premium_balance,
        cast(sum(repaid_change) over running_window as bigint) as repaid_amount
    from daily
    window running_window as (
        partition by financing_offer_id
        order by effective_date_utc
        rows between unbounded preceding and current row
    )

)

select * from running
