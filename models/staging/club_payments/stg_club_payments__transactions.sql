-- Transactions, current state per transaction_id (latest updated_at).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='transaction_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
) }}
with

transactions as (

    select * from {{ ref('base_club_payments__transactions') }}
    where rejection_reason is null and updated_at < {{ as_of_end_utc() }}
    {{ and_key_changed_since_last_build(ref('base_club_payments__transactions'), ['transaction_id'], versioned=true) }}

),

current_state as (

    select
        transaction_id,
        collection_id,
        payer_id,
        amount,
        tip_amount,
        status,
        scheduled_for,
        paid_at,
        failed_at,
        installment_number,
        installment_count,
        updated_at,
        source_file,
        landed_at,
        file_id,
        row_number,
        {{ current_state_bookkeeping(ref('base_club_payments__transactions')) }}
    from transactions
    {{ qualify_current_state('transaction_id', versioned=true) }}

)

select * from current_state
