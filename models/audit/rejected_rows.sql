-- Every landed row that breaks the contract, with the reason, kept where an
-- analyst can query it: rows the CSV/NDJSON reader could not split, rows a
-- base model rejected (first broken rule), and current rows an intermediate
-- model rejected for a rule between rows (a participant whose rate belongs to
-- another collection, a transaction with no participant and its link rows,
-- ...). The rest of the data is built.
{%- set base_models = [
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
{%- set cross_row_models = [
    ('participants', 'int_participants_validated'),
    ('transactions', 'int_transactions_validated'),
    ('transaction_participants', 'int_transaction_participants_validated'),
] %}

with

unreadable as (

    select
        kind as source_table,
        'reader' as rejected_by,
        source_file,
        reason,
        raw_record,
        landed_at,
        line_number as row_number
    from {{ source('landing', 'landing_rejects') }}

),

{% for table, model in base_models %}
{{ table }}_rejected as (

    select
        '{{ table }}' as source_table,
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
{% for table, model in cross_row_models %}
{{ table }}_rejected_between_rows as (

    select
        '{{ table }}' as source_table,
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
    {%- for table, model in base_models %}
    union all
    select * from {{ table }}_rejected
    {%- endfor %}
    {%- for table, model in cross_row_models %}
    union all
    select * from {{ table }}_rejected_between_rows
    {%- endfor %}

)

select * from unioned
