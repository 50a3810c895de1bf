-- The provider's daily eligibility list, one row per (day, account), up to
-- the as-of date; a (day, account) landed twice keeps the row landed last.
with

eligibility as (

    select * from {{ ref('base_capital_platform__capital_eligibility') }}
    where rejection_reason is null and eligibility_date <= {{ as_of_date() }}

),

current_state as (

    select
        eligibility_date,
        account_id,
        is_eligible,
        estimated_advance_amount,
        currency,
        source_file,
        landed_at
    from eligibility
    {{ qualify_current_state('eligibility_date, account_id', versioned=false) }}

)

select * from current_state
