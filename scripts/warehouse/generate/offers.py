"""Financing offers: the offer object and the events of its lifecycle."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from warehouse.generate.accounts import Account
from warehouse.generate.common import DAY, HOUR, dumps, half_up_div, hex_id, iso, rint
from warehouse.generate.shapes import OfferShape

FINANCING_TYPES = {"flex_loan": 0.45, "fixed_term_loan": 0.25, "cash_advance": 0.30}
WITHHOLD_RATES = (0.05, 0.08, 0.1, 0.1, 0.12, 0.15, 0.2)
REFILL_DISCOUNT_RATE = 0.2
# status -> its `status_transitions` key (the provider's lifecycle times)
TRANSITIONS = {
    "accepted": "accepted_at",
    "canceled": "canceled_at",
    "fully_repaid": "fully_repaid_at",
    "paid_out": "paid_out_at",
    "rejected": "rejected_at",
    "replaced": "replaced_at",
}
# what the provider's replacement example omits from the new offer's object
PARTIAL_OMITS = ("created", "expires_after", "product_type", "livemode")


@dataclass
class Ctx:
    """One account's Capital simulation: its random stream and what it emitted."""

    rng: random.Random
    account: Account
    end_ts: int
    shapes: random.Random  # the object shapes' own stream (shapes.py)
    legacy_before: int  # offers created before this may be legacy objects
    events: list[tuple[int, str]] = field(default_factory=list)  # (created, JSON line)
    payouts: dict[str, tuple[int, int]] = field(default_factory=dict)  # offer -> (paid out, fee)
    email_rows: list[list[str]] = field(default_factory=list)
    had_financing: bool = False
    bounced: bool = False

    def emit(self, ts: int, event_type: str, obj: dict, livemode: bool | None = None) -> None:
        """Record an event (in the account's mode by default), unless it lies after the end of
        the history."""
        if ts > self.end_ts:
            return
        envelope = {
            "id": hex_id(self.rng, "evt_", 24),
            "object": "event",
            "type": event_type,
            "created": ts,
            "livemode": self.account.livemode if livemode is None else livemode,
            "data": {"object": obj},
        }
        self.events.append((ts, dumps(envelope)))

    def email_events(self, offer_id: str, delivered: int) -> None:
        """The offer email: sent, then delivered (opened, clicked) or, ~3 %, bounced."""
        rng = self.rng
        t = delivered + rint(rng, 30, 900)
        steps = [("sent", t)]
        if rng.random() < 0.03:
            steps.append(("bounced", t + rint(rng, 5, 300)))
            self.bounced = True
        else:
            t += rint(rng, 1, 60)
            steps.append(("delivered", t))
            if rng.random() < 0.6:
                t += rint(rng, 60, 3 * DAY)
                steps.append(("opened", t))
                if rng.random() < 0.45:
                    steps.append(("clicked", t + rint(rng, 5, 600)))
        style = "paris" if self.account.country == "FR" else "Z"
        for kind, ts in steps:
            if ts <= self.end_ts:
                row = [
                    hex_id(rng, "emailevt_", 20),
                    offer_id,
                    self.account.id,
                    kind,
                    iso(ts, style if rng.random() < 0.5 else "Z"),
                ]
                self.email_rows.append(row)


class Offer:
    """A `capital.financing_offer` as it evolves; `step` emits its next event."""

    def __init__(
        self,
        ctx: Ctx,
        created: int,
        campaign: str,
        estimate: int,
        product: str = "standard",
        replacement_for: str | None = None,
        shape: OfferShape | None = None,
        replacement_type: str | None = None,
    ) -> None:
        rng = ctx.rng
        self.ctx = ctx
        self.shape = shape or OfferShape()
        self.id = hex_id(rng, "financingoffer_", 24)
        self.created = created
        self.expires_after = created + 30 * DAY
        self.status = "undelivered"
        self.livemode = ctx.account.livemode
        self.financing_type = rng.choices(tuple(FINANCING_TYPES), tuple(FINANCING_TYPES.values()))[0]
        self.product_type = product
        self.charged_off_at: int | None = None
        self.replacement: str | None = None
        self.replacement_for = replacement_for
        self.replacement_type = replacement_type
        self.transitions: dict[str, int | None] = dict.fromkeys(sorted(TRANSITIONS.values()))
        self.partial = False  # the next object omits PARTIAL_OMITS
        # events held back until the payout (an orphan's): (created, type, object)
        self.held: list[tuple[int, str, dict]] | None = [] if self.shape.orphan else None
        self.intervals = rng.choice((5, 6))  # 60-day repayment intervals over ~10-12 months
        advance = max(100_000, min(5_000_000, estimate + rint(rng, -5, 5) * 10_000))
        fee = round(advance * rng.uniform(0.06, 0.14) / 100) * 100
        interval = self._interval(advance, fee)
        self.offered_terms = {
            "advance_amount": advance,
            "fee_amount": fee,
            "currency": ctx.account.currency,
            "withhold_rate": rng.choice(WITHHOLD_RATES),
            "campaign_type": None if self.shape.no_campaign_type else campaign,
            "previous_financing_fee_discount_rate": REFILL_DISCOUNT_RATE if product == "refill" else None,
            "target_payback_days": self._payback_days(interval),
            "repayment_interval_configuration": interval,
        }
        self.accepted_terms: dict | None = None
        self.extra = {"priority": rint(rng, 1, 3)} if rng.random() < 0.05 else {}

    def _interval(self, advance: int, fee: int) -> dict | None:
        if self.financing_type == "cash_advance":
            return None
        minimum = -(-(advance + fee) // self.intervals // 100) * 100
        return {"duration_days": 60, "minimum_amount": minimum, "maximum_amount": minimum * 2}

    def _payback_days(self, interval: dict | None) -> int | None:
        """The target payback: the repayment intervals' span (none for cash advances and legacy)."""
        if interval is None or self.shape.legacy:
            return None
        return self.intervals * interval["duration_days"]

    def obj(self) -> dict:
        shape = self.shape
        legacy_completed = shape.legacy and self.status == "fully_repaid"
        data = {
            "id": self.id,
            "object": "capital.financing_offer",
            "account": self.ctx.account.id,
            "created": self.created,
            "expires_after": float(self.expires_after) if shape.float_expiry else self.expires_after,
            "status": "completed" if legacy_completed else self.status,
            "type" if shape.legacy else "financing_type": None
            if shape.no_financing_type
            else self.financing_type,
            "product_type": None if shape.no_product_type else self.product_type,
            "livemode": self.livemode,
            "metadata": shape.metadata,
            "charged_off_at": self.charged_off_at,
            "replacement": self.replacement,
            "replacement_for": self.replacement_for,
            "status_transitions": None if shape.legacy else dict(self.transitions),
            "offered_terms": None if shape.no_offered_terms else self.offered_terms,
            "accepted_terms": self.accepted_terms,
        }
        if not shape.legacy:
            data["replacement_type"] = self.replacement_type
        if self.partial:
            for key in PARTIAL_OMITS:
                del data[key]
        data.update(self.extra)
        return data

    def step(self, ts: int, event: str, status: str | None = None) -> None:
        """Move to `status` (default: the event's name) and emit the event at ts."""
        self.status = status or event
        key = TRANSITIONS.get(self.status)
        if key is not None and self.transitions[key] is None:
            self.transitions[key] = ts
        event_type = f"capital.financing_offer.{event}"
        if self.held is not None:
            self.held.append((ts, event_type, self.obj()))
        else:
            self.ctx.emit(ts, event_type, self.obj(), self.livemode)

    def release(self, paid_out: int) -> None:
        """Emit the held events: on the UTC day after the payout (00:01-01:00, one second
        apart), or at their own times when the payout lies after the end of the history."""
        held, self.held = self.held or [], None
        late = paid_out > self.ctx.end_ts
        at = paid_out - paid_out % DAY + DAY + rint(self.ctx.shapes, 60, HOUR)
        for k, (ts, event_type, obj) in enumerate(held):
            self.ctx.emit(ts if late else at + k, event_type, obj, self.livemode)

    def accept(self, ts: int, discount_amount: int | None = None) -> None:
        """Accept the offer (~20 % of the time for less than offered) at ts."""
        rng, offered = self.ctx.rng, self.offered_terms
        advance, fee = offered["advance_amount"], offered["fee_amount"]
        if rng.random() < 0.2:
            lower = max(100_000, round(advance * rng.uniform(0.5, 0.9) / 10_000) * 10_000)
            advance, fee = lower, half_up_div(fee * lower, advance)
        interval = self._interval(advance, fee)
        self.accepted_terms = {
            "advance_amount": advance,
            "fee_amount": fee,
            "currency": offered["currency"],
            "withhold_rate": offered["withhold_rate"],
            "previous_financing_fee_discount_amount": discount_amount,
            "target_payback_days": self._payback_days(interval),
            "repayment_interval_configuration": interval,
        }
        self.step(ts, "accepted")


def deliver(ctx: Ctx, offer: Offer, fast: bool = False, at: int | None = None) -> int:
    """Mark the offer delivered (at, or minutes to two days after creation); return when."""
    if at is None:
        at = offer.created + (rint(ctx.rng, 60, 600) if fast else rint(ctx.rng, 600, 2 * DAY))
    offer.step(at, "delivered")
    if at <= ctx.end_ts:
        ctx.email_events(offer.id, at)
    return at


def acceptance_time(ctx: Ctx, offer: Offer, delivered: int, fast: bool, tie: bool) -> int:
    """When a delivered offer is accepted: same second (tie), soon (fast) or within 20 days."""
    if tie:
        return delivered
    wait = rint(ctx.rng, 60, HOUR) if fast else rint(ctx.rng, 600, 20 * DAY)
    return min(delivered + wait, offer.expires_after - 1)
