with

source as (

    select * from {{ source('capital_platform', 'capital_eligibility') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        {{ parse_date('as_of_date') }} as eligibility_date,
        account_id,
        {{ parse_boolean('is_eligible') }} as is_eligible,
        {{ parse_integer('estimated_advance_amount') }} as estimated_advance_amount,
        lower(trim(currency)) as currency,
        {{ landing_columns(['as_of_date', 'account_id', 'is_eligible', 'estimated_advance_amount', 'currency']) }},
        {{ rejection_reason([
            check_parsed('as_of_date', parse_date('as_of_date'), 'a date'),
            check_timestamp_in_range('as_of_date', parse_date('as_of_date')),
            check_required('account_id'),
            check_parsed('is_eligible', parse_boolean('is_eligible'), 'true or false'),
            check_parsed('estimated_advance_amount', parse_integer('estimated_advance_amount'), 'an integer amount', required=false),
            check_not_negative('estimated_advance_amount', parse_integer('estimated_advance_amount')),
            check_amount_in_limit('estimated_advance_amount', parse_integer('estimated_advance_amount')),
            "when estimated_advance_amount is not null and currency is null then 'missing currency'",
            check_currency('currency', required=false),
        ]) }} as rejection_reason
    from source

)

select * from renamed
