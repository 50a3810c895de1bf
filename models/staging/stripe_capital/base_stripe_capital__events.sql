-- Every landed event line, parsed once into typed columns, with the reason it
-- breaks the contract (or null). Object fields of the three object kinds sit
-- side by side; the `stg_` models pick theirs. Revision 4: the provider's
-- nullable fields (financing and product types, offered terms, status
-- transitions) stay null, `expires_after` may be a float, the legacy status
-- `completed` reads as `fully_repaid`, and an event of a type the warehouse
-- does not use is kept, never rejected. Only an object without its id or
-- account, a present field of the wrong type or enum value, or a value beyond
-- the landing limits (macros/limits.sql) is a rejection.
{%- set offer_statuses = ['undelivered', 'delivered', 'accepted', 'paid_out', 'fully_repaid', 'rejected', 'canceled', 'expired', 'replaced', 'completed'] %}
{%- set offer_event_types = ['created', 'delivered', 'accepted', 'paid_out', 'fully_repaid', 'canceled', 'rejected', 'expired', 'replacement_created'] %}
{%- set event_types = [] %}
{%- for suffix in offer_event_types %}{% do event_types.append('capital.financing_offer.' ~ suffix) %}{% endfor %}
{%- do event_types.extend(['capital.financing_transaction.created', 'account.updated']) %}
{%- set transitions = ['accepted_at', 'canceled_at', 'fully_repaid_at', 'paid_out_at', 'rejected_at', 'replaced_at'] %}
{%- set object = 'envelope.data.object.' %}
{#- the checks of an offer's terms, `offered_terms` or `accepted_terms` (each nullable) -#}
{%- set terms_checks = [] %}
{%- for terms in ['offered_terms', 'accepted_terms'] %}
{%- for amount in ['advance_amount', 'fee_amount', 'previous_financing_fee_discount_amount', 'repayment_interval_configuration.minimum_amount', 'repayment_interval_configuration.maximum_amount'] %}
{%- set raw = object ~ terms ~ '.' ~ amount %}
{%- do terms_checks.extend([
check_parsed(raw, parse_integer(raw), 'an integer amount', required=false),
check_not_negative(terms.replace('_terms', '') ~ ' ' ~ amount.split('.')[-1], parse_integer(raw)),
check_amount_in_limit(raw, parse_integer(raw)),
]) %}
{%- endfor %}
{%- for count in ['target_payback_days', 'repayment_interval_configuration.duration_days'] %}
{%- set raw = object ~ terms ~ '.' ~ count %}
{%- do terms_checks.append(check_parsed(raw, parse_integer(raw), 'an integer', required=false)) %}
{%- endfor %}
{%- for rate in ['withhold_rate', 'previous_financing_fee_discount_rate'] %}
{%- set raw = object ~ terms ~ '.' ~ rate %}
{%- do terms_checks.append(check_parsed(raw, parse_decimal(raw), 'a decimal rate', required=false)) %}
{%- endfor %}
{%- do terms_checks.append(check_currency(object ~ terms ~ '.currency', required=false)) %}
{%- endfor %}
{#- the checks of an offer's timestamps (each nullable) -#}
{%- set time_checks = [] %}
{%- set offer_times = ['created', 'created_at', 'expires_after', 'charged_off_at'] %}
{%- for transition in transitions %}{% do offer_times.append('status_transitions.' ~ transition) %}{% endfor %}
{%- for field in offer_times %}
{%- set raw = object ~ field %}
{%- do time_checks.extend([
check_parsed(raw, parse_unix_seconds(raw), 'a unix timestamp', required=false),
check_unix_seconds_in_range(raw, parse_unix_seconds(raw)),
]) %}
{%- endfor %}

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
        {{ from_unix_seconds_in_range(parse_integer('envelope.created')) }} as event_created_at,
        {{ parse_boolean('envelope.livemode') }} as is_livemode,
        envelope.data.object.id as object_id,

        -- financing offer (a missing `created` falls back to `created_at`; the
        -- object's earliest event is the intermediate layer's fallback)
        envelope.data.object.account as account_id,
        {{ from_unix_seconds_in_range(
            'coalesce(' ~ parse_unix_seconds(object ~ 'created') ~ ', ' ~ parse_unix_seconds(object ~ 'created_at') ~ ')'
        ) }} as created_at,
        {{ from_unix_seconds_in_range(parse_unix_seconds(object ~ 'expires_after')) }} as expires_at,
        case envelope.data.object.status
            when 'completed' then 'fully_repaid'
            else envelope.data.object.status
        end as offer_status,
        envelope.data.object.status as provider_status,
        -- older objects carry the financing type as `type`
        case
            when envelope.type like 'capital.financing_offer.%'
                then coalesce(envelope.data.object.financing_type, envelope.data.object.type)
        end as financing_type,
        envelope.data.object.product_type,
        {{ parse_boolean('envelope.data.object.livemode') }} as is_object_livemode,
        {{ from_unix_seconds_in_range(parse_unix_seconds(object ~ 'charged_off_at')) }} as charged_off_at,
        envelope.data.object.replacement,
        envelope.data.object.replacement_for,
        envelope.data.object.replacement_type,
        {{ json_object_text('envelope.data.object.metadata') }} as metadata,
        {%- for transition in transitions %}
        {{ from_unix_seconds_in_range(parse_unix_seconds(object ~ 'status_transitions.' ~ transition)) }}
            as status_transitions_{{ transition }},
        {%- endfor %}
        {%- for prefix, terms in [('offered', 'offered_terms'), ('accepted', 'accepted_terms')] %}
        {{ parse_integer(object ~ terms ~ '.advance_amount') }} as {{ prefix }}_advance_amount,
        {{ parse_integer(object ~ terms ~ '.fee_amount') }} as {{ prefix }}_fee_amount,
        lower(envelope.data.object.{{ terms }}.currency) as {{ prefix }}_currency,
        {{ parse_decimal(object ~ terms ~ '.withhold_rate') }} as {{ prefix }}_withhold_rate,
        {{ parse_decimal(object ~ terms ~ '.previous_financing_fee_discount_rate') }}
            as {{ prefix }}_previous_financing_fee_discount_rate,
        {{ parse_integer(object ~ terms ~ '.target_payback_days') }} as {{ prefix }}_target_payback_days,
        {{ parse_integer(object ~ terms ~ '.repayment_interval_configuration.duration_days') }}
            as {{ prefix }}_repayment_interval_days,
        {{ parse_integer(object ~ terms ~ '.repayment_interval_configuration.minimum_amount') }}
            as {{ prefix }}_repayment_interval_minimum_amount,
        {{ parse_integer(object ~ terms ~ '.repayment_interval_configuration.maximum_amount') }}
            as {{ prefix }}_repayment_interval_maximum_amount,
        {%- endfor %}
        envelope.data.object.offered_terms.campaign_type,
        {{ parse_integer(object ~ 'accepted_terms.previous_financing_fee_discount_amount') }}
            as previous_financing_fee_discount_amount,
        envelope.data.object.accepted_terms is not null as has_accepted_terms,

        -- financing transaction
        envelope.data.object.financing_offer as financing_offer_id,
        {{ from_unix_seconds_in_range(parse_unix_seconds(object ~ 'created_at')) }} as transaction_created_at,
        envelope.data.object.type as transaction_type,
        {{ parse_integer(object ~ 'details.advance_amount') }} as advance_amount,
        {{ parse_integer(object ~ 'details.fee_amount') }} as fee_amount,
        {{ parse_integer(object ~ 'details.total_amount') }} as total_amount,
        lower(envelope.data.object.details.currency) as transaction_currency,
        envelope.data.object.details.reason as transaction_reason,
        envelope.data.object.details.linked_payment,
        envelope.data.object.details.transaction.charge as linked_charge,
        envelope.data.object.details.transaction.treasury_transaction as linked_treasury_transaction,
        envelope.data.object.details.reversed_transaction as reversed_transaction_id,
        envelope.data.object.user_facing_description,
        envelope.data.object.legacy_balance_transaction_source,

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
            check_required('envelope.type'),
            check_parsed('envelope.created', parse_integer('envelope.created'), 'a unix timestamp'),
            check_unix_seconds_in_range('envelope.created', parse_integer('envelope.created')),
            "when envelope.type in ('" ~ event_types | join("', '") ~ "') and nullif(trim(envelope.data.object.id), '') is null
                then 'missing data.object.id'",
        ]) }} as envelope_rejection_reason,
        case
            when envelope.type like 'capital.financing_offer.%' then {{ rejection_reason([
                check_required(object ~ 'account'),
                check_enum(object ~ 'status', offer_statuses),
                check_enum(object ~ 'financing_type', ['flex_loan', 'fixed_term_loan', 'cash_advance'], required=false),
                check_enum(object ~ 'type', ['flex_loan', 'fixed_term_loan', 'cash_advance'], required=false),
                check_enum(object ~ 'product_type', ['standard', 'refill'], required=false),
                check_enum(object ~ 'offered_terms.campaign_type', ['newly_eligible_user', 'previously_eligible_user', 'repeat_user'], required=false),
                "when envelope.data.object.metadata is not null and "
                    ~ json_object_text('envelope.data.object.metadata') ~ " is null then 'data.object.metadata is not an object'",
            ] + time_checks + terms_checks) }}
            when envelope.type = 'capital.financing_transaction.created' then {{ rejection_reason([
                check_required(object ~ 'account'),
                check_required(object ~ 'financing_offer'),
                check_enum(object ~ 'type', ['payout', 'payment', 'reversal']),
                check_enum(object ~ 'details.reason', [
                    'automatic_withholding', 'automatic_withholding_refund', 'collection',
                    'collection_failure', 'financing_cancellation', 'refill',
                    'requested_by_user', 'user_initiated'], required=false),
                check_parsed(object ~ 'created_at', parse_unix_seconds(object ~ 'created_at'), 'a unix timestamp'),
                check_unix_seconds_in_range(object ~ 'created_at', parse_unix_seconds(object ~ 'created_at')),
                check_parsed(object ~ 'details.advance_amount', parse_integer(object ~ 'details.advance_amount'), 'an integer amount'),
                check_parsed(object ~ 'details.fee_amount', parse_integer(object ~ 'details.fee_amount'), 'an integer amount'),
                check_parsed(object ~ 'details.total_amount', parse_integer(object ~ 'details.total_amount'), 'an integer amount'),
                check_currency(object ~ 'details.currency'),
                check_not_negative('advance_amount', parse_integer(object ~ 'details.advance_amount')),
                check_not_negative('fee_amount', parse_integer(object ~ 'details.fee_amount')),
                check_amount_in_limit(object ~ 'details.advance_amount', parse_integer(object ~ 'details.advance_amount')),
                check_amount_in_limit(object ~ 'details.fee_amount', parse_integer(object ~ 'details.fee_amount')),
                check_amount_in_limit(object ~ 'details.total_amount', parse_integer(object ~ 'details.total_amount')),
                "when " ~ parse_integer(object ~ 'details.total_amount') ~ " <> "
                    ~ parse_integer(object ~ 'details.advance_amount') ~ " + "
                    ~ parse_integer(object ~ 'details.fee_amount')
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
