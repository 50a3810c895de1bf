-- collections.transfers: the current state of every transfer to a club's bank
-- account, with how long its delivery took. Incremental: a build rewrites the
-- transfers it (re)staged.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='transfer_id',
    rewrite_partition="date_format(sent_at, 'yyyy-MM')",
) }}
with

transfers as (

    select * from {{ ref('stg_club_payments__transfers') }}
    where transfer_id in ({{ touched_since_last_build(ref('stg_club_payments__transfers'), 'transfer_id') }})

),

final as (

    select
        transfer_id,
        account_id,
        amount,
        currency,
        status,
        {{ as_instant('sent_at') }} as sent_at,
        {{ as_instant('delivered_at') }} as delivered_at,
        case
            when status = 'delivered' then {{ dbt.datediff('sent_at', 'delivered_at', 'second') }}
        end as delivery_seconds,
        case
            when status = 'delivered'
                then cast({{ divide_half_away_from_zero(dbt.datediff('sent_at', 'delivered_at', 'second'), 3600, 2) }} as decimal(18, 2))
        end as delivery_hours,
        {{ as_instant('updated_at') }} as updated_at,
        {{ as_instant(built_at_value()) }} as _built_at
    from transfers

)

select * from final
