-- collections.club_collections_monthly: the platform's collections per club
-- (connected account, with its name), reporting month and currency: what was
-- paid and collected, what the platform earned (commissions and tips), what
-- failed and what is scheduled, and the club's transfers. Each figure falls in
-- the month of its own date: paid by `paid_at`, failed by `failed_at`,
-- scheduled by `scheduled_for`, transfers sent by `sent_at` and delivered by
-- `delivered_at` (reporting-time-zone months). Only months with something in
-- them are rows. Built from the public marts, so that it adds up to them.
with

transactions as (

    select * from {{ ref('transactions') }}

),

transfers as (

    select * from {{ ref('transfers') }}

),

accounts as (

    select * from {{ ref('int_accounts_current') }}

),

dated_transactions as (

    -- a paid (failed) transaction without its paid_at (failed_at) falls in the
    -- month it was due, else the month its state was recorded
    select
        account_id,
        currency,
        collection_id,
        status,
        amount,
        collected_amount,
        fee_amount,
        tip_amount,
        case
            when status = 'paid'
                then coalesce({{ to_reporting_date('paid_at') }}, scheduled_for, {{ to_reporting_date('updated_at') }})
            when status = 'failed'
                then coalesce({{ to_reporting_date('failed_at') }}, scheduled_for, {{ to_reporting_date('updated_at') }})
            else coalesce(scheduled_for, {{ to_reporting_date('updated_at') }})
        end as activity_date
    from transactions

),

transaction_figures as (

    select
        account_id,
        cast({{ dbt.date_trunc('month', 'activity_date') }} as date) as month,
        currency,
        count(distinct collection_id) as collections,
        count(*) filter (where status = 'paid') as paid_count,
        coalesce(sum(amount) filter (where status = 'paid'), 0) as amount_paid,
        coalesce(sum(collected_amount) filter (where status = 'paid'), 0) as amount_collected,
        coalesce(sum(fee_amount) filter (where status = 'paid'), 0) as commission_amount,
        coalesce(sum(tip_amount) filter (where status = 'paid'), 0) as tip_amount,
        count(*) filter (where status = 'failed') as failed_count,
        coalesce(sum(amount) filter (where status = 'failed'), 0) as amount_failed,
        count(*) filter (where status = 'upcoming') as scheduled_count,
        coalesce(sum(amount) filter (where status = 'upcoming'), 0) as amount_scheduled
    from dated_transactions
    group by account_id, cast({{ dbt.date_trunc('month', 'activity_date') }} as date), currency

),

transfer_movements as (

    select
        account_id,
        cast({{ dbt.date_trunc('month', to_reporting_date('sent_at')) }} as date) as month,
        currency,
        amount as amount_transferred,
        case when status = 'sent' then amount else 0 end as amount_in_transit,
        0 as amount_delivered
    from transfers
    union all
    select
        account_id,
        cast({{ dbt.date_trunc('month', to_reporting_date('delivered_at')) }} as date) as month,
        currency,
        0 as amount_transferred,
        0 as amount_in_transit,
        amount as amount_delivered
    from transfers
    where status = 'delivered'

),

transfer_figures as (

    select
        account_id,
        month,
        currency,
        sum(amount_transferred) as amount_transferred,
        sum(amount_delivered) as amount_delivered,
        sum(amount_in_transit) as amount_in_transit
    from transfer_movements
    group by account_id, month, currency

),

club_months as (

    select
        account_id,
        month,
        currency
    from transaction_figures
    union
    select
        account_id,
        month,
        currency
    from transfer_figures

),

final as (

    select
        club_months.account_id,
        accounts.account_name,
        club_months.month,
        club_months.currency,
        coalesce(transaction_figures.collections, 0) as collections,
        coalesce(transaction_figures.paid_count, 0) as paid_count,
        cast(coalesce(transaction_figures.amount_paid, 0) as bigint) as amount_paid,
        cast(coalesce(transaction_figures.amount_collected, 0) as bigint) as amount_collected,
        cast(coalesce(transaction_figures.commission_amount, 0) as bigint) as commission_amount,
        cast(coalesce(transaction_figures.tip_amount, 0) as bigint) as tip_amount,
        cast(
            coalesce(transaction_figures.commission_amount, 0) + coalesce(transaction_figures.tip_amount, 0)
            as bigint
        ) as platform_earned_amount,
        coalesce(transaction_figures.failed_count, 0) as failed_count,
        cast(coalesce(transaction_figures.amount_failed, 0) as bigint) as amount_failed,
        coalesce(transaction_figures.scheduled_count, 0) as scheduled_count,
        cast(coalesce(transaction_figures.amount_scheduled, 0) as bigint) as amount_scheduled,
        cast(coalesce(transfer_figures.amount_transferred, 0) as bigint) as amount_transferred,
        cast(coalesce(transfer_figures.amount_delivered, 0) as bigint) as amount_delivered,
        cast(coalesce(transfer_figures.amount_in_transit, 0) as bigint) as amount_in_transit
    from club_months
    left join transaction_figures
        on
            club_months.account_id = transaction_figures.account_id
            and club_months.month = transaction_figures.month
            and club_months.currency = transaction_figures.currency
    left join transfer_figures
        on
            club_months.account_id = transfer_figures.account_id
            and club_months.month = transfer_figures.month
            and club_months.currency = transfer_figures.currency
    left join accounts
        on club_months.account_id = accounts.account_id

)

select * from final
