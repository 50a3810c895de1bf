-- Every landed balance-transaction line, typed, with its rejection reason.
with

source as (

    select * from {{ source('stripe_capital', 'balance_transactions') }}
    {{ landed_since_last_run() }}

),

parsed as (

    select
        *,
        {{ parse_json_record('raw_record', {
            'id': 'VARCHAR', 'type': 'VARCHAR', 'description': 'VARCHAR',
            'amount': 'VARCHAR', 'currency': 'VARCHAR', 'created': 'VARCHAR',
        }) }} as record
    from source

),

renamed as (

    select
        record.id as balance_transaction_id,
        record.type as balance_transaction_type,
        record.description,
        {{ parse_integer('record.amount') }} as amount,
        lower(trim(record.currency)) as currency,
        {{ from_unix_seconds_in_range(parse_integer('record.created')) }} as created_at,
        _file_id as file_id,
        _source_file as source_file,
        _row_number as row_number,
        _landed_at as landed_at,
        raw_record,
        {{ rejection_reason([
            "when record is null then 'not a JSON object'",
            check_required('record.id'),
            check_required('record.type'),
            check_parsed('record.amount', parse_integer('record.amount'), 'an integer amount'),
            check_amount_in_limit('record.amount', parse_integer('record.amount')),
            check_currency('record.currency'),
            check_parsed('record.created', parse_integer('record.created'), 'a unix timestamp'),
            check_unix_seconds_in_range('record.created', parse_integer('record.created')),
        ]) }} as rejection_reason
    from parsed

)

select * from renamed
