-- Which participants each transaction pays for, one row per pair.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key=['transaction_id', 'participant_id'],
    rewrite_partition="pmod(xxhash64(transaction_id), 16)",
) }}
with

transaction_participants as (

    select * from {{ ref('base_club_payments__transaction_participants') }}
    where rejection_reason is null
    {{ and_key_changed_since_last_build(ref('base_club_payments__transaction_participants'), ['transaction_id', 'participant_id'], versioned=false) }}

),

current_state as (

    select
        transaction_id,
        participant_id,
        source_file,
        landed_at,
        file_id,
        row_number,
        {{ current_state_bookkeeping(ref('base_club_payments__transaction_participants')) }}
    from transaction_participants
    {{ qualify_current_state('transaction_id, participant_id', versioned=false) }}

)

select * from current_state
