"""The Capital landing files: provider events, eligibility, flags, emails, balance bookings."""

from __future__ import annotations

import datetime as dt
import random

from warehouse.contract import csv_header
from warehouse.generate.accounts import Account
from warehouse.generate.common import (
    CURRENCIES,
    DAY,
    HOUR,
    Window,
    add_months,
    dumps,
    half_up_div,
    hex_id,
    iso,
    rint,
    rng_for,
    ts_of,
)
from warehouse.generate.lifecycle import run_account
from warehouse.generate.offers import Ctx
from warehouse.generate.sink import Sink

ELIGIBILITY_HEADER = csv_header("capital_eligibility")
FLAGS_HEADER = csv_header("capital_account_flags")
EMAIL_HEADER = csv_header("offer_email_events")
TYPE_CHANGE = ts_of(dt.date(2026, 2, 25))  # the revenue share's balance type changed then
REVSHARE_DESCRIPTION = "Revenue Share: Capital"
LATE_RATE, DUPLICATE_RATE = 0.02, 0.01


def bool_text(value: bool) -> str:
    return "true" if value else "false"


def missing_days(seed: int, win: Window) -> frozenset[int]:
    """Three days of the history (neither the first nor the last) without any snapshot."""
    if win.n_days < 10:
        return frozenset()
    return frozenset(rng_for(seed, "platform", "missing_days").sample(range(1, win.n_days - 1), 3))


class CapitalWriter:
    """Writes one account's Capital records at a time into the sink's buffers."""

    def __init__(self, sink: Sink, seed: int, win: Window) -> None:
        self.sink, self.seed, self.win = sink, seed, win
        self.event_buffers = [sink.ndjson(f"capital_events_{m}.ndjson") for m in win.months]
        months = [
            sink.csv(f"capital_eligibility_{m}.csv", ELIGIBILITY_HEADER, 0.005, eager=False)
            for m in win.months
        ]
        self.day_text = [win.day(d).isoformat() for d in range(win.n_days)]
        self.day_buffers = [months[win.month_index(win.start_ts + d * DAY)] for d in range(win.n_days)]
        self.missing = missing_days(seed, win)
        self.flags = sink.csv("capital_account_flags.csv", FLAGS_HEADER)
        self.emails = sink.csv("offer_email_events.csv", EMAIL_HEADER)
        self.earned: dict[tuple[int, str], int] = {}  # (month index, currency) -> revenue share

    def account(self, account: Account) -> None:
        ctx = Ctx(
            rng_for(self.seed, account.index, "capital"),
            account,
            self.win.end_ts,
            rng_for(self.seed, account.index, "shapes"),
            self.win.start_ts + self.win.n_days // 4 * DAY,
        )
        self._account_events(ctx)
        run_account(ctx, self.win)
        self._route(ctx.events, rng_for(self.seed, account.index, "delivery"))
        self.emails.extend(ctx.email_rows)
        self._eligibility(account)
        self._flags(account)
        if account.livemode:  # test-mode financings earn the platform nothing
            for paid_out, fee in ctx.payouts.values():
                key = (self.win.month_index(paid_out), account.currency)
                self.earned[key] = self.earned.get(key, 0) + half_up_div(fee, 10)

    def _account_events(self, ctx: Ctx) -> None:
        """`account.updated` when the account appears, then at each email change; for a test
        twin, one more in test mode after the last (no email, a test name)."""
        account, rng, win = ctx.account, ctx.rng, self.win
        first = max(account.created, win.start_ts + rint(rng, 0, 2 * DAY))
        later = sorted(rint(rng, min(first + DAY, win.end_ts), win.end_ts) for _ in account.emails[1:])
        times = [first, *later]
        versions = [(ts, email, account.name, None) for ts, email in zip(times, account.emails, strict=True)]
        if account.test_twin:
            last = times[-1]
            versions.append(
                (
                    rint(ctx.shapes, min(last + HOUR, win.end_ts), win.end_ts),
                    None,
                    f"{account.name} (test)",
                    False,
                )
            )
        for ts, email, name, livemode in versions:
            ctx.emit(
                ts,
                "account.updated",
                {
                    "id": account.id,
                    "object": "account",
                    "email": email,
                    "business_profile": {"name": name},
                    "country": account.country,
                    "default_currency": account.currency,
                    "created": account.created,
                },
                livemode,
            )

    def _route(self, events: list[tuple[int, str]], rng: random.Random) -> None:
        """Into the file of the event's month; ~2 % a month late, ~1 % delivered twice."""
        last = len(self.win.months) - 1
        for ts, line in events:
            month = self.win.month_index(ts)
            if month < last and rng.random() < LATE_RATE:
                month += 1
            self.event_buffers[month].append(line)
            if rng.random() < DUPLICATE_RATE:
                again = month + 1 if month < last and rng.random() < 0.5 else month
                self.event_buffers[again].append(line)

    def _eligibility(self, account: Account) -> None:
        days, buffers, missing = self.day_text, self.day_buffers, self.missing
        for window in account.windows:
            estimate = str(window.estimate)
            start = window.first if window.listed_from < 0 else window.listed_from
            for d in range(start, window.last_listed + 1):
                if d in missing:
                    continue
                if window.first <= d <= window.last_eligible:
                    buffers[d].append([days[d], account.id, "true", estimate, account.currency])
                else:
                    buffers[d].append([days[d], account.id, "false", None, account.currency])

    def _flags(self, account: Account) -> None:
        for deny, unsub, updated in account.flag_rows:
            self.flags.append([account.id, bool_text(deny), bool_text(unsub), iso(updated)])

    def balance_transactions(self) -> None:
        """Monthly `Revenue Share: Capital` bookings (one off by 150) among unrelated fees."""
        rng, win = rng_for(self.seed, "platform", "balance"), self.win
        booked = sorted(k for k, v in self.earned.items() if v > 0 and self._paid_on(k[0]) <= win.end)
        off = rng.choice(booked) if booked else None
        lines = []
        for m, start in enumerate(win.month_starts):
            for currency in CURRENCIES:
                for description in ("Connect fee", "Payout fee"):
                    at = start + rint(rng, 0, 27 * DAY)
                    if rng.random() < 0.8 and at <= win.end_ts:
                        lines.append(
                            _balance_line(
                                rng, "stripe_fee", description, -rint(rng, 300, 20_000), currency, at
                            )
                        )
                amount, paid_on = self.earned.get((m, currency), 0), self._paid_on(m)
                if amount <= 0 or paid_on > win.end:
                    continue
                at = min(ts_of(paid_on) + rint(rng, 0, 3 * DAY - 1), win.end_ts)
                kind = "stripe_fee" if at < TYPE_CHANGE else "revenue_share"
                amount += 150 if (m, currency) == off else 0
                lines.append(_balance_line(rng, kind, REVSHARE_DESCRIPTION, amount, currency, at))
        rng.shuffle(lines)
        self.sink.ndjson("balance_transactions.ndjson").extend(lines)

    def _paid_on(self, month: int) -> dt.date:
        year, number = map(int, self.win.months[month].split("-"))
        return dt.date(*add_months(year, number, 1), 1)


def _balance_line(
    rng: random.Random, kind: str, description: str, amount: int, currency: str, created: int
) -> str:
    return dumps(
        {
            "id": hex_id(rng, "txn_", 24),
            "type": kind,
            "description": description,
            "amount": amount,
            "currency": currency,
            "created": created,
        }
    )
