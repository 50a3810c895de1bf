-- Platform earnings (Capital revenue share) per UTC payout month and
-- currency, the payment the provider booked for it, and the difference.
-- Earned in the month of payout, paid on the first day of the next month,
-- booked by the provider as one balance transaction created in the month of
-- `paid_on` and described `Revenue Share: Capital`.
with

financings as (

    select * from {{ ref('int_financings') }}

),

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

bookings as (

    select * from {{ ref('stg_stripe_capital__balance_transactions') }}
    where is_capital_revenue_share

),

earned as (

    select
        cast({{ dbt.date_trunc('month', 'financings.paid_out_at') }} as date) as month,
        financings.currency,
        count(*) filter (where financings.canceled_date is null) as financings,
        cast(sum(offers.revshare_earned_amount) as bigint) as revshare_earned_amount
    from financings
    inner join offers on financings.financing_offer_id = offers.financing_offer_id
    group by {{ dbt.date_trunc('month', 'financings.paid_out_at') }}, financings.currency

),

booked as (

    select
        cast({{ dbt.dateadd('month', -1, dbt.date_trunc('month', 'created_at')) }} as date) as month,
        currency,
        cast(sum(amount) as bigint) as booked_amount,
        count(*) as bookings
    from bookings
    group by {{ dbt.date_trunc('month', 'created_at') }}, currency

),

joined as (

    select
        coalesce(earned.month, booked.month) as month,
        coalesce(earned.currency, booked.currency) as currency,
        coalesce(earned.financings, 0) as financings,
        coalesce(earned.revshare_earned_amount, 0) as revshare_earned_amount,
        cast({{ dbt.dateadd('month', 1, 'coalesce(earned.month, booked.month)') }} as date) as paid_on,
        booked.booked_amount,
        coalesce(booked.bookings, 0) as bookings
    from earned
    full outer join booked on earned.month = booked.month and earned.currency = booked.currency

),

final as (

    select
        month,
        currency,
        financings,
        revshare_earned_amount,
        paid_on,
        case when paid_on <= {{ as_of_date() }} then coalesce(booked_amount, 0) end as booked_amount,
        case
            when paid_on <= {{ as_of_date() }} then coalesce(booked_amount, 0) - revshare_earned_amount
        end as difference,
        bookings
    from joined

)

select * from final
