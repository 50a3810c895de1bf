"""Hand-written provider events for tests (values chosen by hand, not generated)."""

from __future__ import annotations

import json

T0 = 1767225600  # 2026-01-01 00:00:00 UTC


def event(event_id: str, event_type: str, created: int, obj: dict, livemode: bool = True) -> str:
    envelope = {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": created,
        "livemode": livemode,
        "data": {"object": obj},
    }
    return json.dumps(envelope)


def offer(offer_id: str, status: str, account: str = "acct_A", **fields: object) -> dict:
    obj = {
        "id": offer_id,
        "object": "capital.financing_offer",
        "account": account,
        "created": T0 + 10,
        "expires_after": T0 + 10 + 30 * 86400,
        "status": status,
        "financing_type": "cash_advance",
        "product_type": "standard",
        "livemode": True,
        "metadata": {},
        "charged_off_at": None,
        "replacement": None,
        "replacement_for": None,
        "offered_terms": {
            "advance_amount": 100000,
            "fee_amount": 10000,
            "currency": "eur",
            "withhold_rate": 0.1,
            "campaign_type": "newly_eligible_user",
            "previous_financing_fee_discount_rate": None,
            "repayment_interval_configuration": None,
        },
        "accepted_terms": None,
    }
    obj.update(fields)
    return obj


def account(account_id: str, email: str | None, name: str) -> dict:
    return {
        "id": account_id,
        "object": "account",
        "email": email,
        "business_profile": {"name": name},
        "country": "FR",
        "default_currency": "eur",
        "created": T0,
    }


def transaction(txn_id: str, offer_id: str, txn_type: str, advance: int, fee: int, **details: object) -> dict:
    return {
        "id": txn_id,
        "object": "capital.financing_transaction",
        "account": "acct_A",
        "financing_offer": offer_id,
        "created_at": T0 + 30,
        "livemode": True,
        "type": txn_type,
        "details": {
            "advance_amount": advance,
            "fee_amount": fee,
            "total_amount": advance + fee,
            "currency": "eur",
            "reason": None,
            "linked_payment": None,
            "reversed_transaction": None,
            **details,
        },
    }


def lifecycle_events() -> list[str]:
    """Two offers, an account updated twice, a payout, and test-mode objects.

    Expected current state, by the contract's rules:
    - financingoffer_1: `paid_out` (accepted and paid_out share a second; the
      later lifecycle status wins although the accepted event has the greater id);
    - financingoffer_2: `canceled` (canceled and rejected share a second; both
      terminal, so the greater event id, evt_z23, wins);
    - acct_A: email `new@club.fr` (its latest account.updated);
    - test-mode account and offer: absent.
    """
    accepted_terms = {
        "advance_amount": 100000,
        "fee_amount": 10000,
        "currency": "eur",
        "withhold_rate": 0.1,
        "previous_financing_fee_discount_amount": None,
        "previous_financing_fee_discount_rate": None,
        "repayment_interval_configuration": None,
    }
    o = "capital.financing_offer."
    return [
        event("evt_a01", "account.updated", T0, account("acct_A", "a@club.fr", "Club A")),
        event("evt_a02", "account.updated", T0 + 100, account("acct_A", "new@club.fr", "Club A")),
        event("evt_o11", o + "created", T0 + 10, offer("financingoffer_1", "undelivered")),
        event("evt_o12", o + "delivered", T0 + 20, offer("financingoffer_1", "delivered")),
        event(
            "evt_z13",
            o + "accepted",
            T0 + 30,
            offer("financingoffer_1", "accepted", accepted_terms=accepted_terms),
        ),
        event(
            "evt_b14",
            o + "paid_out",
            T0 + 30,
            offer("financingoffer_1", "paid_out", accepted_terms=accepted_terms),
        ),
        event(
            "evt_t15",
            "capital.financing_transaction.created",
            T0 + 30,
            transaction("cptxn_1", "financingoffer_1", "payout", 100000, 10000),
        ),
        event("evt_o21", o + "created", T0 + 10, offer("financingoffer_2", "undelivered")),
        event("evt_o22", o + "delivered", T0 + 20, offer("financingoffer_2", "delivered")),
        event("evt_z23", o + "canceled", T0 + 40, offer("financingoffer_2", "canceled")),
        event("evt_b24", o + "rejected", T0 + 40, offer("financingoffer_2", "rejected")),
        event("evt_x01", "account.updated", T0, account("acct_T", "t@club.fr", "Test"), livemode=False),
        event(
            "evt_x02",
            o + "created",
            T0 + 10,
            offer("financingoffer_T", "undelivered", account="acct_T", livemode=False),
            livemode=False,
        ),
    ]
