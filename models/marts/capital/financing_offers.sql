-- Sigma's financing_offers: one row per financing offer, with every column of
-- the provider's Sigma schema under its name and type (sigma_schema.md:
-- timestamps as instants, rates as doubles), the state as of the as-of date,
-- and extras: the account's name, the provider's own status, the delivered,
-- expired and replaced times, the replacing offer, and the remaining balance.
with

offers as (

    select * from {{ ref('int_financing_offers_enriched') }}

),

latest_balances as (

    select * from {{ ref('financing_balances') }}
    qualify row_number() over (partition by financing_offer order by effective_date_utc desc) = 1

),

published as (

    select
        offers.financing_offer_id as id,
        offers.account_id,
        offers.account_id as account,
        coalesce(offers.offered_currency, offers.accepted_currency, offers.transaction_currency) as currency,
        offers.state,
        {{ as_instant('offers.created_at') }} as created_at,
        {{ as_instant('offers.expires_at') }} as expires_at,
        {%- for status in ['accepted', 'paid_out', 'fully_repaid', 'canceled', 'rejected'] %}
        {{ as_instant('offers.' ~ status ~ '_at') }} as {{ status }}_at,
        {%- endfor %}
        {{ as_instant('offers.charged_off_at') }} as charged_off_at,
        offers.financing_type,
        offers.product_type,
        offers.campaign_type,
        offers.is_first_time_offer,
        offers.offered_advance_amount as max_advance_amount,
        offers.offered_fee_amount as max_premium_amount,
        cast(offers.offered_withhold_rate as double) as max_withhold_rate,
        offers.accepted_advance_amount,
        offers.accepted_fee_amount as accepted_premium_amount,
        cast(offers.accepted_withhold_rate as double) as accepted_withhold_rate,
        offers.previous_financing_fee_discount_amount,
        cast(offers.offered_previous_financing_fee_discount_rate as double) as previous_financing_fee_discount_rate,
        {%- for prefix in ['offered', 'accepted'] %}
        offers.{{ prefix }}_target_payback_days as {{ prefix }}_terms_target_payback_days,
        offers.{{ prefix }}_repayment_interval_days
            as {{ prefix }}_terms_repayment_interval_configuration_duration_days,
        offers.{{ prefix }}_repayment_interval_minimum_amount
            as {{ prefix }}_terms_repayment_interval_configuration_minimum_amount,
        offers.{{ prefix }}_repayment_interval_maximum_amount
            as {{ prefix }}_terms_repayment_interval_configuration_maximum_amount,
        {%- endfor %}
        offers.replacement_for,
        offers.metadata,
        offers.revshare_earned_amount,
        -- extras
        offers.account_name,
        offers.provider_status,
        {{ as_instant('offers.delivered_at') }} as delivered_at,
        {{ as_instant('offers.expired_at') }} as expired_at,
        {{ as_instant('offers.replaced_at') }} as replaced_at,
        offers.replacement,
        offers.replacement_type,
        -- the revision-3 names of the offered interval (kept for one release)
        offers.offered_repayment_interval_days as max_repayment_interval_days,
        offers.offered_repayment_interval_minimum_amount as max_repayment_interval_minimum_amount,
        offers.offered_repayment_interval_maximum_amount as max_repayment_interval_maximum_amount,
        offers.accepted_repayment_interval_days,
        offers.accepted_repayment_interval_minimum_amount,
        offers.accepted_repayment_interval_maximum_amount,
        latest_balances.principal_outstanding_amount,
        latest_balances.premium_outstanding_amount,
        latest_balances.principal_outstanding_amount
        + latest_balances.premium_outstanding_amount as remaining_balance_amount,
        latest_balances.repaid_amount
    from offers
    left join latest_balances on offers.financing_offer_id = latest_balances.financing_offer

),

{{ batch_timestamp_ctes('published', 'id') }}

select * from with_batch_timestamp
