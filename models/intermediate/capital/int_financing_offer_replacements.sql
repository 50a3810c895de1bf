-- One row per offer that a replacement replaced (capital.md, "Replacement").
-- The provider replaces an offer by creating a new one whose
-- `replacement_for` names the old one, and sends nothing for the old one.
-- The old offer changes to `replaced` at the new offer's `created` time T, as
-- if an event had landed then, but only when its state just before T (its
-- latest event before T) is `undelivered` or `delivered` and not yet expired
-- (its `expires_after` not before T). Of several replacements naming one
-- offer, the earliest that applies replaces it (after it, the offer is
-- `replaced`, which is terminal). The derived change carries the event id of
-- the new offer's first event naming the old one (for the tie rule), and that
-- event's landing file (for incremental watermarks).
with

offer_events as (

    select * from {{ ref('int_financing_offer_events') }}

),

replacing_events as (

    select
        replacement_for as financing_offer_id,
        financing_offer_id as replacement,
        created_at as replaced_at,
        event_id,
        file_id
    from offer_events
    where replacement_for is not null and replacement_for <> financing_offer_id
    qualify row_number() over (
        partition by replacement_for, financing_offer_id
        order by event_created_at asc, event_id asc
    ) = 1

),

state_before as (

    -- the replaced offer's latest event strictly before T
    select
        replacing_events.*,
        offer_events.status as status_before,
        offer_events.expires_at as expires_at_before
    from replacing_events
    inner join offer_events
        on
            replacing_events.financing_offer_id = offer_events.financing_offer_id
            and replacing_events.replaced_at > offer_events.event_created_at
    qualify row_number() over (
        partition by replacing_events.financing_offer_id, replacing_events.replacement
        order by offer_events.event_created_at desc, offer_events.status_rank desc, offer_events.event_id desc
    ) = 1

),

applying as (

    select
        financing_offer_id,
        replacement,
        replaced_at,
        event_id,
        file_id
    from state_before
    where
        status_before in ('undelivered', 'delivered')
        and expires_at_before >= replaced_at
    qualify row_number() over (
        partition by financing_offer_id order by replaced_at asc, replacement asc
    ) = 1

)

select * from applying
