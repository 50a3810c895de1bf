-- Current state of every financing offer: the offer of its latest event (by
-- `created`; ties by the lifecycle rule, see `status_rank`). `charged_off_at`
-- once set on any event stays set. The derived `expired` state and the
-- lifecycle timestamps are business rules and live in the intermediate layer.
with

offer_events as (

    select * from {{ ref('int_financing_offer_events') }}

),

with_charge_off as (

    select
        {{ star_exclude(['charged_off_at']) }},
        max(charged_off_at) over (partition by financing_offer_id) as charged_off_at
    from offer_events

),

current_state as (

    select *
    from with_charge_off
    qualify row_number() over (
        partition by financing_offer_id
        order by event_created_at desc, status_rank desc, event_id desc
    ) = 1

)

select * from current_state
