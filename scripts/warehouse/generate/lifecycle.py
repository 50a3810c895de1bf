"""Which offers an account gets, and the path each one takes through its lifecycle."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from warehouse.generate.common import DAY, HOUR, Window, half_up_div, pick, rint
from warehouse.generate.financing import Options, pay_out, reverse_payout, run_financing
from warehouse.generate.offers import Ctx, Offer, acceptance_time, deliver

PATHS = {
    "repaid": 50,
    "expired_event": 8,
    "expired_silent": 8,
    "undelivered": 6,
    "rejected": 5,
    "canceled": 4,
    "payout_reversed": 3,
    "charged_off": 3,
    "replaced": 5,
}


@dataclass(frozen=True)
class Plan:
    """The path of one offer: repaid (or in progress), expired, rejected, ..."""

    path: str
    fast: bool = False  # delivered and accepted within the hour
    tie: bool = False  # delivered and accepted in the same second
    refill: bool = False  # a refill offer pays the financing off
    fin: Options = field(default_factory=Options)


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
    "replaced": Plan("replaced"),
    "flight_undelivered": Plan("undelivered"),
    "flight_delivered": Plan("expired_silent"),
    "flight_accepted": Plan("repaid", fast=True),
    "flight_progress": Plan("repaid", fin=Options(days=250)),
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


def run_offer(ctx: Ctx, created: int, plan: Plan, campaign: str, estimate: int) -> int:
    """Create an offer and play its path; return when the account is free for another."""
    rng = ctx.rng
    offer = Offer(ctx, created, campaign, estimate)
    offer.step(created, "created", "undelivered")
    if plan.path != "replaced":
        return _proceed(ctx, offer, plan)
    at = created + rint(rng, HOUR, 5 * DAY)
    new = Offer(ctx, at, campaign, estimate, replacement_for=offer.id)
    offer.replacement = new.id
    offer.step(at, "replacement_created", "replaced")
    new.step(at, "created", "undelivered")
    path = pick(rng, {k: v for k, v in PATHS.items() if k != "replaced"})
    return _proceed(ctx, new, replace(plan, path=path))


def _proceed(ctx: Ctx, offer: Offer, plan: Plan) -> int:
    """From `undelivered` on: deliver, expire or accept, then finance."""
    rng = ctx.rng
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
    new = Offer(ctx, created, "repeat_user", old.offered_terms["advance_amount"], "refill", old.id)
    new.step(created, "created", "undelivered")
    deliver(ctx, new, at=delivered)
    new.accept(accepted, discount_amount=half_up_div(fee_left, 5))  # 20 % of the fee left
    return run_financing(ctx, new, refill_at, Options())[0]
