-- Collections, one row per collection_id (the row landed last).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='collection_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
) }}
with

collections as (

    select * from {{ ref('base_club_payments__collections') }}
    where rejection_reason is null
    {{ and_key_changed_since_last_build(ref('base_club_payments__collections'), ['collection_id'], versioned=false) }}

),

current_state as (

    select
        collection_id,
        account_id,
        collection_name,
        kind,
        fee_model,
        commission_rate,
        currency,
        opened_at,
        closes_at,
        source_file,
        landed_at,
        {{ current_state_bookkeeping(ref('base_club_payments__collections')) }}
    from collections
    {{ qualify_current_state('collection_id', versioned=false) }}

)

select * from current_state
