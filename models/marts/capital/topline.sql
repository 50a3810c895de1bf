-- The dashboard's topline cards, per stage and currency, as of the as-of
-- date. Every stage appears for every currency the program has seen (0 when
-- empty), so a card never disappears. An offer whose object carries no
-- currency (no offered or accepted terms, no transaction) counts under a
-- null currency, its amount unknown (0).
with

offers as (

    select * from {{ ref('financing_offers') }}

),

pending as (

    select * from {{ ref('pending_offers') }}

),

staged as (

    select
        'pending_offers' as stage,
        currency,
        account_id,
        account_id as offer_id,
        estimated_advance_amount as amount
    from pending

    union all

    select
        case
            when state in ('undelivered', 'delivered') then 'active_offers'
            when state = 'paid_out' and charged_off_at is null then 'in_progress'
            when state = 'fully_repaid' then 'fully_repaid'
        end as stage,
        currency,
        account_id,
        id as offer_id,
        case
            when state in ('undelivered', 'delivered') then max_advance_amount
            when state = 'paid_out' then remaining_balance_amount
            else accepted_advance_amount
        end as amount
    from offers
    where
        state in ('undelivered', 'delivered', 'fully_repaid')
        or (state = 'paid_out' and charged_off_at is null)

),

stages as (

    select stage_names.stage
    from (
        values ('pending_offers'), ('active_offers'), ('in_progress'), ('fully_repaid')
    ) as stage_names (stage)

),

currencies as (

    select distinct currency from staged

),

totals as (

    select
        stage,
        currency,
        count(distinct account_id) as account_count,
        count(*) as offer_count,
        cast(sum(coalesce(amount, 0)) as bigint) as amount
    from staged
    group by stage, currency

),

final as (

    select
        stages.stage,
        currencies.currency,
        coalesce(totals.account_count, 0) as account_count,
        coalesce(totals.offer_count, 0) as offer_count,
        coalesce(totals.amount, 0) as amount
    from stages
    cross join currencies
    left join totals
        on stages.stage = totals.stage and currencies.currency is not distinct from totals.currency

)

select * from final
