"""The landing files the warehouse accepts (../contract): one entry per kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """A kind of landing file: `<name>*.<ext>`, landed into `raw.<name>`."""

    name: str
    ext: str  # "csv" or "ndjson"
    columns: tuple[str, ...] = ()  # required CSV header columns, in contract order

    def matches(self, file_name: str) -> bool:
        return file_name.startswith(self.name) and file_name.endswith("." + self.ext)


def _csv(name: str, columns: str) -> Kind:
    return Kind(name, "csv", tuple(c.strip() for c in columns.split(",")))


KINDS: tuple[Kind, ...] = (
    Kind("capital_events", "ndjson"),
    Kind("balance_transactions", "ndjson"),
    _csv(
        "capital_eligibility",
        "as_of_date, account_id, is_eligible, estimated_advance_amount, currency",
    ),
    _csv("capital_account_flags", "account_id, is_deny_listed, has_unsubscribed, updated_at"),
    _csv("offer_email_events", "event_id, financing_offer, account_id, type, occurred_at"),
    _csv(
        "collections",
        "collection_id, account_id, name, kind, fee_model, commission_rate, currency, opened_at, closes_at",
    ),
    _csv("rates", "rate_id, collection_id, label, amount"),
    _csv(
        "participants",
        "participant_id, collection_id, rate_id, first_name, last_name, email, is_guest, "
        "has_parent_account, member_id, form_first_viewed_at, form_completed_at, "
        "created_at, updated_at",
    ),
    _csv("payers", "payer_id, collection_id, first_name, last_name, email, created_at"),
    _csv(
        "transactions",
        "transaction_id, collection_id, payer_id, amount, tip_amount, status, scheduled_for, "
        "paid_at, failed_at, installment_number, installment_count, updated_at",
    ),
    _csv("transaction_participants", "transaction_id, participant_id"),
    _csv(
        "transfers",
        "transfer_id, account_id, amount, currency, status, sent_at, delivered_at, updated_at",
    ),
)


def csv_header(name: str) -> list[str]:
    """The contract's CSV header of the kind `name`: what the generator writes and the tests expect."""
    kind = next(k for k in KINDS if k.name == name)
    if not kind.columns:
        raise ValueError(f"{name} is not a CSV kind of the contract.")
    return list(kind.columns)


def kind_of(file_name: str) -> Kind | None:
    """The kind a landing file belongs to, by name; the longest matching prefix wins."""
    candidates = [k for k in KINDS if k.matches(file_name)]
    return max(candidates, key=lambda k: len(k.name)) if candidates else None
