with

source as (

    select * from {{ source('club_payments', 'rates') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        rate_id,
        collection_id,
        label as rate_label,
        {{ parse_integer('amount') }} as amount,
        {{ landing_columns(['rate_id', 'collection_id', 'label', 'amount']) }},
        {{ rejection_reason([
            check_required('rate_id'),
            check_required('collection_id'),
            check_parsed('amount', parse_integer('amount'), 'an integer amount in minor units'),
            check_not_negative('amount', parse_integer('amount')),
            check_amount_in_limit('amount', parse_integer('amount')),
        ]) }} as rejection_reason
    from source

)

select * from renamed
