-- How the offers created each month went on: delivered, accepted, paid out,
-- fully repaid, per currency. Compile with `dbt compile --select
-- financing_funnel_by_month` and run the SQL in target/compiled/.
with

offers as (

    select * from {{ ref('financing_offers') }}

),

funnel as (

    select
        cast({{ dbt.date_trunc('month', 'created_at') }} as date) as created_month,
        currency,
        count(*) as offers_created,
        count(delivered_at) as offers_delivered,
        count(accepted_at) as offers_accepted,
        count(paid_out_at) as offers_paid_out,
        count(fully_repaid_at) as offers_fully_repaid
    from offers
    group by {{ dbt.date_trunc('month', 'created_at') }}, currency

)

select * from funnel
order by created_month, currency
