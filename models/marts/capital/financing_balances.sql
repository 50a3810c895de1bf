-- Sigma's financing_balances: one row per financing per UTC day from its
-- payout day to the day it ends (fully repaid, canceled, charged off) or the
-- as-of date, with the end-of-day balances after all of that day's
-- transactions and the overdue / pending amounts of the repayment interval.
--
-- Incremental: a nightly build rewrites, per financing, only the days from
-- the first one its new information touches: the earliest day of a
-- transaction landed (or come into the as-of window) since the last build,
-- the charge-off day of a charge-off new since then, and the days after the
-- last build's as-of date for financings still running then. Rows past a
-- financing's (new) last day are pruned; a financing whose offer landed
-- after its transactions is built whole. A full refresh gives the same rows.
-- Building for an earlier as-of date than the table's needs --full-refresh
-- (`scripts/wh build` and `nightly` do it).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    rewrite_partition="date_format(effective_date_utc, 'yyyy-MM')",
    replaces_from='effective_date_utc',
    unique_key=['financing_offer', 'effective_date_utc'],
    post_hook="{{ balance_days_after_end_deleted(ref('int_financings')) }}",
) }}

with

financings as (

    select * from {{ ref('int_financings') }}

),

changes as (

    select * from {{ ref('int_financing_balance_changes') }}

),

{% if is_incremental() %}

watermark as (

    select
        max(_loaded_through_file_id) as file_id,
        max(_as_of_date) as as_of_date,
        {{ local_midnight_to_utc('max(_as_of_date) + 1', var('reporting_timezone', 'UTC')) }} as as_of_end
    from {{ this }}

),

touched as (

    select
        changes.financing_offer_id,
        changes.effective_date_utc as from_date
    from changes
    cross join watermark
    where changes.max_file_id > watermark.file_id or changes.last_created_at >= watermark.as_of_end

    union all

    select
        financings.financing_offer_id,
        financings.charged_off_date as from_date
    from financings
    cross join watermark
    where
        financings.charged_off_file_id > watermark.file_id
        or financings.charged_off_event_created_at >= watermark.as_of_end

    union all

    select
        financings.financing_offer_id,
        cast({{ dbt.dateadd('day', 1, 'watermark.as_of_date') }} as date) as from_date
    from financings
    cross join watermark
    where financings.end_date > watermark.as_of_date

    union all

    -- financings new to the table though none of their transactions is: their
    -- offer landed after them (transactions waiting for their offer)
    select
        financings.financing_offer_id,
        financings.payout_date as from_date
    from financings
    where {{ not_yet_held('financings.financing_offer_id', 'financing_offer') }}

),

ranges as (

    select
        financing_offer_id,
        min(from_date) as from_date
    from touched
    group by financing_offer_id

),

{% else %}

ranges as (

    select
        financing_offer_id,
        payout_date as from_date
    from financings

),

{% endif %}

before_range as (

    -- the running totals at the end of the day before each rewritten range
    select
        changes.financing_offer_id,
        sum(changes.principal_change) as principal_balance,
        sum(changes.premium_change) as premium_balance,
        sum(changes.repaid_change) as repaid_amount
    from changes
    inner join ranges
        on
            changes.financing_offer_id = ranges.financing_offer_id
            and changes.effective_date_utc < ranges.from_date
    group by changes.financing_offer_id

),

spine as (

    select
        financings.financing_offer_id,
        financings.account_id,
        financings.currency,
        financings.total_owed_amount,
        financings.payout_date,
        financings.repayment_interval_days,
        financings.repayment_interval_minimum_amount,
        financings.canceled_date,
        financings.end_date,
        financings.ended_by,
        {{ day_series('greatest(ranges.from_date, financings.payout_date)', 'financings.end_date') }}
            as effective_date_utc
    from financings
    inner join ranges on financings.financing_offer_id = ranges.financing_offer_id
    where ranges.from_date <= financings.end_date

),

running_changes as (

    select
        spine.*,
        sum(coalesce(changes.principal_change, 0)) over running_window as principal_change_in_range,
        sum(coalesce(changes.premium_change, 0)) over running_window as premium_change_in_range,
        sum(coalesce(changes.repaid_change, 0)) over running_window as repaid_change_in_range
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

running as (

    select
        running_changes.*,
        cast(coalesce(before_range.principal_balance, 0) + running_changes.principal_change_in_range as bigint)
            as principal_balance,
        cast(coalesce(before_range.premium_balance, 0) + running_changes.premium_change_in_range as bigint)
            as premium_balance,
        cast(coalesce(before_range.repaid_amount, 0) + running_changes.repaid_change_in_range as bigint)
            as repaid_amount
    from running_changes
    left join before_range on running_changes.financing_offer_id = before_range.financing_offer_id

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

loaded as (

    -- the newest landing file this build read (the next build's watermark)
    select
        coalesce(greatest(
            (select max(max_file_id) from changes),
            (select max(charged_off_file_id) from financings)
        ), 0) as file_id

),

published as (

    select
        financing_offer_id || ':' || cast(effective_date_utc as {{ dbt.type_string() }}) as id,
        account_id,
        account_id as account,
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

),

{{ batch_timestamp_ctes('published', 'id') }},

final as (

    select
        *,
        -- bookkeeping of the incremental build (what this row was computed from)
        {{ as_of_date() }} as _as_of_date,
        (select loaded.file_id from loaded) as _loaded_through_file_id
    from with_batch_timestamp

)

select * from final
