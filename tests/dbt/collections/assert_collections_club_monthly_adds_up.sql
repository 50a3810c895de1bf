-- club_collections_monthly adds up: summed over its months, per club and
-- currency, it equals the club's collections in collection_summary (paid,
-- collected, commissions, tips, failed, scheduled) and the club's transfers
-- (transferred, delivered, in transit).
with

club_monthly as (

    select * from {{ ref('club_collections_monthly') }}

),

collection_summary as (

    select * from {{ ref('collection_summary') }}

),

transfers as (

    select * from {{ ref('transfers') }}

),

monthly_totals as (

    select
        account_id,
        currency,
        sum(amount_paid) as amount_paid,
        sum(amount_collected) as amount_collected,
        sum(commission_amount) as commission_amount,
        sum(tip_amount) as tip_amount,
        sum(amount_failed) as amount_failed,
        sum(amount_scheduled) as amount_scheduled,
        sum(amount_transferred) as amount_transferred,
        sum(amount_delivered) as amount_delivered,
        sum(amount_in_transit) as amount_in_transit
    from club_monthly
    group by account_id, currency

),

summary_totals as (

    select
        account_id,
        currency,
        sum(amount_paid) as amount_paid,
        sum(amount_collected) as amount_collected,
        sum(fee_amount) as commission_amount,
        sum(tip_amount) as tip_amount,
        sum(amount_failed) as amount_failed,
        sum(amount_scheduled) as amount_scheduled
    from collection_summary
    group by account_id, currency

),

transfer_totals as (

    select
        account_id,
        currency,
        sum(amount) as amount_transferred,
        coalesce(sum(amount) filter (where status = 'delivered'), 0) as amount_delivered,
        coalesce(sum(amount) filter (where status = 'sent'), 0) as amount_in_transit
    from transfers
    group by account_id, currency

),

club_currencies as (

    select
        account_id,
        currency
    from monthly_totals
    union
    select
        account_id,
        currency
    from summary_totals
    where amount_paid <> 0 or amount_failed <> 0 or amount_scheduled <> 0
    union
    select
        account_id,
        currency
    from transfer_totals

)

select
    club_currencies.account_id,
    club_currencies.currency,
    monthly_totals.amount_paid,
    summary_totals.amount_paid as summary_amount_paid,
    monthly_totals.amount_in_transit,
    transfer_totals.amount_in_transit as transfers_amount_in_transit
from club_currencies
left join monthly_totals
    on club_currencies.account_id = monthly_totals.account_id and club_currencies.currency = monthly_totals.currency
left join summary_totals
    on club_currencies.account_id = summary_totals.account_id and club_currencies.currency = summary_totals.currency
left join transfer_totals
    on club_currencies.account_id = transfer_totals.account_id and club_currencies.currency = transfer_totals.currency
where
    coalesce(monthly_totals.amount_paid, 0) <> coalesce(summary_totals.amount_paid, 0)
    or coalesce(monthly_totals.amount_collected, 0) <> coalesce(summary_totals.amount_collected, 0)
    or coalesce(monthly_totals.commission_amount, 0) <> coalesce(summary_totals.commission_amount, 0)
    or coalesce(monthly_totals.tip_amount, 0) <> coalesce(summary_totals.tip_amount, 0)
    or coalesce(monthly_totals.amount_failed, 0) <> coalesce(summary_totals.amount_failed, 0)
    or coalesce(monthly_totals.amount_scheduled, 0) <> coalesce(summary_totals.amount_scheduled, 0)
    or coalesce(monthly_totals.amount_transferred, 0) <> coalesce(transfer_totals.amount_transferred, 0)
    or coalesce(monthly_totals.amount_delivered, 0) <> coalesce(transfer_totals.amount_delivered, 0)
    or coalesce(monthly_totals.amount_in_transit, 0) <> coalesce(transfer_totals.amount_in_transit, 0)
