-- Payers, one row per payer_id (the row landed last).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='payer_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
) }}
with

payers as (

    select * from {{ ref('base_club_payments__payers') }}
    where rejection_reason is null
    {{ and_key_changed_since_last_build(ref('base_club_payments__payers'), ['payer_id'], versioned=false) }}

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
        landed_at,
        {{ current_state_bookkeeping(ref('base_club_payments__payers')) }}
    from payers
    {{ qualify_current_state('payer_id', versioned=false) }}

)

select * from current_state
