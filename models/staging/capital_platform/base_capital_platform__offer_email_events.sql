with

source as (

    select * from {{ source('capital_platform', 'offer_email_events') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        event_id as email_event_id,
        financing_offer as financing_offer_id,
        account_id,
        type as email_event_type,
        {{ parse_iso_timestamp('occurred_at') }} as occurred_at,
        {{ landing_columns(['event_id', 'financing_offer', 'account_id', 'type', 'occurred_at']) }},
        {{ rejection_reason([
            check_required('event_id'),
            check_required('account_id'),
            check_enum('type', ['sent', 'delivered', 'opened', 'clicked', 'bounced']),
            check_parsed('occurred_at', parse_iso_timestamp('occurred_at'), 'an ISO 8601 timestamp with an offset'),
            check_timestamp_in_range('occurred_at', parse_iso_timestamp('occurred_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
