-- Current state of every connected account: the object of its latest
-- `account.updated` event (ties: the greater event id).
with

events as (

    select * from {{ ref('stg_stripe_capital__events') }}
    where event_type = 'account.updated' and event_created_at < {{ as_of_end_utc() }}

),

renamed as (

    select
        object_id as account_id,
        email,
        business_name as account_name,
        country,
        default_currency,
        created_at,
        event_created_at as updated_at,
        event_id
    from events

),

current_state as (

    select *
    from renamed
    qualify row_number() over (partition by account_id order by updated_at desc, event_id desc) = 1

)

select * from current_state
