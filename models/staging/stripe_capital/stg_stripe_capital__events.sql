-- One row per provider event: contract-keeping lines only, one per event id
-- (the first landed; the same id delivered again is the same event),
-- `livemode = false` (test data) left out. Incremental: each build adds the
-- events of the files landed since, minus ids it already holds. What is known
-- at the as-of moment is decided by the models reading it.
{{ config(materialized='incremental', incremental_strategy='append') }}

with

events as (

    select * from {{ ref('base_stripe_capital__events') }}
    where
        rejection_reason is null
        and is_livemode is not false
        and is_object_livemode is not false
        {% if is_incremental() -%}
            and file_id > (select coalesce(max(file_id), 0) from {{ this }})
        {%- endif %}

),

deduplicated as (

    select *
    from events
    {% if is_incremental() -%}
        where event_id not in (select held.event_id from {{ this }} as held)
    {%- endif %}
    qualify row_number() over (
        partition by event_id
        order by file_id asc, row_number asc
    ) = 1

)

select * from deduplicated
