with

source as (

    select * from {{ source('club_payments', 'transactions') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        transaction_id,
        collection_id,
        payer_id,
        {{ parse_integer('amount') }} as amount,
        coalesce({{ parse_integer('tip_amount') }}, 0) as tip_amount,
        status,
        {{ parse_date('scheduled_for') }} as scheduled_for,
        {{ parse_iso_timestamp('paid_at') }} as paid_at,
        {{ parse_iso_timestamp('failed_at') }} as failed_at,
        {{ parse_integer('installment_number') }} as installment_number,
        {{ parse_integer('installment_count') }} as installment_count,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        {{ landing_columns([
            'transaction_id', 'collection_id', 'payer_id', 'amount', 'tip_amount', 'status',
            'scheduled_for', 'paid_at', 'failed_at', 'installment_number', 'installment_count',
            'updated_at']) }},
        {{ rejection_reason([
            check_required('transaction_id'),
            check_required('collection_id'),
            check_required('payer_id'),
            check_parsed('amount', parse_integer('amount'), 'an integer amount in minor units'),
            check_not_negative('amount', parse_integer('amount')),
            check_amount_in_limit('amount', parse_integer('amount')),
            check_parsed('tip_amount', parse_integer('tip_amount'), 'an integer amount in minor units', required=false),
            check_not_negative('tip_amount', parse_integer('tip_amount')),
            check_amount_in_limit('tip_amount', parse_integer('tip_amount')),
            check_enum('status', ['upcoming', 'failed', 'paid']),
            check_parsed('scheduled_for', parse_date('scheduled_for'), 'a date', required=false),
            check_timestamp_in_range('scheduled_for', parse_date('scheduled_for')),
            check_parsed('paid_at', parse_iso_timestamp('paid_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('paid_at', parse_iso_timestamp('paid_at')),
            check_parsed('failed_at', parse_iso_timestamp('failed_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('failed_at', parse_iso_timestamp('failed_at')),
            check_parsed('installment_number', parse_integer('installment_number'), 'an integer', required=false),
            check_parsed('installment_count', parse_integer('installment_count'), 'an integer', required=false),
            check_parsed('updated_at', parse_iso_timestamp('updated_at'), 'an ISO 8601 timestamp with an offset'),
            check_timestamp_in_range('updated_at', parse_iso_timestamp('updated_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
