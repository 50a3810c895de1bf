"""The provider's real object shapes (capital.md revision 4): which offers and transactions carry them.

Every draw here comes from the account's own `shapes` stream, so an offer's lifecycle (the
`capital` stream) does not depend on which shapes it carries. Proportions, for the offers
of the accounts that play no forced scenario:

- `metadata`: 60 % a map of one to three string keys and values, else `{}` (all offers);
- `financing_type`, `product_type`, `offered_terms.campaign_type`: each null for 5 %;
- legacy objects: 40 % of the offers created in the first quarter of the history (but
  replacement offers, a newer feature) carry
  `type` instead of `financing_type`, `status_transitions: null` and no `replacement_type`;
  a fully repaid legacy offer reports the legacy status `completed`; their transactions have
  no `user_facing_description` and a `legacy_balance_transaction_source`;
- `expires_after` as a float (`1696464000.0`): 15 %;
- `offered_terms: null`: 3 %;
- first seen `delivered` (no `.created` event): 5 % of the offers that get delivered
  (replacement offers, first seen `delivered` anyway, aside);
- orphans: 6 % of the offers bound for a payout (not replacements, not refills): their
  offer events, up to and including `paid_out`, land on the UTC day after the payout (at
  00:01-01:00), later than the payout transaction; `status_transitions` keeps the real times.

Forced scenarios (accounts.FORCED) keep the modern shape, but for the one their name asks.
Financing transactions: `user_facing_description` null for 15 % (legacy: all); payments by
automatic withholding link their charge by `details.linked_payment` (45 %, a third of them
also with a different `details.transaction.charge`), by `details.transaction.charge` (40 %)
or by `details.transaction.treasury_transaction` (15 %); user and collection payments name a
treasury transaction half of the time; every other transaction has `details.transaction: null`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from warehouse.generate.common import hex_id, rint

METADATA = {
    "campaign": ("rentree_2025", "printemps_2026", "relance_ete"),
    "channel": ("email", "dashboard", "banner"),
    "segment": ("club_small", "club_medium", "club_large"),
}
DESCRIPTIONS = {
    ("payout", None): "Capital financing paid out",
    ("payment", "automatic_withholding"): "Repayment withheld from your sales",
    ("payment", "requested_by_user"): "Repayment you made",
    ("payment", "collection"): "Repayment collected from your bank account",
    ("payment", "refill"): "Balance paid off by your new financing",
    ("reversal", "financing_cancellation"): "Financing canceled",
    ("reversal", "automatic_withholding_refund"): "Withheld repayment refunded",
}
# The forced scenarios that ask for one shape, and that shape's field.
FORCED_SHAPES = {
    "legacy_completed": ("legacy", "float_expiry"),
    "terms_null": ("no_offered_terms",),
    "first_delivered": ("first_delivered",),
    "flight_orphan": ("orphan",),
}


@dataclass(frozen=True)
class OfferShape:
    """How an offer's objects look, and how its events land."""

    metadata: dict[str, str] = field(default_factory=dict)
    legacy: bool = False  # `type`, `status_transitions: null`, `completed`
    float_expiry: bool = False
    no_financing_type: bool = False
    no_product_type: bool = False
    no_campaign_type: bool = False
    no_offered_terms: bool = False
    first_delivered: bool = False  # no `.created` event
    orphan: bool = False  # events land the day after the payout


def _metadata(rng: random.Random) -> dict[str, str]:
    if rng.random() >= 0.6:
        return {}
    keys = sorted(rng.sample(("campaign", "channel", "segment", "crm_id"), rint(rng, 1, 3)))
    return {k: str(rint(rng, 10_000, 99_999)) if k == "crm_id" else rng.choice(METADATA[k]) for k in keys}


def offer_shape(
    rng: random.Random,
    forced: str | None,
    created: int,
    legacy_before: int,
    delivered: bool = True,
    payout: bool = False,
) -> OfferShape:
    """The shape of a new offer (`delivered`: it gets delivered after a `.created` event;
    `payout`: it is bound for a payout and may be an orphan)."""
    metadata = _metadata(rng)
    if forced is not None:
        return OfferShape(metadata, **dict.fromkeys(FORCED_SHAPES.get(forced, ()), True))
    draws = [rng.random() for _ in range(8)]
    return OfferShape(
        metadata,
        legacy=created < legacy_before and draws[0] < 0.4,
        float_expiry=draws[1] < 0.15,
        no_financing_type=draws[2] < 0.05,
        no_product_type=draws[3] < 0.05,
        no_campaign_type=draws[4] < 0.05,
        no_offered_terms=draws[5] < 0.03,
        first_delivered=delivered and draws[6] < 0.05,
        orphan=payout and draws[7] < 0.06,
    )


def transaction_shape(
    rng: random.Random, kind: str, reason: str | None, legacy: bool
) -> tuple[str | None, dict | None, str | None, str | None]:
    """(details.linked_payment, details.transaction, user_facing_description,
    legacy_balance_transaction_source) of a new financing transaction."""
    linked, link = None, None
    if kind == "payment" and reason == "automatic_withholding":
        u = rng.random()
        if u < 0.45:
            linked = hex_id(rng, "py_", 24)
            if rng.random() < 1 / 3:
                link = {"charge": hex_id(rng, "ch_", 24), "treasury_transaction": None}
        elif u < 0.85:
            link = {"charge": hex_id(rng, "ch_", 24), "treasury_transaction": None}
        else:
            link = {"charge": None, "treasury_transaction": hex_id(rng, "trxn_", 24)}
    elif kind == "payment" and reason in ("requested_by_user", "collection") and rng.random() < 0.5:
        link = {"charge": None, "treasury_transaction": hex_id(rng, "trxn_", 24)}
    if legacy:
        return linked, link, None, hex_id(rng, "txn_", 24)
    described = rng.random() >= 0.15
    return linked, link, DESCRIPTIONS.get((kind, reason)) if described else None, None
