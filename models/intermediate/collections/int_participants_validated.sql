-- Every staged participant, checked against the rows it names (its collection
-- and its rate), with what the marts need: the amount it owes, its club and
-- currency, its form status and the missing-email flag. `rejection_reason` is
-- the first rule between rows it breaks, or null; rejected participants reach
-- no mart and are listed in `audit.rejected_rows`.
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

participants as (

    select * from {{ ref('stg_club_payments__participants') }}
    where {{ in_changed_collections('collection_id', changed) }}

),

collections as (

    select * from {{ ref('stg_club_payments__collections') }}

),

rates as (

    select * from {{ ref('stg_club_payments__rates') }}

),

checked as (

    select
        participants.participant_id,
        participants.collection_id,
        collections.account_id,
        participants.rate_id,
        rates.rate_label,
        rates.amount as amount_due,
        collections.currency,
        participants.first_name,
        participants.last_name,
        participants.email,
        participants.is_guest,
        participants.has_parent_account,
        participants.member_id,
        participants.form_first_viewed_at,
        participants.form_completed_at,
        case
            when participants.form_completed_at is not null then 'complete'
            when participants.form_first_viewed_at is not null then 'incomplete'
            else 'empty'
        end as form_status,
        case
            when participants.form_completed_at is not null then 'green'
            when participants.form_first_viewed_at is not null then 'red'
            else 'grey'
        end as form_status_colour,
        (
            nullif(trim(participants.email), '') is null
            and not participants.is_guest
            and not participants.has_parent_account
        ) as is_missing_required_email,
        participants.created_at,
        participants.updated_at,
        participants.source_file,
        participants.landed_at,
        participants.file_id,
        participants.row_number,
        {{ built_at() }},
        case
            when collections.collection_id is null
                then
                    'collection_id ''' || participants.collection_id
                    || ''' is unknown (not landed, or its row was rejected)'
            when rates.rate_id is null
                then
                    'rate_id ''' || participants.rate_id
                    || ''' is unknown (not landed, or its row was rejected)'
            when rates.collection_id <> participants.collection_id
                then
                    'rate_id ''' || participants.rate_id || ''' belongs to collection '''
                    || rates.collection_id || ''', not to the participant''s collection '''
                    || participants.collection_id || ''''
        end as rejection_reason
    from participants
    left join collections
        on participants.collection_id = collections.collection_id
    left join rates
        on participants.rate_id = rates.rate_id

),

{{ rejected_records_ctes('checked', ref('base_club_payments__participants')) }}

select * from with_records
