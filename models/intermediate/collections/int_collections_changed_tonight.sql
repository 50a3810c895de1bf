-- The collections a build must rewrite, with the rules that widen a change
-- written once: one row per collection key, `_built_at` the last build that
-- found it changed. A build adds (or moves to its own `_built_at`) the keys
-- touched since this table was last built:
-- - a staged row of the collection was (re)written: the collection, a rate, a
--   payer, a participant, a transaction, a link;
-- - a row it names from another collection was (a participant's rate, a
--   transaction's payer: the rejection reason names them), or a link naming one
--   of its transactions or participants was;
-- - a transaction it links to was landed since (a link to a transaction not yet
--   known at the as-of moment is pending, then becomes known);
-- - a transfer of its club was (the summary carries the club's transfers);
-- - always the '' bucket of links attached to nothing.
-- Every incremental collections model reads it with `ref()` and rewrites whole
-- the keys changed since its own last build (macros/collections.sql), so a
-- model that failed in one build catches up in the next. A full build holds
-- every key.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    rewrite_partition="pmod(xxhash64(collection_id), 16)",
    unique_key='collection_id',
) }}
{%- set since -%}
{%- if is_incremental() -%}
        (select coalesce(max(held._built_at), cast('1970-01-01' as timestamp)) from {{ this }} as held)
    {%- else -%}
cast('1970-01-01' as timestamp)
{%- endif -%}
{%- endset %}
with

collections as (

    select * from {{ ref('stg_club_payments__collections') }}

),

rates as (

    select * from {{ ref('stg_club_payments__rates') }}

),

payers as (

    select * from {{ ref('stg_club_payments__payers') }}

),

participants as (

    select * from {{ ref('stg_club_payments__participants') }}

),

transactions as (

    select * from {{ ref('stg_club_payments__transactions') }}

),

links as (

    select * from {{ ref('stg_club_payments__transaction_participants') }}

),

transfers as (

    select * from {{ ref('stg_club_payments__transfers') }}

),

landed_transactions as (

    select * from {{ ref('base_club_payments__transactions') }}

),

changed as (

    select collections.collection_id from collections
    where collections._built_at > {{ since }}
    union all
    select rates.collection_id from rates
    where rates._built_at > {{ since }}
    union all
    select payers.collection_id from payers
    where payers._built_at > {{ since }}
    union all
    select participants.collection_id from participants
    where
        participants._built_at > {{ since }}
        or participants.rate_id in (
            select rates.rate_id from rates
            where rates._built_at > {{ since }}
        )
    union all
    select transactions.collection_id from transactions
    where
        transactions._built_at > {{ since }}
        or transactions.payer_id in (
            select payers.payer_id from payers
            where payers._built_at > {{ since }}
        )
    union all
    select transactions.collection_id from transactions
    where
        transactions.transaction_id in (
            select links.transaction_id from links
            where
                links._built_at > {{ since }}
                or links.participant_id in (
                    select participants.participant_id from participants
                    where participants._built_at > {{ since }}
                )
        )
    union all
    select participants.collection_id from participants
    where
        participants.participant_id in (
            select links.participant_id from links
            where
                links._built_at > {{ since }}
                or links.transaction_id in (
                    select transactions.transaction_id from transactions
                    where transactions._built_at > {{ since }}
                )
                or links.transaction_id in (
                    select landed_transactions.transaction_id from landed_transactions
                    where landed_transactions.landed_at > {{ since }}
                )
        )
    union all
    select collections.collection_id from collections
    where
        collections.account_id in (
            select transfers.account_id from transfers
            where transfers._built_at > {{ since }}
        )
    union all
    select '' as collection_id

),

keyed as (

    select distinct
        changed.collection_id,
        {{ built_at() }}
    from changed

)

select * from keyed
