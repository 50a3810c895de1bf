-- One row per provider event: contract-keeping lines only, one per event id
-- (the first landed; the same id delivered again is the same event),
-- `livemode = false` (test data) left out. Incremental: each build adds the
-- events of the files landed since, minus ids it already holds. What is known
-- at the as-of moment is decided by the models reading it.
{{ config(materialized='incremental', incremental_strategy='append') }}

with

new_lines as (

    select * from {{ ref('base_stripe_capital__events') }}
    {{ landed_since_last_run('file_id') }}

),

events as (

    select * from new_lines
    where
        rejection_reason is null
        and is_livemode is not false
        and is_object_livemode is not false

),

-- the first landed line of each new event id, chosen on the ids and positions
-- alone (the window never carries the wide rows)
first_lines as (

    select
        file_id,
        row_number
    from events
    {% if is_incremental() %}
        where not exists (select 1 from {{ this }} as held where held.event_id = events.event_id)
    {% endif %}
    qualify row_number() over (
        partition by event_id
        order by file_id asc, row_number asc
    ) = 1

),

deduplicated as (

    select *
    from events
    where (file_id, row_number) in (
        select
            first_lines.file_id,
            first_lines.row_number
        from first_lines
    )

)

select * from deduplicated
