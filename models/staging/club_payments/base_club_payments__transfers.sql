with

source as (

    select * from {{ source('club_payments', 'transfers') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        transfer_id,
        account_id,
        {{ parse_integer('amount') }} as amount,
        lower(trim(currency)) as currency,
        status,
        {{ parse_iso_timestamp('sent_at') }} as sent_at,
        {{ parse_iso_timestamp('delivered_at') }} as delivered_at,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        {{ landing_columns(['transfer_id', 'account_id', 'amount', 'currency', 'status', 'sent_at', 'delivered_at', 'updated_at']) }},
        {{ rejection_reason([
            check_required('transfer_id'),
            check_required('account_id'),
            check_parsed('amount', parse_integer('amount'), 'an integer amount in minor units'),
            check_not_negative('amount', parse_integer('amount')),
            check_amount_in_limit('amount', parse_integer('amount')),
            check_currency('currency'),
            check_enum('status', ['sent', 'delivered']),
            check_parsed('sent_at', parse_iso_timestamp('sent_at'), 'an ISO 8601 timestamp with an offset'),
            check_timestamp_in_range('sent_at', parse_iso_timestamp('sent_at')),
            check_parsed('delivered_at', parse_iso_timestamp('delivered_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('delivered_at', parse_iso_timestamp('delivered_at')),
            "when status = 'delivered' and delivered_at is null then 'delivered transfer without delivered_at'",
            check_parsed('updated_at', parse_iso_timestamp('updated_at'), 'an ISO 8601 timestamp with an offset'),
            check_timestamp_in_range('updated_at', parse_iso_timestamp('updated_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
