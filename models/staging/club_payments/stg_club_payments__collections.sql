-- Collections, one row per collection_id (the row landed last).
with

collections as (

    select * from {{ ref('base_club_payments__collections') }}
    where rejection_reason is null

),

current_state as (

    select
        collection_id,
        account_id,
        collection_name,
        kind,
        fee_model,
        commission_rate,
        currency,
        opened_at,
        closes_at,
        source_file,
        landed_at
    from collections
    {{ qualify_current_state('collection_id', versioned=false) }}

)

select * from current_state
