"""Financing transactions: payout, daily repayments, reversals, refill and charge-off."""

from __future__ import annotations

from dataclasses import dataclass, field

from warehouse.generate.common import DAY, HOUR, half_up_div, hex_id, rint
from warehouse.generate.offers import Ctx, Offer
from warehouse.generate.shapes import transaction_shape


@dataclass
class Options:
    """How one financing is repaid (defaults: drawn at random)."""

    days: int | None = None  # expected days to repay
    refill_at: int | None = None  # a refill payout pays the balance off at this time
    charge_off: bool = False
    overpay: int = 0  # the final payment exceeds the balance by this much
    force_reversal: bool = False  # reverse (at least) the first payment


@dataclass
class Balance:
    advance: int
    fee: int
    # (due, paid at, payment id, advance, fee) of payments to be reversed
    pending: list[tuple[int, int, str, int, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.advance + self.fee


def transaction(
    ctx: Ctx,
    offer: Offer,
    ts: int,
    kind: str,
    advance: int,
    fee: int,
    reason: str | None,
    reversed_id: str | None = None,
) -> str:
    """Emit a `capital.financing_transaction.created` event; return the transaction id."""
    txn_id = hex_id(ctx.rng, "cptxn_", 24)
    linked, link, description, legacy_source = transaction_shape(ctx.shapes, kind, reason, offer.shape.legacy)
    ctx.emit(
        ts,
        "capital.financing_transaction.created",
        {
            "id": txn_id,
            "object": "capital.financing_transaction",
            "account": ctx.account.id,
            "financing_offer": offer.id,
            "created_at": ts,
            "livemode": ctx.account.livemode,
            "type": kind,
            "details": {
                "advance_amount": advance,
                "fee_amount": fee,
                "total_amount": advance + fee,
                "currency": offer.offered_terms["currency"],
                "reason": reason,
                "linked_payment": linked,
                "reversed_transaction": reversed_id,
                "transaction": link,
            },
            "user_facing_description": description,
            "legacy_balance_transaction_source": legacy_source,
        },
    )
    return txn_id


def pay_out(ctx: Ctx, offer: Offer, ts: int) -> str:
    """Disburse the accepted advance at ts; return the payout transaction id."""
    terms = offer.accepted_terms or offer.offered_terms
    payout = transaction(ctx, offer, ts, "payout", terms["advance_amount"], terms["fee_amount"], None)
    offer.step(ts, "paid_out")
    if offer.held is not None:  # an orphan: its offer lands after this payout
        offer.release(ts)
    if ts <= ctx.end_ts:
        ctx.payouts[offer.id] = (ts, terms["fee_amount"])
        ctx.had_financing = True
    return payout


def reverse_payout(ctx: Ctx, offer: Offer, payout: str, ts: int) -> int:
    """Reverse the payout (financing_cancellation): the offer is canceled. Return when."""
    terms = offer.accepted_terms or offer.offered_terms
    transaction(
        ctx,
        offer,
        ts,
        "reversal",
        terms["advance_amount"],
        terms["fee_amount"],
        "financing_cancellation",
        payout,
    )
    offer.step(ts + rint(ctx.rng, 1, 120), "canceled")
    if ts <= ctx.end_ts:
        ctx.payouts.pop(offer.id, None)
    return ts


def run_financing(ctx: Ctx, offer: Offer, paid_out: int, opts: Options) -> tuple[int, int]:
    """Pay out and repay a financing; return (when it ended or the history's end, fee left)."""
    rng = ctx.rng
    pay_out(ctx, offer, paid_out)
    terms = offer.accepted_terms or offer.offered_terms
    bal = Balance(terms["advance_amount"], terms["fee_amount"])
    days = opts.days or rint(rng, 90, 300)
    daily = bal.total / days
    stop_after = int(days * rng.uniform(0.2, 0.6)) if opts.charge_off else -1
    day, last, payments = paid_out - paid_out % DAY + DAY, paid_out, 0
    while True:
        t = day + rint(rng, 2 * HOUR, 20 * HOUR)
        day += DAY
        if opts.refill_at is not None and t >= opts.refill_at:
            return _refill(ctx, offer, bal, opts.refill_at)
        if t > ctx.end_ts:
            return ctx.end_ts, bal.fee
        if payments == stop_after:
            return _charge_off(ctx, offer, bal, last)
        _due_reversals(ctx, offer, bal, t)
        if rng.random() < 0.12:  # no sales that day
            continue
        amount, reason = _draw_payment(ctx, bal, daily)
        if amount >= bal.total and bal.pending:
            _due_reversals(ctx, offer, bal, t, flush=True)
        if amount >= bal.total:
            transaction(ctx, offer, t, "payment", bal.advance + opts.overpay, bal.fee, reason)
            offer.step(t + rint(rng, 60, HOUR), "fully_repaid")
            return t, 0
        advance, fee = _split(bal, amount)
        payment = transaction(ctx, offer, t, "payment", advance, fee, reason)
        bal.advance, bal.fee, last = bal.advance - advance, bal.fee - fee, t
        if rng.random() < 0.01 or (opts.force_reversal and payments == 0):
            bal.pending.append((t + rint(rng, 1, 4) * DAY, t, payment, advance, fee))
        payments += 1


def _draw_payment(ctx: Ctx, bal: Balance, daily: float) -> tuple[int, str]:
    """A day's repayment: mostly automatic withholding, sometimes a user or collection payment."""
    u = ctx.rng.random()
    if u < 0.015:
        return max(100, round(bal.total * ctx.rng.uniform(0.05, 0.3))), "requested_by_user"
    if u < 0.025:
        return max(100, round(daily * ctx.rng.uniform(1, 3))), "collection"
    return max(100, round(daily * ctx.rng.uniform(0.3, 1.7))), "automatic_withholding"


def _split(bal: Balance, amount: int) -> tuple[int, int]:
    """Split a partial payment between advance and fee in proportion to the balance."""
    fee = min(half_up_div(amount * bal.fee, bal.total), bal.fee)
    advance = amount - fee
    if advance > bal.advance:
        advance = bal.advance
        fee = amount - advance
    return advance, fee


def _due_reversals(ctx: Ctx, offer: Offer, bal: Balance, t: int, flush: bool = False) -> None:
    """Reverse the pending payments due by t (all of them, a minute before t, if flush)."""
    keep = []
    for item in bal.pending:
        due, paid, payment, advance, fee = item
        if flush or due <= t:
            transaction(
                ctx,
                offer,
                max(paid + 1, min(due, t - 60)),
                "reversal",
                advance,
                fee,
                "automatic_withholding_refund",
                payment,
            )
            bal.advance, bal.fee = bal.advance + advance, bal.fee + fee
        else:
            keep.append(item)
    bal.pending = keep


def _refill(ctx: Ctx, offer: Offer, bal: Balance, at: int) -> tuple[int, int]:
    """A refill payout pays off the remaining balance; the old financing is fully repaid."""
    _due_reversals(ctx, offer, bal, at, flush=True)
    fee_left = bal.fee
    if bal.total > 0:
        transaction(ctx, offer, at, "payment", bal.advance, bal.fee, "refill")
        offer.step(at + rint(ctx.rng, 1, 60), "fully_repaid")
    return at, fee_left


def _charge_off(ctx: Ctx, offer: Offer, bal: Balance, last: int) -> tuple[int, int]:
    """Payments stopped: charge off 30-90 days after the last one (status stays paid_out)."""
    _due_reversals(ctx, offer, bal, last + 5 * DAY, flush=True)
    at = last + rint(ctx.rng, 30, 90) * DAY
    offer.charged_off_at = at
    offer.step(at, "paid_out")
    return at, bal.fee
