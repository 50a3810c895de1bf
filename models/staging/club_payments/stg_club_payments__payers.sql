-- Payers, one row per payer_id (the row landed last).
with

payers as (

    select * from {{ ref('base_club_payments__payers') }}
    where rejection_reason is null

),

current_state as (

    select
        payer_id,
        collection_id,
        first_name,
        last_name,
        email,
        created_at,
        source_file,
        landed_at
    from payers
    {{ qualify_current_state('payer_id', versioned=false) }}

)

select * from current_state
