"""Which offers an account gets, and the path each one takes through its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from warehouse.generate.common import DAY, HOUR, Window, half_up_div, pick, rint
from warehouse.generate.financing import Options, pay_out, reverse_payout, run_financing
from warehouse.generate.offers import Ctx, Offer, acceptance_time, deliver
from warehouse.generate.shapes import OfferShape, offer_shape

PATHS = {
    "repaid": 50,
    "expired_event": 8,
    "expired_silent": 8,
    "undelivered": 6,
    "rejected": 5,
    "canceled": 4,
    "payout_reversed": 3,
    "charged_off": 3,
    "replaced": 10,
}
PAYOUT_PATHS = frozenset({"repaid", "payout_reversed", "charged_off"})
COUNTEROFFER_RATE = 0.2  # of the replacements; the others are upgrades before submission


@dataclass(frozen=True)
class Plan:
    """The path of one offer: repaid (or in progress), expired, rejected, ..."""

    path: str
    fast: bool = False  # delivered and accepted within the hour
    tie: bool = False  # delivered and accepted in the same second
    refill: bool = False  # a refill offer pays the financing off
    fin: Options = field(default_factory=Options)
    payout_before_end: int | None = None  # paid out this many seconds before the history's end
    replacement: str | None = None  # forced replacement_type (else drawn)
    old_delivered: bool | None = None  # a replaced offer was delivered first (else drawn)


FORCED_PLANS = {
    "repaid_overpay": Plan("repaid", fin=Options(days=120, overpay=137, force_reversal=True)),
    "refill": Plan("repaid", refill=True, fin=Options(days=200)),
    "tie": Plan("repaid", tie=True, fin=Options(days=150)),
    "expired_event": Plan("expired_event"),
    "expired_silent": Plan("expired_silent"),
    "undelivered": Plan("undelivered"),
    "rejected": Plan("rejected"),
    "canceled": Plan("canceled"),
    "payout_reversed": Plan("payout_reversed"),
    "charged_off": Plan("charged_off", fin=Options(days=200)),
    "replaced": Plan("replaced", replacement="pre_submission_upgrade", old_delivered=True),
    "flight_undelivered": Plan("undelivered"),
    "flight_delivered": Plan("expired_silent"),
    "flight_accepted": Plan("repaid", fast=True),
    "flight_progress": Plan("repaid", fin=Options(days=250)),
    # paid out the day before the end; its offer's events land on the last day
    "flight_orphan": Plan("repaid", fast=True, fin=Options(days=200), payout_before_end=DAY + 12 * HOUR),
    "counteroffer": Plan("replaced", replacement="post_submission_counteroffer"),
    "legacy_completed": Plan("repaid", fin=Options(days=100)),
    "test_mixed": Plan("repaid", fin=Options(days=120)),
    "terms_null": Plan("repaid", fin=Options(days=150)),
    "first_delivered": Plan("expired_event"),
}


def run_account(ctx: Ctx, win: Window) -> None:
    """Every offer of the account, while (or just after) it is on the eligibility list."""
    account, rng = ctx.account, ctx.rng
    if account.forced:
        _run_forced(ctx, win)
        return
    if not account.can_get_offers:
        return
    cursor, offered = 0, False
    for k, window in enumerate(account.windows):
        if rng.random() < 0.25:  # not every eligible account gets an offer
            continue
        t = win.start_ts + window.first * DAY + rint(rng, 0, 3 * DAY)
        stop = min(win.start_ts + (window.last_eligible + 4) * DAY, ctx.end_ts)
        while t <= stop and not ctx.bounced:
            if t < cursor:  # an offer or financing is still under way
                t = cursor + rint(rng, DAY, 10 * DAY)
                continue
            if ctx.had_financing:
                campaign = "repeat_user"
            else:
                campaign = "previously_eligible_user" if offered or k else "newly_eligible_user"
            path = pick(rng, PATHS)
            plan = Plan(path, refill=path == "repaid" and rng.random() < 0.1)
            cursor = run_offer(ctx, t, plan, campaign, window.estimate)
            offered = True
            if rng.random() > 0.35:
                break
            t = cursor + rint(rng, DAY, 14 * DAY)


def _run_forced(ctx: Ctx, win: Window) -> None:
    name, before_end = ctx.account.forced
    window = ctx.account.windows[0]
    if before_end is None:
        created = win.start_ts + (window.first + 1) * DAY + rint(ctx.rng, 0, 2 * DAY)
    else:
        created = ctx.end_ts - before_end
    run_offer(ctx, created, FORCED_PLANS[name], "newly_eligible_user", window.estimate)
    if name == "test_mixed":  # a test-mode offer of a live account, still open at the end
        test = Offer(ctx, ctx.end_ts - 3 * DAY, "newly_eligible_user", window.estimate)
        test.livemode = False
        test.step(test.created, "created", "undelivered")


def _shape(
    ctx: Ctx, created: int, delivered: bool = False, payout: bool = False, modern: bool = False
) -> OfferShape:
    """A new offer's shape (`modern`: never a legacy object, as a replacement offer is not)."""
    forced = ctx.account.forced[0] if ctx.account.forced else None
    legacy_before = ctx.legacy_before if not modern else 0
    return offer_shape(ctx.shapes, forced, created, legacy_before, delivered, payout)


def run_offer(ctx: Ctx, created: int, plan: Plan, campaign: str, estimate: int) -> int:
    """Create an offer and play its path; return when the account is free for another."""
    if plan.path == "replaced":
        return _replaced(ctx, created, plan, campaign, estimate)
    payout = plan.path in PAYOUT_PATHS and not plan.refill
    shape = _shape(ctx, created, delivered=plan.path != "undelivered", payout=payout)
    offer = Offer(ctx, created, campaign, estimate, shape=shape)
    if not shape.first_delivered:
        offer.step(created, "created", "undelivered")
    return _proceed(ctx, offer, plan)


def _replaced(ctx: Ctx, created: int, plan: Plan, campaign: str, estimate: int) -> int:
    """An offer replaced by a new one: the provider sends `.replacement_created` for the new
    offer (first seen `delivered`, its object partial) and no event for the old one.

    An upgrade replaces an undelivered or delivered offer with better terms; a counteroffer
    follows the rejection of an accepted (submitted) offer, which the replacement leaves as is.
    """
    rng, shapes = ctx.rng, ctx.shapes
    kind = plan.replacement or (
        "post_submission_counteroffer" if shapes.random() < COUNTEROFFER_RATE else "pre_submission_upgrade"
    )
    old = Offer(ctx, created, campaign, estimate, shape=_shape(ctx, created))
    old.step(created, "created", "undelivered")
    if kind == "post_submission_counteroffer":
        delivered = deliver(ctx, old)
        accepted = acceptance_time(ctx, old, delivered, False, False)
        old.accept(accepted)
        rejected = accepted + rint(rng, HOUR, 3 * DAY)
        old.step(rejected, "rejected")
        at, estimate = rejected + rint(rng, 60, 600), estimate * 4 // 5
    else:
        was_delivered = plan.old_delivered if plan.old_delivered is not None else shapes.random() < 0.5
        since = deliver(ctx, old) if was_delivered else created
        at, estimate = since + rint(rng, HOUR, 5 * DAY), estimate * 3 // 2
    new = Offer(
        ctx,
        at,
        campaign,
        estimate,
        replacement_for=old.id,
        shape=_shape(ctx, at, modern=True),
        replacement_type=kind,
    )
    new.partial = True
    new.step(at, "replacement_created", "delivered")
    new.partial = False
    if at <= ctx.end_ts:
        ctx.email_events(new.id, at)
    path = pick(rng, {k: v for k, v in PATHS.items() if k not in ("replaced", "undelivered")})
    return _proceed(ctx, new, replace(plan, path=path), delivered=at)


def _proceed(ctx: Ctx, offer: Offer, plan: Plan, delivered: int | None = None) -> int:
    """From `undelivered` (or from `delivered`, at `delivered`) on: deliver, expire or accept,
    then finance."""
    rng = ctx.rng
    if delivered is None:
        if plan.path == "undelivered":
            if rng.random() < 0.5:
                offer.step(offer.expires_after, "expired")
            return offer.expires_after
        delivered = deliver(ctx, offer, plan.fast)
    if plan.path in ("expired_event", "expired_silent"):
        if plan.path == "expired_event":  # else the warehouse derives the expiry
            offer.step(offer.expires_after, "expired")
        return offer.expires_after
    accepted = acceptance_time(ctx, offer, delivered, plan.fast, plan.tie or rng.random() < 0.04)
    offer.accept(accepted)
    if plan.path in ("rejected", "canceled"):
        at = accepted + rint(rng, HOUR, 5 * DAY)
        offer.step(at, plan.path)
        return at
    paid_out = accepted + rint(rng, DAY, 3 * DAY)
    if plan.payout_before_end is not None:
        paid_out = ctx.end_ts - plan.payout_before_end
    if plan.path == "payout_reversed":
        payout = pay_out(ctx, offer, paid_out)
        return reverse_payout(ctx, offer, payout, paid_out + rint(rng, 2, 10) * DAY)
    fin = replace(plan.fin, charge_off=plan.path == "charged_off")
    if plan.refill:
        return _with_refill(ctx, offer, paid_out, fin)
    return run_financing(ctx, offer, paid_out, fin)[0]


def _with_refill(ctx: Ctx, old: Offer, paid_out: int, fin: Options) -> int:
    """Part-way through `old`, a refill offer whose payout pays old's balance off."""
    rng = ctx.rng
    days = fin.days or rint(rng, 90, 300)
    created = paid_out + int(days * rng.uniform(0.35, 0.6)) * DAY + rint(rng, 0, DAY)
    delivered = created + rint(rng, 600, DAY)
    accepted = delivered + rint(rng, 600, 3 * DAY)
    refill_at = accepted + rint(rng, DAY, 2 * DAY)
    _, fee_left = run_financing(ctx, old, paid_out, replace(fin, days=days, refill_at=refill_at))
    advance = old.offered_terms["advance_amount"]
    new = Offer(ctx, created, "repeat_user", advance, "refill", old.id, _shape(ctx, created))
    new.step(created, "created", "undelivered")
    deliver(ctx, new, at=delivered)
    new.accept(accepted, discount_amount=half_up_div(fee_left, 5))  # 20 % of the fee left
    return run_financing(ctx, new, refill_at, Options())[0]
