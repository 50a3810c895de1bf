-- Deny-list and unsubscribe flags, current state per account.
with

flags as (

    select * from {{ ref('base_capital_platform__capital_account_flags') }}
    where rejection_reason is null and updated_at < {{ as_of_end_utc() }}

),

current_state as (

    select
        account_id,
        is_deny_listed,
        has_unsubscribed,
        updated_at,
        source_file,
        landed_at
    from flags
    {{ qualify_current_state('account_id', versioned=true) }}

)

select * from current_state
