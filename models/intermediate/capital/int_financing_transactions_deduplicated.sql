-- One row per financing transaction (payout, payment, reversal). A transaction
-- is created once; should two events carry it, the later (then greater event
-- id) wins. Amounts are positive as landed; `transaction_type` gives the
-- direction. Incremental: a build recomputes the transactions of the events
-- landed since the last one, or come into the as-of window.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='financing_transaction_id',
    rewrite_partition="date_format(created_at, 'yyyy-MM')",
) }}
with

events as (

    select * from {{ ref('stg_stripe_capital__events') }}
    where event_type = 'capital.financing_transaction.created' and event_created_at < {{ as_of_end_utc() }}
    {{ and_key_changed_since_last_build(
        ref('stg_stripe_capital__events'), ['object_id'], time_column='event_created_at'
    ) }}

),

renamed as (

    select
        object_id as financing_transaction_id,
        account_id,
        financing_offer_id,
        transaction_currency as currency,
        transaction_type,
        transaction_reason as reason,
        transaction_created_at as created_at,
        advance_amount,
        fee_amount,
        total_amount,
        reversed_transaction_id,
        linked_payment,
        linked_charge,
        linked_treasury_transaction,
        user_facing_description,
        legacy_balance_transaction_source,
        event_id,
        event_created_at,
        file_id,
        row_number,
        source_file,
        landed_at,
        {{ current_state_bookkeeping(ref('stg_stripe_capital__events')) }}
    from events

),

current_state as (

    select *
    from renamed
    qualify row_number() over (
        partition by financing_transaction_id
        order by event_created_at desc, event_id desc
    ) = 1

)

select * from current_state
