-- Which participants each transaction pays for, one row per pair.
with

transaction_participants as (

    select * from {{ ref('base_club_payments__transaction_participants') }}
    where rejection_reason is null

),

current_state as (

    select
        transaction_id,
        participant_id,
        source_file,
        landed_at
    from transaction_participants
    {{ qualify_current_state('transaction_id, participant_id', versioned=false) }}

)

select * from current_state
