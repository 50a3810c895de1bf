"""The club collections landing files: collections, rates, people, payments, transfers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from warehouse.contract import csv_header
from warehouse.generate.accounts import Account
from warehouse.generate.common import (
    DAY,
    HOUR,
    Window,
    date_of,
    half_up_div,
    hex_id,
    iso,
    pick,
    rint,
    rng_for,
    ts_of,
)
from warehouse.generate.names import (
    FIRST_NAMES,
    KINDS,
    LAST_NAMES,
    RATE_LABELS,
    collection_name,
    person_email,
    rate_amount,
)
from warehouse.generate.sink import Sink

# the contract's headers (warehouse.contract.KINDS), in the order the files are written
HEADERS = {
    name: csv_header(name)
    for name in (
        "collections",
        "rates",
        "participants",
        "payers",
        "transactions",
        "transaction_participants",
        "transfers",
    )
}
DUPLICATE_RATE = 0.005


@dataclass
class Club:
    account: Account
    rng: random.Random
    style: str  # timestamp style: "paris" offsets for French clubs, else "Z"
    weeks: dict[int, int] = field(default_factory=dict)  # Monday-based week -> amount collected


@dataclass
class Collection:
    id: str
    fee_model: str
    commission: Fraction | None
    opened: int
    closes: int  # registrations close (open-ended collections: 240 days after opening)
    rates: list[tuple[str, int]] = field(default_factory=list)  # (rate id, amount)


def text(value: bool | int | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class ClubWriter:
    """Writes one club's collection records at a time into the sink's buffers."""

    def __init__(self, sink: Sink, seed: int, win: Window) -> None:
        self.seed, self.win = seed, win
        out = {k: sink.csv(f"{k}.csv", h, DUPLICATE_RATE) for k, h in HEADERS.items() if k != "transactions"}
        self.collections, self.rates = out["collections"], out["rates"]
        self.participants, self.payers = out["participants"], out["payers"]
        self.links, self.transfers = out["transaction_participants"], out["transfers"]
        self.tx_parts = tuple(
            sink.csv(f"transactions_part{k}.csv", HEADERS["transactions"], DUPLICATE_RATE) for k in (1, 2)
        )
        self.midpoint = win.months[len(win.months) // 2] + "-01"  # part 2 from this date on

    def club(self, account: Account, extra: Callable[[ClubWriter, Club], None] | None = None) -> None:
        """The club's collections (then `extra` ones, e.g. the brief's) and its transfers."""
        club = Club(
            account,
            rng_for(self.seed, account.index, "collections"),
            "paris" if account.country == "FR" else "Z",
        )
        for _ in range(rint(club.rng, 1, 4)):
            self._collection(club)
        if extra:
            extra(self, club)
        self._transfers(club)

    def _collection(self, club: Club) -> None:
        rng, win, account = club.rng, self.win, club.account
        kind = pick(rng, KINDS)
        tip = rng.random() < 0.55
        rate = None if tip else ("0.013" if rng.random() < 0.9 else rng.choice(("0.015", "0.02")))
        latest = max(win.start_ts, win.end_ts - 20 * DAY)
        opened = rint(rng, min(max(win.start_ts, account.created), latest), latest)
        closes = None if rng.random() < 0.15 else opened + rint(rng, 30, 240) * DAY
        coll = Collection(
            hex_id(rng, "collection_", 16),
            "tip" if tip else "club_commission",
            Fraction(rate) if rate else None,
            opened,
            closes or opened + 240 * DAY,
        )
        self.collections.append(
            [
                coll.id,
                account.id,
                collection_name(rng, kind, date_of(opened).year),
                kind,
                coll.fee_model,
                rate,
                account.currency,
                iso(opened, club.style),
                iso(closes, club.style) if closes else None,
            ]
        )
        for label in rng.sample(RATE_LABELS[kind], rint(rng, 1, 3)):
            rate_id, amount = hex_id(rng, "rate_", 16), rate_amount(rng, kind, label)
            coll.rates.append((rate_id, amount))
            self.rates.append([rate_id, coll.id, label, str(amount)])
        remaining = rint(rng, 2, 30)
        while remaining > 0:  # most people register soon after the opening
            size = min(remaining, rng.choice((1, 1, 1, 1, 2, 2, 3)))
            remaining -= size
            created = coll.opened + int((coll.closes - coll.opened) * rng.random() ** 2)
            if created <= win.end_ts:  # else: not registered yet
                self._cart(club, coll, size, created)

    def _cart(self, club: Club, coll: Collection, size: int, created: int) -> None:
        """A family registering 1-3 participants, and (usually) paying for them."""
        rng = club.rng
        family = rng.choice(LAST_NAMES)
        parent_pays = size > 1 and rng.random() < 0.3  # a parent pays for the children only
        people = []
        for j in range(size):
            first = rng.choice(FIRST_NAMES)
            guest = rng.random() < 0.15
            child = (parent_pays or j > 0) and not guest and rng.random() < 0.7
            if child or (guest and rng.random() < 0.7) or (not guest and rng.random() < 0.02):
                email = None  # optional for guests and children; else a quality finding
            else:
                email = person_email(rng, first, family)
            rate_id, amount = rng.choice(coll.rates)
            pid = hex_id(rng, "participant_", 16)
            self.participant(
                club,
                [
                    pid,
                    coll.id,
                    rate_id,
                    first,
                    family,
                    email,
                    text(guest),
                    text(child),
                    None if guest else str(rint(rng, 100_000, 999_999)),
                ],
                created,
            )
            people.append((pid, first, email, amount))
        if rng.random() < 0.08:  # nobody has paid yet: no payer
            return
        if parent_pays:
            first = rng.choice(FIRST_NAMES)
            email = person_email(rng, first, family)
        else:
            first, email = people[0][1], people[0][2] or person_email(rng, people[0][1], family)
        payer = hex_id(rng, "payer_", 16)
        self.payers.append([payer, coll.id, first, family, email, iso(created, club.style)])
        self._plan(club, coll, payer, [p[0] for p in people], sum(p[3] for p in people), created)

    def participant(self, club: Club, cells: list, created: int) -> None:
        """Append the participant (cells up to member_id) with its form state and timestamps."""
        rng, end, style = club.rng, self.win.end_ts, club.style
        u = rng.random()
        viewed = created + rint(rng, 0, 2 * DAY) if u < 0.85 else None
        done = viewed + rint(rng, 60, 3 * DAY) if viewed and u < 0.70 else None
        viewed = viewed if viewed and viewed <= end else None
        done = done if done and done <= end else None
        updated = max(t for t in (created, viewed, done) if t is not None)
        times = [
            iso(viewed, style) if viewed else None,
            iso(done, style) if done else None,
            iso(created, style),
            iso(updated, style),
        ]
        if done and rng.random() < 0.1:  # seen earlier with the form still incomplete
            self.participants.append([*cells, times[0], None, times[2], times[0]])
        self.participants.append([*cells, *times])

    def _plan(
        self, club: Club, coll: Collection, payer: str, pids: list[str], due: int, created: int
    ) -> None:
        """One payment, or 3 or 10 monthly instalments (a few plans stop part-way)."""
        rng = club.rng
        count = 1
        if due >= 10_000 and rng.random() < 0.08:
            count = 10
        elif due >= 3_000 and rng.random() < 0.3:
            count = 3
        emitted = rint(rng, 1, count - 1) if count > 1 and rng.random() < 0.1 else count
        first_day = date_of(created)
        for k in range(emitted):
            amount = due // count + (due % count if k == 0 else 0)
            at = created + rint(rng, 30, 600) if k == 0 else None
            self.transaction(
                club,
                coll,
                hex_id(rng, "transaction_", 16),
                payer,
                pids,
                amount,
                first_day + dt.timedelta(days=30 * k),
                (k + 1, count),
                created,
                at,
            )

    def transaction(
        self,
        club: Club,
        coll: Collection,
        tid: str,
        payer: str,
        pids: list[str],
        amount: int,
        scheduled: dt.date,
        installment: tuple[int, int],
        created: int,
        at: int | None = None,
        status: str | None = None,
        tip: str | None = None,
    ) -> None:
        """Append a transaction (and its earlier `upcoming` version, sometimes) and its links."""
        rng, style = club.rng, club.style
        at = min(at or ts_of(scheduled) + rint(rng, 5 * HOUR, 10 * HOUR), self.win.end_ts)
        if status is None:
            status = "upcoming" if scheduled > self.win.end else ("failed" if rng.random() < 0.04 else "paid")
        tip = tip if tip is not None else _tip(rng, coll, installment[0], status)
        updated = created if status == "upcoming" else at
        row = [
            tid,
            coll.id,
            payer,
            str(amount),
            tip,
            status,
            scheduled.isoformat(),
            iso(at, style) if status == "paid" else None,
            iso(at, style) if status == "failed" else None,
            str(installment[0]),
            str(installment[1]),
            iso(updated, style),
        ]
        part = self.tx_parts[0 if row[6] < self.midpoint else 1]
        if status != "upcoming" and installment[0] > 1 and rng.random() < 0.5:
            part.append([*row[:5], "upcoming", row[6], None, None, *row[9:11], iso(created, style)])
        part.append(row)
        self.links.extend([tid, pid] for pid in pids)
        if status == "paid":
            fee = (
                half_up_div(amount * coll.commission.numerator, coll.commission.denominator)
                if coll.commission
                else 0
            )
            week = (at // DAY + 3) // 7
            club.weeks[week] = club.weeks.get(week, 0) + amount - fee

    def _transfers(self, club: Club) -> None:
        """One transfer per week with money collected: `sent`, then `delivered` 1-3 days later."""
        rng, end, account, style = club.rng, self.win.end_ts, club.account, club.style
        for week in sorted(club.weeks):
            amount = club.weeks[week]
            sent = (week * 7 + 4 + rint(rng, 0, 3)) * DAY + rint(rng, 7 * HOUR, 11 * HOUR)
            if amount <= 0 or sent > end:
                continue
            tid = hex_id(rng, "transfer_", 16)
            self.transfers.append(
                [
                    tid,
                    account.id,
                    str(amount),
                    account.currency,
                    "sent",
                    iso(sent, style),
                    None,
                    iso(sent, style),
                ]
            )
            delivered = sent + rint(rng, DAY, 3 * DAY)
            if delivered <= end:
                self.transfers.append(
                    [
                        tid,
                        account.id,
                        str(amount),
                        account.currency,
                        "delivered",
                        iso(sent, style),
                        iso(delivered, style),
                        iso(delivered, style),
                    ]
                )


def _tip(rng: random.Random, coll: Collection, installment: int, status: str) -> str | None:
    """Tips only under the tip model, on a first paid instalment (half of them 0)."""
    if coll.fee_model != "tip":
        return None if rng.random() < 0.7 else "0"
    if installment > 1 or status != "paid" or rng.random() < 0.5:
        return "0"
    return str(rint(rng, 1, 10) * 50)
