with

source as (

    select * from {{ source('club_payments', 'participants') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        participant_id,
        collection_id,
        rate_id,
        first_name,
        last_name,
        email,
        coalesce({{ parse_boolean('is_guest') }}, false) as is_guest,
        coalesce({{ parse_boolean('has_parent_account') }}, false) as has_parent_account,
        member_id,
        {{ parse_iso_timestamp('form_first_viewed_at') }} as form_first_viewed_at,
        {{ parse_iso_timestamp('form_completed_at') }} as form_completed_at,
        {{ parse_iso_timestamp('created_at') }} as created_at,
        {{ parse_iso_timestamp('updated_at') }} as updated_at,
        {{ landing_columns([
            'participant_id', 'collection_id', 'rate_id', 'first_name', 'last_name', 'email',
            'is_guest', 'has_parent_account', 'member_id', 'form_first_viewed_at',
            'form_completed_at', 'created_at', 'updated_at']) }},
        {{ rejection_reason([
            check_required('participant_id'),
            check_required('collection_id'),
            check_required('rate_id'),
            check_required('first_name'),
            check_required('last_name'),
            check_parsed('is_guest', parse_boolean('is_guest'), 'true or false', required=false),
            check_parsed('has_parent_account', parse_boolean('has_parent_account'), 'true or false', required=false),
            check_parsed('form_first_viewed_at', parse_iso_timestamp('form_first_viewed_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('form_first_viewed_at', parse_iso_timestamp('form_first_viewed_at')),
            check_parsed('form_completed_at', parse_iso_timestamp('form_completed_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('form_completed_at', parse_iso_timestamp('form_completed_at')),
            check_parsed('created_at', parse_iso_timestamp('created_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('created_at', parse_iso_timestamp('created_at')),
            check_parsed('updated_at', parse_iso_timestamp('updated_at'), 'an ISO 8601 timestamp with an offset'),
            check_timestamp_in_range('updated_at', parse_iso_timestamp('updated_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
