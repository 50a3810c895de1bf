with

source as (

    select * from {{ source('club_payments', 'payers') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        payer_id,
        collection_id,
        first_name,
        last_name,
        email,
        {{ parse_iso_timestamp('created_at') }} as created_at,
        {{ landing_columns(['payer_id', 'collection_id', 'first_name', 'last_name', 'email', 'created_at']) }},
        {{ rejection_reason([
            check_required('payer_id'),
            check_required('collection_id'),
            check_parsed('created_at', parse_iso_timestamp('created_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('created_at', parse_iso_timestamp('created_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
