with

source as (

    select * from {{ source('club_payments', 'transaction_participants') }}
    {{ landed_since_last_run() }}

),

renamed as (

    select
        transaction_id,
        participant_id,
        {{ landing_columns(['transaction_id', 'participant_id']) }},
        {{ rejection_reason([
            check_required('transaction_id'),
            check_required('participant_id'),
        ]) }} as rejection_reason
    from source

)

select * from renamed
