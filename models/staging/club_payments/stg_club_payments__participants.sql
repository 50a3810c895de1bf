-- Participants, current state per participant_id (latest updated_at).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='participant_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
) }}
with

participants as (

    select * from {{ ref('base_club_payments__participants') }}
    where rejection_reason is null and updated_at < {{ as_of_end_utc() }}
    {{ and_key_changed_since_last_build(ref('base_club_payments__participants'), ['participant_id'], versioned=true) }}

),

current_state as (

    select
        participant_id,
        collection_id,
        rate_id,
        first_name,
        last_name,
        email,
        is_guest,
        has_parent_account,
        member_id,
        form_first_viewed_at,
        form_completed_at,
        created_at,
        updated_at,
        source_file,
        landed_at,
        file_id,
        row_number,
        {{ current_state_bookkeeping(ref('base_club_payments__participants')) }}
    from participants
    {{ qualify_current_state('participant_id', versioned=true) }}

)

select * from current_state
