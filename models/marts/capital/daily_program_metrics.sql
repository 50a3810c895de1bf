-- One row per reporting day from the day the first offer was created to the
-- as-of date: all-time adoption, 30-day conversion and the eligible
-- accounts (that day's count and its 7-day average). Definitions in
-- DECISIONLOG.md and the YAML.
with

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

financings as (

    select * from {{ ref('int_financings') }}
    where canceled_date is null

),

eligibility as (

    select * from {{ ref('int_capital_eligibility_live') }}

),

bounds as (

    select min({{ to_reporting_date('created_at') }}) as first_day
    from offers

),

days as (

    select {{ day_series('first_day', as_of_date()) }} as metric_date
    from bounds
    where first_day is not null

),

-- an offer counts as delivered from its first delivery event; an offer
-- accepted or paid out without one was delivered then
deliveries as (

    select
        account_id,
        delivered_ts,
        accepted_ts,
        {{ to_reporting_date('delivered_ts') }} as delivered_date,
        case
            when accepted_ts <= {{ dbt.dateadd('day', 30, 'delivered_ts') }}
                then {{ to_reporting_date('accepted_ts') }}
        end as accepted_in_time_date
    from (
        select
            account_id,
            coalesce(delivered_at, accepted_at, paid_out_at) as delivered_ts,
            coalesce(accepted_at, paid_out_at) as accepted_ts
        from offers
    ) as offer_times
    where delivered_ts is not null

),

first_delivered as (

    select
        first_day,
        count(*) as account_count
    from (
        select
            account_id,
            min(delivered_date) as first_day
        from deliveries
        group by account_id
    ) as per_account
    group by first_day

),

first_paid_out as (

    select
        first_day,
        count(*) as account_count
    from (
        select
            account_id,
            min({{ to_reporting_date('paid_out_at') }}) as first_day
        from financings
        group by account_id
    ) as per_account
    group by first_day

),

conversion as (

    select
        days.metric_date,
        count(deliveries.delivered_date) as offers_delivered_30d,
        count(
            case when deliveries.accepted_in_time_date <= days.metric_date then 1 end
        ) as offers_accepted_30d
    from days
    left join deliveries
        on deliveries.delivered_date between {{ dbt.dateadd('day', -29, 'days.metric_date') }} and days.metric_date
    group by days.metric_date

),

daily_eligible as (

    select
        eligibility_date,
        count(case when is_eligible then 1 end) as eligible_accounts
    from eligibility
    group by eligibility_date

),

eligible_7d as (

    select
        days.metric_date,
        avg(daily_eligible.eligible_accounts) as eligible_accounts_7d_avg,
        count(daily_eligible.eligibility_date) as eligibility_snapshots_7d
    from days
    left join daily_eligible
        on daily_eligible.eligibility_date between {{ dbt.dateadd('day', -6, 'days.metric_date') }} and days.metric_date
    group by days.metric_date

),

cumulative as (

    select
        days.metric_date,
        cast(sum(coalesce(first_paid_out.account_count, 0)) over all_time as bigint) as accounts_paid_out,
        cast(sum(coalesce(first_delivered.account_count, 0)) over all_time as bigint) as accounts_delivered
    from days
    left join first_paid_out on days.metric_date = first_paid_out.first_day
    left join first_delivered on days.metric_date = first_delivered.first_day
    window all_time as (order by days.metric_date rows between unbounded preceding and current row)

),

final as (

    select
        cumulative.metric_date,
        cumulative.accounts_paid_out,
        cumulative.accounts_delivered,
        cumulative.accounts_paid_out / nullif(cumulative.accounts_delivered, 0) as adoption_rate,
        conversion.offers_delivered_30d,
        conversion.offers_accepted_30d,
        conversion.offers_accepted_30d / nullif(conversion.offers_delivered_30d, 0) as conversion_rate_30d,
        daily_eligible.eligible_accounts,
        eligible_7d.eligible_accounts_7d_avg,
        eligible_7d.eligibility_snapshots_7d
    from cumulative
    inner join conversion on cumulative.metric_date = conversion.metric_date
    inner join eligible_7d on cumulative.metric_date = eligible_7d.metric_date
    left join daily_eligible on cumulative.metric_date = daily_eligible.eligibility_date

)

select * from final
