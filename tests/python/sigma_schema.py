"""The provider's Sigma schema for Capital, transcribed from the contract's
`sigma_schema.md` (the provider's reporting-data schema, Capital and Connect-Capital
sections), column for column, with DuckDB's names of the types: 36 + `account` for
financing_offers, 10 + `account` for financing_balances, 16 for
connected_account_financing_transactions. `effective_date_utc` may be a date.
"""

from __future__ import annotations

V, B, D, BOOL, TZ, DATE = "VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "TIMESTAMP WITH TIME ZONE", "DATE"

FINANCING_OFFERS = {
    "id": V,
    "account_id": V,
    "account": V,
    "currency": V,
    "state": V,
    "created_at": TZ,
    "expires_at": TZ,
    "accepted_at": TZ,
    "paid_out_at": TZ,
    "fully_repaid_at": TZ,
    "canceled_at": TZ,
    "rejected_at": TZ,
    "charged_off_at": TZ,
    "financing_type": V,
    "product_type": V,
    "campaign_type": V,
    "is_first_time_offer": BOOL,
    "max_advance_amount": B,
    "max_premium_amount": B,
    "max_withhold_rate": D,
    "accepted_advance_amount": B,
    "accepted_premium_amount": B,
    "accepted_withhold_rate": D,
    "previous_financing_fee_discount_amount": B,
    "previous_financing_fee_discount_rate": D,
    "offered_terms_target_payback_days": B,
    "accepted_terms_target_payback_days": B,
    "offered_terms_repayment_interval_configuration_duration_days": B,
    "offered_terms_repayment_interval_configuration_minimum_amount": B,
    "offered_terms_repayment_interval_configuration_maximum_amount": B,
    "accepted_terms_repayment_interval_configuration_duration_days": B,
    "accepted_terms_repayment_interval_configuration_minimum_amount": B,
    "accepted_terms_repayment_interval_configuration_maximum_amount": B,
    "replacement_for": V,
    "metadata": V,
    "revshare_earned_amount": B,
    "batch_timestamp": TZ,
}

FINANCING_BALANCES = {
    "id": V,
    "account_id": V,
    "account": V,
    "financing_offer": V,
    "currency": V,
    "effective_date_utc": DATE,
    "principal_outstanding_amount": B,
    "premium_outstanding_amount": B,
    "overdue_payment_amount": B,
    "pending_payment_amount": B,
    "batch_timestamp": TZ,
}

FINANCING_TRANSACTIONS = {
    "id": V,
    "account": V,
    "financing_offer": V,
    "currency": V,
    "transaction_type": V,
    "reason": V,
    "description": V,
    "effective_time": TZ,
    "advance_amount": B,
    "fee_amount": B,
    "total_amount": B,
    "reversed_transaction": V,
    "linked_withholdable_object_id": V,
    "linked_withholdable_object_type": V,
    "legacy_balance_transaction_source": V,
    "batch_timestamp": TZ,
}

SIGMA = {
    "financing_offers": FINANCING_OFFERS,
    "connected_account_financing_offers": FINANCING_OFFERS,
    "financing_balances": FINANCING_BALANCES,
    "connected_account_financing_balances": FINANCING_BALANCES,
    "connected_account_financing_transactions": FINANCING_TRANSACTIONS,
    "financing_transactions": FINANCING_TRANSACTIONS,
}
