-- Rates, one row per rate_id (the row landed last).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='rate_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
) }}
with

rates as (

    select * from {{ ref('base_club_payments__rates') }}
    where rejection_reason is null
    {{ and_key_changed_since_last_build(ref('base_club_payments__rates'), ['rate_id'], versioned=false) }}

),

current_state as (

    select
        rate_id,
        collection_id,
        rate_label,
        amount,
        source_file,
        landed_at,
        {{ current_state_bookkeeping(ref('base_club_payments__rates')) }}
    from rates
    {{ qualify_current_state('rate_id', versioned=false) }}

)

select * from current_state
