-- Every landed event line, parsed once into typed columns, with the reason it
-- breaks the contract (or null). Object fields of the three object kinds sit
-- side by side; the `stg_` models pick theirs.
{%- set offer_statuses = ['undelivered', 'delivered', 'accepted', 'paid_out', 'fully_repaid', 'rejected', 'canceled', 'expired', 'replaced'] %}
{%- set offer_event_types = ['created', 'delivered', 'accepted', 'paid_out', 'fully_repaid', 'canceled', 'rejected', 'expired', 'replacement_created'] %}
{%- set event_types = [] %}
{%- for suffix in offer_event_types %}{% do event_types.append('capital.financing_offer.' ~ suffix) %}{% endfor %}
{%- do event_types.extend(['capital.financing_transaction.created', 'account.updated']) %}

with

source as (

    select * from {{ source('stripe_capital', 'capital_events') }}
    {{ landed_since_last_run() }}

),

parsed as (

    select
        *,
        {{ parse_json_record('raw_record', capital_event_structure()) }} as envelope
    from source

),

renamed as (

    select
        envelope.id as event_id,
        envelope.type as event_type,
        {{ from_unix_seconds(parse_integer('envelope.created')) }} as event_created_at,
        {{ parse_boolean('envelope.livemode') }} as is_livemode,
        envelope.data.object.id as object_id,

        -- financing offer
        envelope.data.object.account as account_id,
        {{ from_unix_seconds(parse_integer('envelope.data.object.created')) }} as created_at,
        {{ from_unix_seconds(parse_integer('envelope.data.object.expires_after')) }} as expires_at,
        envelope.data.object.status as offer_status,
        envelope.data.object.financing_type,
        envelope.data.object.product_type,
        {{ parse_boolean('envelope.data.object.livemode') }} as is_object_livemode,
        {{ from_unix_seconds(parse_integer('envelope.data.object.charged_off_at')) }} as charged_off_at,
        envelope.data.object.replacement,
        envelope.data.object.replacement_for,
        {%- for prefix, terms in [('offered', 'offered_terms'), ('accepted', 'accepted_terms')] %}
        {{ parse_integer('envelope.data.object.' ~ terms ~ '.advance_amount') }} as {{ prefix }}_advance_amount,
        {{ parse_integer('envelope.data.object.' ~ terms ~ '.fee_amount') }} as {{ prefix }}_fee_amount,
        lower(envelope.data.object.{{ terms }}.currency) as {{ prefix }}_currency,
        {{ parse_decimal('envelope.data.object.' ~ terms ~ '.withhold_rate') }} as {{ prefix }}_withhold_rate,
        {{ parse_decimal('envelope.data.object.' ~ terms ~ '.previous_financing_fee_discount_rate') }}
            as {{ prefix }}_previous_financing_fee_discount_rate,
        {{ parse_integer('envelope.data.object.' ~ terms ~ '.repayment_interval_configuration.duration_days') }}
            as {{ prefix }}_repayment_interval_days,
        {{ parse_integer('envelope.data.object.' ~ terms ~ '.repayment_interval_configuration.minimum_amount') }}
            as {{ prefix }}_repayment_interval_minimum_amount,
        {{ parse_integer('envelope.data.object.' ~ terms ~ '.repayment_interval_configuration.maximum_amount') }}
            as {{ prefix }}_repayment_interval_maximum_amount,
        {%- endfor %}
        envelope.data.object.offered_terms.campaign_type,
        {{ parse_integer('envelope.data.object.accepted_terms.previous_financing_fee_discount_amount') }}
            as previous_financing_fee_discount_amount,
        envelope.data.object.accepted_terms is not null as has_accepted_terms,

        -- financing transaction
        envelope.data.object.financing_offer as financing_offer_id,
        {{ from_unix_seconds(parse_integer('envelope.data.object.created_at')) }} as transaction_created_at,
        envelope.data.object.type as transaction_type,
        {{ parse_integer('envelope.data.object.details.advance_amount') }} as advance_amount,
        {{ parse_integer('envelope.data.object.details.fee_amount') }} as fee_amount,
        {{ parse_integer('envelope.data.object.details.total_amount') }} as total_amount,
        lower(envelope.data.object.details.currency) as transaction_currency,
        envelope.data.object.details.reason as transaction_reason,
        envelope.data.object.details.linked_payment,
        envelope.data.object.details.reversed_transaction as reversed_transaction_id,

        -- account
        envelope.data.object.email,
        envelope.data.object.business_profile.name as business_name,
        envelope.data.object.country,
        lower(envelope.data.object.default_currency) as default_currency,

        _file_id as file_id,
        _source_file as source_file,
        _row_number as row_number,
        _landed_at as landed_at,
        raw_record,
        {{ rejection_reason([
            "when envelope is null then 'not a JSON object'",
            check_required('envelope.id'),
            check_enum('envelope.type', event_types),
            check_parsed('envelope.created', parse_integer('envelope.created'), 'a unix timestamp'),
            check_required('envelope.data.object.id'),
        ]) }} as envelope_rejection_reason,
        case
            when envelope.type like 'capital.financing_offer.%' then {{ rejection_reason([
                check_required('envelope.data.object.account'),
                check_enum('envelope.data.object.status', offer_statuses),
                check_enum('envelope.data.object.financing_type', ['flex_loan', 'fixed_term_loan', 'cash_advance']),
                check_enum('envelope.data.object.product_type', ['standard', 'refill']),
                check_parsed('envelope.data.object.created', parse_integer('envelope.data.object.created'), 'a unix timestamp'),
                check_parsed('envelope.data.object.expires_after', parse_integer('envelope.data.object.expires_after'), 'a unix timestamp'),
                check_parsed('envelope.data.object.offered_terms.advance_amount', parse_integer('envelope.data.object.offered_terms.advance_amount'), 'an integer amount'),
                check_parsed('envelope.data.object.offered_terms.fee_amount', parse_integer('envelope.data.object.offered_terms.fee_amount'), 'an integer amount'),
                check_required('envelope.data.object.offered_terms.currency'),
                check_not_negative('offered advance_amount', parse_integer('envelope.data.object.offered_terms.advance_amount')),
                check_not_negative('offered fee_amount', parse_integer('envelope.data.object.offered_terms.fee_amount')),
                check_parsed('envelope.data.object.accepted_terms.advance_amount', parse_integer('envelope.data.object.accepted_terms.advance_amount'), 'an integer amount', required=false),
                check_parsed('envelope.data.object.accepted_terms.fee_amount', parse_integer('envelope.data.object.accepted_terms.fee_amount'), 'an integer amount', required=false),
                check_not_negative('accepted advance_amount', parse_integer('envelope.data.object.accepted_terms.advance_amount')),
                check_not_negative('accepted fee_amount', parse_integer('envelope.data.object.accepted_terms.fee_amount')),
            ]) }}
            when envelope.type = 'capital.financing_transaction.created' then {{ rejection_reason([
                check_required('envelope.data.object.account'),
                check_required('envelope.data.object.financing_offer'),
                check_enum('envelope.data.object.type', ['payout', 'payment', 'reversal']),
                check_enum('envelope.data.object.details.reason', [
                    'automatic_withholding', 'automatic_withholding_refund', 'collection',
                    'collection_failure', 'financing_cancellation', 'refill',
                    'requested_by_user', 'user_initiated'], required=false),
                check_parsed('envelope.data.object.created_at', parse_integer('envelope.data.object.created_at'), 'a unix timestamp'),
                check_parsed('envelope.data.object.details.advance_amount', parse_integer('envelope.data.object.details.advance_amount'), 'an integer amount'),
                check_parsed('envelope.data.object.details.fee_amount', parse_integer('envelope.data.object.details.fee_amount'), 'an integer amount'),
                check_parsed('envelope.data.object.details.total_amount', parse_integer('envelope.data.object.details.total_amount'), 'an integer amount'),
                check_required('envelope.data.object.details.currency'),
                check_not_negative('advance_amount', parse_integer('envelope.data.object.details.advance_amount')),
                check_not_negative('fee_amount', parse_integer('envelope.data.object.details.fee_amount')),
                "when " ~ parse_integer('envelope.data.object.details.total_amount') ~ " <> "
                    ~ parse_integer('envelope.data.object.details.advance_amount') ~ " + "
                    ~ parse_integer('envelope.data.object.details.fee_amount')
                    ~ " then 'total_amount is not advance_amount + fee_amount'",
                "when envelope.data.object.type = 'reversal' and envelope.data.object.details.reversed_transaction is null then 'reversal without reversed_transaction'",
            ]) }}
        end as object_rejection_reason
    from parsed

),

final as (

    select
        *,
        coalesce(envelope_rejection_reason, object_rejection_reason) as rejection_reason
    from renamed

)

select * from final
