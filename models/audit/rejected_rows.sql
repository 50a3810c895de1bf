-- Every landed row that breaks the contract, with the reason, kept where an
-- analyst can query it: rows the CSV/NDJSON reader could not split, rows a
-- base model rejected (first broken rule), and current rows an intermediate
-- model rejected for a rule between rows (a participant whose rate belongs to
-- another collection, a transaction with no participant and its link rows,
-- a financing transaction waiting for its offer, ...). The rest of the data is built.
{#- rules of one row: every row a base model rejected -#}
{%- set rejecting_models = [
    ('capital_events', 'base_stripe_capital__events'),
    ('balance_transactions', 'base_stripe_capital__balance_transactions'),
    ('capital_eligibility', 'base_capital_platform__capital_eligibility'),
    ('capital_account_flags', 'base_capital_platform__capital_account_flags'),
    ('offer_email_events', 'base_capital_platform__offer_email_events'),
    ('collections', 'base_club_payments__collections'),
    ('rates', 'base_club_payments__rates'),
    ('participants', 'base_club_payments__participants'),
    ('payers', 'base_club_payments__payers'),
    ('transactions', 'base_club_payments__transactions'),
    ('transaction_participants', 'base_club_payments__transaction_participants'),
    ('transfers', 'base_club_payments__transfers'),
] %}
{#- rules between rows: current rows an intermediate model rejected -#}
{%- do rejecting_models.extend([
    ('participants_between_rows', 'int_participants_validated'),
    ('transactions_between_rows', 'int_transactions_validated'),
    ('transaction_participants_between_rows', 'int_transaction_participants_validated'),
    ('capital_events_between_rows', 'int_financing_transactions_waiting'),
]) %}

with

unreadable as (

    select
        source_table,
        'reader' as rejected_by,
        source_file,
        reason,
        raw_record,
        landed_at,
        row_number
    from {{ ref('stg_landing__landing_rejects') }}

),

{% for name, model in rejecting_models %}
{{ name }}_rejected as (

    select
        '{{ name.replace('_between_rows', '') }}' as source_table,
        'contract' as rejected_by,
        source_file,
        rejection_reason as reason,
        raw_record,
        landed_at,
        row_number
    from {{ ref(model) }}
    where rejection_reason is not null

),

{% endfor %}
unioned as (

    select * from unreadable
    {%- for name, model in rejecting_models %}
    union all
    select * from {{ name }}_rejected
    {%- endfor %}

),

final as (

    select
        source_table,
        rejected_by,
        source_file,
        reason,
        raw_record,
        {{ as_instant('landed_at') }} as landed_at,
        row_number
    from unioned

)

select * from final
