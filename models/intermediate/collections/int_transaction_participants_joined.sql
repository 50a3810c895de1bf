-- Every staged link row (a transaction naming a participant) with what it
-- points to: the transaction's collection, the participant's collection and
-- rejection, and `participant_issue`, the first rule the link breaks on the
-- participant's side (unknown or rejected participant, participant of another
-- collection), or null. `is_transaction_pending`: the transaction has valid
-- landed rows but none known at the as-of moment (it is not known yet).
-- `collection_key`: the collection of the transaction, else of the
-- participant, else ''.
-- Incremental: a build rewrites the collections changed since its last build
-- (int_collections_changed_tonight, macros/collections.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('append'),
    replaces_changed_collections='collection_key',
    rewrite_partition="pmod(xxhash64(collection_key), 16)",
    pre_hook="{{ changed_collections_hooks('collection_key', ref('int_collections_changed_tonight')) }}",
) }}
{%- set changed = ref('int_collections_changed_tonight') %}
{#- the staged rows an incremental build finds the changed collections' links by -#}
{%- set staged_transactions = ref('stg_club_payments__transactions') %}
{%- set staged_participants = ref('stg_club_payments__participants') %}
with

links as (

    select links.* from {{ ref('stg_club_payments__transaction_participants') }} as links
    {%- if is_incremental() %}
    -- the links of the touched collections: by their transaction, else their participant
    where
        transaction_id in (
            select transaction_id from {{ staged_transactions }}
            where {{ in_changed_collections('collection_id', changed) }}
        )
        or participant_id in (
            select participant_id from {{ staged_participants }}
            where {{ in_changed_collections('collection_id', changed) }}
        )
        -- (`not exists`, not `not in`: Spark plans `not in` as a nested loop join;
        -- both ids are keys of their staged tables, never NULL there)
        or (
            transaction_id is not null
            and participant_id is not null
            and not exists (
                select 1 from {{ staged_transactions }} as staged
                where staged.transaction_id = links.transaction_id
            )
            and not exists (
                select 1 from {{ staged_participants }} as staged
                where staged.participant_id = links.participant_id
            )
        )
    {%- endif %}

),


transactions as (

    select * from {{ ref('stg_club_payments__transactions') }}

),

landed_transactions as (

    select distinct transaction_id
    from {{ ref('base_club_payments__transactions') }}
    where rejection_reason is null

),

participants as (

    select * from {{ ref('int_participants_validated') }}

),

joined as (

    select
        links.transaction_id,
        links.participant_id,
        transactions.collection_id as transaction_collection_id,
        participants.collection_id as participant_collection_id,
        transactions.transaction_id is not null as is_transaction_known,
        (
            transactions.transaction_id is null
            and landed_transactions.transaction_id is not null
        ) as is_transaction_pending,
        case
            when participants.participant_id is null
                then
                    'participant_id ''' || links.participant_id
                    || ''' is unknown (not landed, or its row was rejected)'
            when participants.rejection_reason is not null
                then
                    'participant_id ''' || links.participant_id || ''' is rejected: '
                    || participants.rejection_reason
            when participants.collection_id <> transactions.collection_id
                then
                    'participant_id ''' || links.participant_id || ''' belongs to collection '''
                    || participants.collection_id || ''', not to the transaction''s collection '''
                    || transactions.collection_id || ''''
        end as participant_issue,
        links.source_file,
        links.landed_at,
        links.file_id,
        links.row_number,
        coalesce(transactions.collection_id, participants.collection_id, '') as collection_key,
        {{ built_at() }}
    from links
    left join transactions
        on links.transaction_id = transactions.transaction_id
    left join landed_transactions
        on links.transaction_id = landed_transactions.transaction_id
    left join participants
        on links.participant_id = participants.participant_id

),

touched as (

    select * from joined
    where {{ in_changed_collections('collection_key', changed) }}

)

select * from touched
