{#- The shape of a provider event envelope as the base model reads it: every
    field the warehouse uses, of the three object kinds (financing offer,
    financing transaction, account). Unknown extra fields are ignored here
    and stay in `raw_record`. `metadata` is read as its JSON text (an object
    of any shape), typed by `json_object_text`. -#}
{% macro capital_event_structure() -%}
    {%- set interval = {'duration_days': 'VARCHAR', 'minimum_amount': 'VARCHAR', 'maximum_amount': 'VARCHAR'} -%}
    {%- set terms = {
        'advance_amount': 'VARCHAR', 'fee_amount': 'VARCHAR', 'currency': 'VARCHAR',
        'withhold_rate': 'VARCHAR', 'campaign_type': 'VARCHAR',
        'previous_financing_fee_discount_rate': 'VARCHAR',
        'previous_financing_fee_discount_amount': 'VARCHAR',
        'target_payback_days': 'VARCHAR',
        'repayment_interval_configuration': interval,
    } -%}
    {%- set object = {
        'id': 'VARCHAR', 'object': 'VARCHAR', 'account': 'VARCHAR', 'created': 'VARCHAR',
        'livemode': 'VARCHAR',
        'expires_after': 'VARCHAR', 'status': 'VARCHAR', 'financing_type': 'VARCHAR',
        'product_type': 'VARCHAR', 'charged_off_at': 'VARCHAR', 'replacement': 'VARCHAR',
        'replacement_for': 'VARCHAR', 'replacement_type': 'VARCHAR',
        'metadata': 'VARCHAR',
        'status_transitions': {
            'accepted_at': 'VARCHAR', 'canceled_at': 'VARCHAR', 'fully_repaid_at': 'VARCHAR',
            'paid_out_at': 'VARCHAR', 'rejected_at': 'VARCHAR', 'replaced_at': 'VARCHAR',
        },
        'offered_terms': terms, 'accepted_terms': terms,
        'financing_offer': 'VARCHAR', 'created_at': 'VARCHAR', 'type': 'VARCHAR',
        'details': {
            'advance_amount': 'VARCHAR', 'fee_amount': 'VARCHAR', 'total_amount': 'VARCHAR',
            'currency': 'VARCHAR', 'reason': 'VARCHAR', 'linked_payment': 'VARCHAR',
            'reversed_transaction': 'VARCHAR',
            'transaction': {'charge': 'VARCHAR', 'treasury_transaction': 'VARCHAR'},
        },
        'user_facing_description': 'VARCHAR', 'legacy_balance_transaction_source': 'VARCHAR',
        'email': 'VARCHAR', 'business_profile': {'name': 'VARCHAR'}, 'country': 'VARCHAR',
        'default_currency': 'VARCHAR',
    } -%}
    {{ return({
        'id': 'VARCHAR', 'object': 'VARCHAR', 'type': 'VARCHAR', 'created': 'VARCHAR',
        'livemode': 'VARCHAR', 'data': {'object': object},
    }) }}
{%- endmacro %}
