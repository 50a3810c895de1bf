-- Transfers to the clubs, current state per transfer_id (latest updated_at).
with

transfers as (

    select * from {{ ref('base_club_payments__transfers') }}
    where rejection_reason is null and updated_at < {{ as_of_end_utc() }}

),

current_state as (

    select
        transfer_id,
        account_id,
        amount,
        currency,
        status,
        sent_at,
        delivered_at,
        updated_at,
        source_file,
        landed_at
    from transfers
    {{ qualify_current_state('transfer_id', versioned=true) }}

)

select * from current_state
