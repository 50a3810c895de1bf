-- Per reporting day and currency: the financings paid out in the 7 days
-- ending that day (a payout reversed by the as-of moment counts on no day)
-- and their mean accepted advance, unrounded. Every day of the series
-- appears for every currency with a payout; the average is null on days
-- with none in the window.
with

financings as (

    select * from {{ ref('int_financings') }}
    where canceled_date is null

),

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

-- the reporting days of daily_program_metrics: from the day the first offer
-- was created to the as-of date
bounds as (

    select min({{ to_reporting_date('created_at') }}) as first_day
    from offers

),

days as (

    select {{ day_series('first_day', as_of_date()) }} as metric_date
    from bounds
    where first_day is not null

),

payouts as (

    select
        financings.currency,
        {{ to_reporting_date('financings.paid_out_at') }} as payout_date,
        offers.accepted_advance_amount
    from financings
    inner join offers on financings.financing_offer_id = offers.financing_offer_id

),

currencies as (

    select distinct currency from payouts

),

final as (

    select
        days.metric_date,
        currencies.currency,
        count(payouts.payout_date) as financings_paid_out_7d,
        avg(payouts.accepted_advance_amount) as avg_loan_size_7d
    from days
    cross join currencies
    left join payouts
        on
            currencies.currency = payouts.currency
            and payouts.payout_date between {{ dbt.dateadd('day', -6, 'days.metric_date') }} and days.metric_date
    group by days.metric_date, currencies.currency

)

select * from final
