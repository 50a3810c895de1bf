-- Data-quality findings of the club collections: rows kept in the marts, but
-- that an analyst should look at. One row per finding:
-- - `participant_claimed_by_two_payers`: a participant named by transactions of
--   two (or more) payers keeps the payer of its earliest transaction; one
--   finding per other payer, which does not get it in its cart.
-- - `missing_required_email`: a participant with no email that is neither a
--   guest nor has a parent account.
-- Incremental: a build rewrites the collections changed since its last build
-- (int_collections_changed_tonight, macros/collections.sql).
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('append'),
    replaces_changed_collections='collection_id',
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
    pre_hook="{{ changed_collections_hooks('collection_id', ref('int_collections_changed_tonight')) }}",
) }}
{%- set changed = ref('int_collections_changed_tonight') %}
with

participant_payers as (

    select * from {{ ref('int_participant_payers_resolved') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

participants as (

    select * from {{ ref('int_participants_validated') }}
    where rejection_reason is null and {{ in_changed_collections('collection_id', changed) }}

),

payer_conflicts as (

    select
        'participant_claimed_by_two_payers' as finding_kind,
        collection_id,
        participant_id,
        kept_payer_id as payer_id,
        payer_id as other_payer_id,
        first_transaction_id as transaction_id,
        source_file,
        'participant ''' || participant_id || ''' is named by transactions of payers '''
        || kept_payer_id || ''' (from transaction ''' || kept_first_transaction_id || ''') and '''
        || payer_id || ''' (from transaction ''' || first_transaction_id || ''', '
        || transaction_count || ' transaction(s)); it stays in the cart of payer '''
        || kept_payer_id || ''', the payer of its earliest transaction' as detail
    from participant_payers
    where not is_kept_payer

),

kept_payers as (

    select * from participant_payers
    where is_kept_payer

),

missing_emails as (

    select
        'missing_required_email' as finding_kind,
        participants.collection_id,
        participants.participant_id,
        kept_payers.payer_id,
        cast(null as {{ dbt.type_string() }}) as other_payer_id,
        cast(null as {{ dbt.type_string() }}) as transaction_id,
        participants.source_file,
        'participant ''' || participants.participant_id || ''' (' || participants.first_name || ' '
        || participants.last_name || ') has no email, and is neither a guest nor has a parent account'
            as detail
    from participants
    left join kept_payers
        on participants.participant_id = kept_payers.participant_id
    where participants.is_missing_required_email

),

unioned as (

    select * from payer_conflicts
    union all
    select * from missing_emails

),

final as (

    select
        finding_kind || ':' || participant_id || coalesce(':' || other_payer_id, '') as finding_id,
        *,
        {{ built_at() }}
    from unioned

)

select * from final
