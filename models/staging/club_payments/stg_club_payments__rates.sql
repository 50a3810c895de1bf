-- Rates, one row per rate_id (the row landed last).
with

rates as (

    select * from {{ ref('base_club_payments__rates') }}
    where rejection_reason is null

),

current_state as (

    select
        rate_id,
        collection_id,
        rate_label,
        amount,
        source_file,
        landed_at
    from rates
    {{ qualify_current_state('rate_id', versioned=false) }}

)

select * from current_state
