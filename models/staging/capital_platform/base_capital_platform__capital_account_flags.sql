with

source as (

    select * from {{ source('capital_platform', 'capital_account_flags') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        account_id,
        {{ parse_boolean('is_deny_listed') }} as is_deny_listed,
        {{ parse_boolean('has_unsubscribed') }} as has_unsubscribed,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        {{ landing_columns(['account_id', 'is_deny_listed', 'has_unsubscribed', 'updated_at']) }},
        {{ rejection_reason([
            check_required('account_id'),
            check_parsed('is_deny_listed', parse_boolean('is_deny_listed'), 'true or false'),
            check_parsed('has_unsubscribed', parse_boolean('has_unsubscribed'), 'true or false'),
            check_parsed('updated_at', parse_iso_timestamp('updated_at'), 'an ISO 8601 timestamp with an offset'),
            check_timestamp_in_range('updated_at', parse_iso_timestamp('updated_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
