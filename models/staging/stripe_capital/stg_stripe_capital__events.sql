-- One row per provider event known at the as-of moment: contract-keeping
-- lines only, one per event id (the first landed; a re-delivery is the same
-- event), test-mode events left out.
{{ config(materialized='table') }}

with

events as (

    select * from {{ ref('base_stripe_capital__events') }}
    where rejection_reason is null

),

deduplicated as (

    select *
    from events
    qualify row_number() over (
        partition by event_id
        order by file_id asc, row_number asc
    ) = 1

),

known as (

    select *
    from deduplicated
    where
        is_livemode is not false
        and is_object_livemode is not false
        and event_created_at < {{ as_of_end_utc() }}

)

select * from known
