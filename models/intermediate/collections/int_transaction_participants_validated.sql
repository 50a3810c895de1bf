-- Every link row of a transaction known at the as-of moment, with
-- `rejection_reason`: the first rule it breaks on the participant's side (see
-- int_transaction_participants_joined), else on the transaction's side (the
-- transaction is unknown, or rejected: its link rows go with it), or null.
-- Links of transactions not known yet (updated after the as-of moment) are
-- left out, as their transactions are.
-- Incremental: a build rewrites the collections touched since (macros/collections.sql).
{{ config(
    materialized=incremental_or_table('delete+insert'),
    incremental_strategy='append',
    pre_hook="{{ touched_collections_hooks('collection_key') }}",
) }}
with

links as (

    select * from {{ ref('int_transaction_participants_joined') }}
    where not is_transaction_pending and {{ in_touched_collections('collection_key') }}

),

transactions as (

    select * from {{ ref('int_transactions_validated') }}
    where {{ in_touched_collections('collection_id') }}

),

validated as (

    select
        links.transaction_id,
        links.participant_id,
        transactions.collection_id,
        transactions.payer_id,
        transactions.scheduled_for,
        links.source_file,
        links.landed_at,
        links.file_id,
        links.row_number,
        links.collection_key,
        {{ built_at() }},
        coalesce(
            links.participant_issue,
            case
                when transactions.transaction_id is null
                    then
                        'transaction_id ''' || links.transaction_id
                        || ''' is unknown (not landed, or its row was rejected)'
                when transactions.rejection_reason is not null
                    then
                        'transaction_id ''' || links.transaction_id || ''' is rejected: '
                        || transactions.rejection_reason
            end
        ) as rejection_reason
    from links
    left join transactions
        on links.transaction_id = transactions.transaction_id

),

{{ rejected_records_ctes('validated', ref('base_club_payments__transaction_participants')) }}

select * from with_records
