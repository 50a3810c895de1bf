with

source as (

    select * from {{ source('club_payments', 'collections') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        collection_id,
        account_id,
        name as collection_name,
        kind,
        fee_model,
        {{ parse_decimal('commission_rate') }} as commission_rate,
        lower(trim(currency)) as currency,
        {{ parse_iso_timestamp('opened_at') }} as opened_at,
        {{ parse_iso_timestamp('closes_at') }} as closes_at,
        {{ landing_columns(['collection_id', 'account_id', 'name', 'kind', 'fee_model', 'commission_rate', 'currency', 'opened_at', 'closes_at']) }},
        {{ rejection_reason([
            check_required('collection_id'),
            check_required('account_id'),
            check_required('name'),
            check_enum('kind', ['membership', 'activity_registration', 'equipment_preorder', 'donation']),
            check_enum('fee_model', ['tip', 'club_commission']),
            check_parsed('commission_rate', parse_decimal('commission_rate'), 'a decimal rate', required=false),
            "when fee_model = 'club_commission' and commission_rate is null then 'missing commission_rate (required for club_commission)'",
            "when " ~ parse_decimal('commission_rate') ~ " not between 0 and 1 then 'commission_rate ' || commission_rate || ' is not between 0 and 1'",
            check_currency('currency'),
            check_parsed('opened_at', parse_iso_timestamp('opened_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('opened_at', parse_iso_timestamp('opened_at')),
            check_parsed('closes_at', parse_iso_timestamp('closes_at'), 'an ISO 8601 timestamp with an offset', required=false),
            check_timestamp_in_range('closes_at', parse_iso_timestamp('closes_at')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
