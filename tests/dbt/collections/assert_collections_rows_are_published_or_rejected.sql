-- Never silently dropped: every staged participant and transaction, and every
-- link row of a known transaction, is either published in the marts or listed
-- in audit.rejected_rows.
with

staged_participants as (

    select * from {{ ref('stg_club_payments__participants') }}

),

staged_transactions as (

    select * from {{ ref('stg_club_payments__transactions') }}

),

validated_participants as (

    select * from {{ ref('int_participants_validated') }}

),

validated_transactions as (

    select * from {{ ref('int_transactions_validated') }}

),

validated_links as (

    select * from {{ ref('int_transaction_participants_validated') }}

),

participants as (

    select * from {{ ref('participants') }}

),

transactions as (

    select * from {{ ref('transactions') }}

),

rejected_rows as (

    select * from {{ ref('rejected_rows') }}
    where rejected_by = 'contract'

),

participant_outcomes as (

    select
        'participants' as source_table,
        staged_participants.participant_id as object_id,
        (participants.participant_id is not null) as is_published,
        (rejected_rows.source_file is not null) as is_rejected
    from staged_participants
    left join participants
        on staged_participants.participant_id = participants.participant_id
    left join validated_participants
        on staged_participants.participant_id = validated_participants.participant_id
    left join rejected_rows
        on
            rejected_rows.source_table = 'participants'
            and validated_participants.source_file = rejected_rows.source_file
            and validated_participants.landed_at = rejected_rows.landed_at
            and validated_participants.row_number = rejected_rows.row_number

),

transaction_outcomes as (

    select
        'transactions' as source_table,
        staged_transactions.transaction_id as object_id,
        (transactions.transaction_id is not null) as is_published,
        (rejected_rows.source_file is not null) as is_rejected
    from staged_transactions
    left join transactions
        on staged_transactions.transaction_id = transactions.transaction_id
    left join validated_transactions
        on staged_transactions.transaction_id = validated_transactions.transaction_id
    left join rejected_rows
        on
            rejected_rows.source_table = 'transactions'
            and validated_transactions.source_file = rejected_rows.source_file
            and validated_transactions.landed_at = rejected_rows.landed_at
            and validated_transactions.row_number = rejected_rows.row_number

),

link_outcomes as (

    select
        'transaction_participants' as source_table,
        validated_links.transaction_id || '/' || validated_links.participant_id as object_id,
        (validated_links.rejection_reason is null and transactions.transaction_id is not null) as is_published,
        (rejected_rows.source_file is not null) as is_rejected
    from validated_links
    left join transactions
        on
            validated_links.transaction_id = transactions.transaction_id
            and {{ list_has('transactions.participant_ids', 'validated_links.participant_id') }}
    left join rejected_rows
        on
            rejected_rows.source_table = 'transaction_participants'
            and validated_links.source_file = rejected_rows.source_file
            and validated_links.landed_at = rejected_rows.landed_at
            and validated_links.row_number = rejected_rows.row_number

),

outcomes as (

    select * from participant_outcomes
    union all
    select * from transaction_outcomes
    union all
    select * from link_outcomes

)

select * from outcomes
where is_published = is_rejected
