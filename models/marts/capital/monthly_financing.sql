-- The dashboard's two monthly charts, per reporting month and currency:
-- originated (accepted advance of the financings paid out that month, a
-- payout reversed by the as-of moment counting in no month) and repaid
-- (payment totals by the payment's month, less reversed payments' totals by
-- the reversal's month). Every month from the first offer's to the as-of
-- date's appears for every currency, 0 when nothing happened.
with

financings as (

    select * from {{ ref('int_financings') }}
    where canceled_date is null

),

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

transactions as (

    -- a transaction waiting for its offer reaches no mart
    select * from {{ ref('int_financing_transactions_classified') }}
    where repaid_change <> 0 and financing_offer_id in (select offers.financing_offer_id from offers)

),

originated as (

    select
        {{ dbt.date_trunc('month', to_reporting_date('financings.paid_out_at')) }} as month,
        financings.currency,
        cast(sum(offers.accepted_advance_amount) as bigint) as originated_amount
    from financings
    inner join offers on financings.financing_offer_id = offers.financing_offer_id
    group by {{ dbt.date_trunc('month', to_reporting_date('financings.paid_out_at')) }}, financings.currency

),

repaid as (

    select
        {{ dbt.date_trunc('month', to_reporting_date('created_at')) }} as month,
        currency,
        cast(sum(repaid_change) as bigint) as repaid_amount
    from transactions
    group by {{ dbt.date_trunc('month', to_reporting_date('created_at')) }}, currency

),

bounds as (

    select min({{ to_reporting_date('created_at') }}) as first_day
    from offers

),

months as (

    select distinct cast({{ dbt.date_trunc('month', 'series_day') }} as date) as month
    from (
        select {{ day_series('first_day', as_of_date()) }} as series_day
        from bounds
        where first_day is not null
    ) as series

),

currencies as (

    select currency from originated
    union
    select currency from repaid

),

final as (

    select
        months.month,
        currencies.currency,
        coalesce(originated.originated_amount, 0) as originated_amount,
        coalesce(repaid.repaid_amount, 0) as repaid_amount
    from months
    cross join currencies
    left join originated on months.month = originated.month and currencies.currency = originated.currency
    left join repaid on months.month = repaid.month and currencies.currency = repaid.currency

)

select * from final
