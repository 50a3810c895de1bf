-- Transfers to the clubs, current state per transfer_id (latest updated_at).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='transfer_id',
    rewrite_partition="date_format(sent_at, 'yyyy-MM')",
) }}
with

transfers as (

    select * from {{ ref('base_club_payments__transfers') }}
    where rejection_reason is null and updated_at < {{ as_of_end_utc() }}
    {{ and_key_changed_since_last_build(ref('base_club_payments__transfers'), ['transfer_id'], versioned=true) }}

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
        landed_at,
        {{ current_state_bookkeeping(ref('base_club_payments__transfers')) }}
    from transfers
    {{ qualify_current_state('transfer_id', versioned=true) }}

)

select * from current_state
