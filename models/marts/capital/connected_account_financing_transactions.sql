-- Sigma's connected_account_financing_transactions: one row per financing
-- transaction (payouts, payments, reversals), amounts positive as landed,
-- `transaction_type` giving the direction, every Sigma column under its name
-- and type (sigma_schema.md). A transaction waiting for its offer
-- (int_financing_transactions_waiting) is not here. Incremental: a build
-- rewrites the financings whose transactions it rewrote, and takes in the
-- financings whose offer has landed since their transactions did.
{{ config(
    materialized='incremental',
    incremental_strategy=rewrite_strategy('delete+insert'),
    unique_key='financing_offer',
    rewrite_partition="date_format(effective_date_utc, 'yyyy-MM')",
) }}
with

classified as (

    select * from {{ ref('int_financing_transactions_classified') }}

),

offers as (

    select * from {{ ref('int_financing_offers_current') }}

),

touched as (

    {{ touched_since_last_build(ref('int_financing_transactions_classified'), 'financing_offer_id') }}
    {%- if is_incremental() %}
    union all
    -- financings held back while their offer had not landed
    select classified.financing_offer_id
    from classified
    where {{ not_yet_held('classified.financing_offer_id', 'financing_offer') }}
    {%- endif %}

),

transactions as (

    select classified.*
    from classified
    inner join offers on classified.financing_offer_id = offers.financing_offer_id
    where classified.financing_offer_id in (select touched.financing_offer_id from touched)

),

published as (

    select
        financing_transaction_id as id,
        account_id as account,
        financing_offer_id as financing_offer,
        currency,
        transaction_type,
        reason,
        coalesce(
            user_facing_description,
            case
                when transaction_type = 'payout' then 'Financing payout'
                when transaction_type = 'payment' then 'Financing payment (' || coalesce(reason, 'unspecified') || ')'
                else 'Reversal of ' || reverses || ' ' || coalesce(reversed_transaction_id, '(unknown)')
            end
        ) as description,
        {{ as_instant('created_at') }} as effective_time,
        advance_amount,
        fee_amount,
        total_amount,
        reversed_transaction_id as reversed_transaction,
        case
            when transaction_type = 'payment' then coalesce(linked_payment, linked_charge, linked_treasury_transaction)
        end as linked_withholdable_object_id,
        case
            when transaction_type <> 'payment' then null
            when linked_payment is not null or linked_charge is not null then 'charge'
            when linked_treasury_transaction is not null then 'treasury_transaction'
        end as linked_withholdable_object_type,
        legacy_balance_transaction_source,
        -- extras
        account_id,
        effective_date_utc,
        reversed_transaction_type
    from transactions

),

{{ batch_timestamp_ctes('published', 'id') }},

final as (

    select
        *,
        {{ as_instant(built_at_value()) }} as _built_at
    from with_batch_timestamp

)

select * from final
