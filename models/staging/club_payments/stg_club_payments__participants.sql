-- Participants, current state per participant_id (latest updated_at).
with

participants as (

    select * from {{ ref('base_club_payments__participants') }}
    where rejection_reason is null and updated_at < {{ as_of_end_utc() }}

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
        landed_at
    from participants
    {{ qualify_current_state('participant_id', versioned=true) }}

)

select * from current_state
