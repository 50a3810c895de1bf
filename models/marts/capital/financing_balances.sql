-- Sigma's financing_balances: one row per financing per UTC day from its
-- payout day to the day it ends (fully repaid, canceled, charged off) or the
-- as-of date, with the end-of-day balances after all of that day's
-- transactions and the overdue / pending amounts of the repayment interval.
with

financings as (

    select * from {{ ref('int_financings') }}

),

changes as (

    select * from {{ ref('int_financing_balance_changes') }}

),

spine as (

    select
        financing_offer_id,
        account_id,
        currency,
        total_owed_amount,
        payout_date,
        repayment_interval_days,
        repayment_interval_minimum_amount,
        canceled_date,
        end_date,
        ended_by,
        {{ day_series('payout_date', 'end_date') }} as effective_date_utc
    from financings

),

running as (

    select
        spine.*,
        cast(sum(coalesce(changes.principal_change, 0)) over running_window as bigint) as principal_balance,
        cast(sum(coalesce(changes.premium_change, 0)) over running_window as bigint) as premium_balance,
        cast(sum(coalesce(changes.repaid_change, 0)) over running_window as bigint) as repaid_amount
    from spine
    left join changes
        on
            spine.financing_offer_id = changes.financing_offer_id
            and spine.effective_date_utc = changes.effective_date_utc
    window running_window as (
        partition by spine.financing_offer_id
        order by spine.effective_date_utc
        rows between unbounded preceding and current row
    )

),

intervals as (

    select
        *,
        coalesce(effective_date_utc = canceled_date, false) as is_canceled,
        -- interval k covers payout date + k*D .. payout date + (k+1)*D - 1
        cast(floor(
            {{ dbt.datediff('payout_date', 'effective_date_utc', 'day') }} / repayment_interval_days
        ) as bigint) as interval_index
    from running

),

overdue as (

    select
        *,
        case
            when is_canceled or interval_index is null then 0
            else greatest(
                0, least(interval_index * repayment_interval_minimum_amount, total_owed_amount) - repaid_amount
            )
        end as overdue_payment_amount
    from intervals

),

final as (

    select
        financing_offer_id || ':' || cast(effective_date_utc as varchar) as id,
        account_id,
        financing_offer_id as financing_offer,
        currency,
        effective_date_utc,
        case when is_canceled then 0 else greatest(principal_balance, 0) end as principal_outstanding_amount,
        case when is_canceled then 0 else greatest(premium_balance, 0) end as premium_outstanding_amount,
        overdue_payment_amount,
        case
            when is_canceled or interval_index is null then 0
            else greatest(
                0,
                least((interval_index + 1) * repayment_interval_minimum_amount, total_owed_amount)
                - repaid_amount - overdue_payment_amount
            )
        end as pending_payment_amount,
        repaid_amount,
        interval_index as repayment_interval_index,
        case when effective_date_utc = end_date then ended_by end as ended_by
    from overdue

)

select * from final
