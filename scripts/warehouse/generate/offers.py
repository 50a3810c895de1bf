"""Financing offers: the offer object and the events of its lifecycle."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from warehouse.generate.accounts import Account
from warehouse.generate.common import DAY, HOUR, dumps, half_up_div, hex_id, iso, rint

FINANCING_TYPES = {"flex_loan": 0.45, "fixed_term_loan": 0.25, "cash_advance": 0.30}
WITHHOLD_RATES = (0.05, 0.08, 0.1, 0.1, 0.12, 0.15, 0.2)
REFILL_DISCOUNT_RATE = 0.2


@dataclass
class Ctx:
    """One account's Capital simulation: its random stream and what it emitted."""

    rng: random.Random
    account: Account
    end_ts: int
    events: list[tuple[int, str]] = field(default_factory=list)  # (created, JSON line)
    payouts: dict[str, tuple[int, int]] = field(default_factory=dict)  # offer -> (paid out, fee)
    email_rows: list[list[str]] = field(default_factory=list)
    had_financing: bool = False
    bounced: bool = False

    def emit(self, ts: int, event_type: str, obj: dict) -> None:
        """Record an event, unless it lies after the end of the history."""
        if ts > self.end_ts:
            return
        envelope = {
            "id": hex_id(self.rng, "evt_", 24),
            "object": "event",
            "type": event_type,
            "created": ts,
            "livemode": self.account.livemode,
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
    ) -> None:
        rng = ctx.rng
        self.ctx = ctx
        self.id = hex_id(rng, "financingoffer_", 24)
        self.created = created
        self.expires_after = created + 30 * DAY
        self.status = "undelivered"
        self.financing_type = rng.choices(tuple(FINANCING_TYPES), tuple(FINANCING_TYPES.values()))[0]
        self.product_type = product
        self.charged_off_at: int | None = None
        self.replacement: str | None = None
        self.replacement_for = replacement_for
        self.intervals = rng.choice((5, 6))  # 60-day repayment intervals over ~10-12 months
        advance = max(100_000, min(5_000_000, estimate + rint(rng, -5, 5) * 10_000))
        fee = round(advance * rng.uniform(0.06, 0.14) / 100) * 100
        self.offered_terms = {
            "advance_amount": advance,
            "fee_amount": fee,
            "currency": ctx.account.currency,
            "withhold_rate": rng.choice(WITHHOLD_RATES),
            "campaign_type": campaign,
            "previous_financing_fee_discount_rate": REFILL_DISCOUNT_RATE if product == "refill" else None,
            "repayment_interval_configuration": self._interval(advance, fee),
        }
        self.accepted_terms: dict | None = None
        self.extra = {"priority": rint(rng, 1, 3)} if rng.random() < 0.05 else {}

    def _interval(self, advance: int, fee: int) -> dict | None:
        if self.financing_type == "cash_advance":
            return None
        minimum = -(-(advance + fee) // self.intervals // 100) * 100
        return {"duration_days": 60, "minimum_amount": minimum, "maximum_amount": minimum * 2}

    def obj(self) -> dict:
        data = {
            "id": self.id,
            "object": "capital.financing_offer",
            "account": self.ctx.account.id,
            "created": self.created,
            "expires_after": self.expires_after,
            "status": self.status,
            "financing_type": self.financing_type,
            "product_type": self.product_type,
            "livemode": self.ctx.account.livemode,
            "metadata": {},
            "charged_off_at": self.charged_off_at,
            "replacement": self.replacement,
            "replacement_for": self.replacement_for,
            "offered_terms": self.offered_terms,
            "accepted_terms": self.accepted_terms,
        }
        data.update(self.extra)
        return data

    def step(self, ts: int, event: str, status: str | None = None) -> None:
        """Move to `status` (default: the event's name) and emit the event at ts."""
        self.status = status or event
        self.ctx.emit(ts, f"capital.financing_offer.{event}", self.obj())

    def accept(self, ts: int, discount_amount: int | None = None) -> None:
        """Accept the offer (~20 % of the time for less than offered) at ts."""
        rng, offered = self.ctx.rng, self.offered_terms
        advance, fee = offered["advance_amount"], offered["fee_amount"]
        if rng.random() < 0.2:
            lower = max(100_000, round(advance * rng.uniform(0.5, 0.9) / 10_000) * 10_000)
            advance, fee = lower, half_up_div(fee * lower, advance)
        self.accepted_terms = {
            "advance_amount": advance,
            "fee_amount": fee,
            "currency": offered["currency"],
            "withhold_rate": offered["withhold_rate"],
            "previous_financing_fee_discount_amount": discount_amount,
            "previous_financing_fee_discount_rate": offered["previous_financing_fee_discount_rate"],
            "repayment_interval_configuration": self._interval(advance, fee),
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
