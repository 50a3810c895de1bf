-- Sigma's financing_offers: one row per financing offer, with the Sigma
-- column names, the state as of the as-of date and the remaining balance.
with

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

latest_balances as (

    select * from {{ ref('financing_balances') }}
    qualify row_number() over (partition by financing_offer order by effective_date_utc desc) = 1

),

final as (

    select
        offers.financing_offer_id as id,
        offers.account_id,
        offers.account_name,
        coalesce(offers.accepted_currency, offers.offered_currency) as currency,
        offers.state,
        offers.status as provider_status,
        offers.created_at,
        offers.expires_at,
        offers.delivered_at,
        offers.accepted_at,
        offers.paid_out_at,
        offers.fully_repaid_at,
        offers.canceled_at,
        offers.rejected_at,
        offers.expired_at,
        offers.charged_off_at,
        offers.financing_type,
        offers.product_type,
        offers.campaign_type,
        offers.is_first_time_offer,
        offers.offered_advance_amount as max_advance_amount,
        offers.offered_fee_amount as max_premium_amount,
        offers.offered_withhold_rate as max_withhold_rate,
        offers.offered_repayment_interval_days as max_repayment_interval_days,
        offers.offered_repayment_interval_minimum_amount as max_repayment_interval_minimum_amount,
        offers.offered_repayment_interval_maximum_amount as max_repayment_interval_maximum_amount,
        offers.accepted_advance_amount,
        offers.accepted_fee_amount as accepted_premium_amount,
        offers.accepted_withhold_rate,
        offers.accepted_repayment_interval_days,
        offers.accepted_repayment_interval_minimum_amount,
        offers.accepted_repayment_interval_maximum_amount,
        offers.previous_financing_fee_discount_amount,
        coalesce(
            offers.accepted_previous_financing_fee_discount_rate,
            offers.offered_previous_financing_fee_discount_rate
        ) as previous_financing_fee_discount_rate,
        offers.replacement_for,
        offers.replacement,
        offers.revshare_earned_amount,
        latest_balances.principal_outstanding_amount,
        latest_balances.premium_outstanding_amount,
        latest_balances.principal_outstanding_amount
        + latest_balances.premium_outstanding_amount as remaining_balance_amount,
        latest_balances.repaid_amount
    from offers
    left join latest_balances on offers.financing_offer_id = latest_balances.financing_offer

)

select * from final
