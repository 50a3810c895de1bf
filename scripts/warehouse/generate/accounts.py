"""Connected accounts: identity, emails, Capital flags and eligibility windows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from warehouse.generate.common import DAY, HOUR, Window, alnum_id, rint, rng_for

COUNTRIES = {"FR": 0.60, "GB": 0.25, "US": 0.15}
CURRENCY = {"FR": "eur", "GB": "gbp", "US": "usd"}
DOMAINS = {
    "FR": ("club.fr", "orange.fr", "gmail.com"),
    "GB": ("club.co.uk", "gmail.com"),
    "US": ("club.org", "gmail.com"),
}
SPORTS = (
    "Football",
    "Rugby",
    "Basket",
    "Handball",
    "Tennis",
    "Natation",
    "Judo",
    "Volley",
    "Athlétisme",
    "Cyclisme",
)
TOWNS = {
    "FR": (
        "Lyon",
        "Nantes",
        "Rennes",
        "Lille",
        "Bordeaux",
        "Grenoble",
        "Dijon",
        "Brest",
        "Annecy",
        "Montreuil",
        "Saint-Étienne",
        "Aix-en-Provence",
    ),
    "GB": ("Leeds", "Bristol", "Norwich", "York", "Cardiff", "Brighton"),
    "US": ("Austin", "Denver", "Portland", "Madison", "Boise"),
}
MALFORMED = ("no-at-sign.example.com", "a@b", "x y@club.fr", "two@@club.fr", "@club.fr", "coach@club.")
# Accounts 0..len-1 play one forced scenario each, so that even a small set covers every path.
# Each entry: (scenario, seconds before the end of the history the offer is created, or None
# for "early in the history").
FORCED: tuple[tuple[str, int | None], ...] = (
    ("repaid_overpay", None),
    ("refill", None),
    ("tie", None),
    ("expired_event", None),
    ("expired_silent", None),
    ("undelivered", None),
    ("rejected", None),
    ("canceled", None),
    ("payout_reversed", None),
    ("charged_off", None),
    ("replaced", None),
    ("flight_undelivered", 2 * DAY),
    ("flight_delivered", 5 * DAY),
    ("flight_accepted", 6 * HOUR),
    ("flight_progress", 60 * DAY),
    ("flight_orphan", 3 * DAY),
    ("counteroffer", None),
    ("legacy_completed", None),
    ("test_mixed", None),
    ("terms_null", None),
    ("first_delivered", None),
)
TEST_TWIN_RATE = 0.04  # live accounts that also have a later test-mode `account.updated`


@dataclass
class EligibilityWindow:
    """Days (indices into the history) an account is on the provider's list."""

    first: int  # first listed (and eligible) day
    last_eligible: int
    last_listed: int  # >= last_eligible: trailing days listed with is_eligible=false
    estimate: int  # estimated advance, minor units
    listed_from: int = -1  # < first: leading days listed with is_eligible=false (-1: none)


@dataclass
class Account:
    index: int
    id: str
    country: str
    currency: str
    livemode: bool
    name: str
    created: int
    emails: list[str | None]  # the email at creation, then after each change
    flag_rows: list[tuple[bool, bool, int]]  # (deny-listed, unsubscribed, updated_at)
    windows: list[EligibilityWindow] = field(default_factory=list)
    is_club: bool = False
    forced: tuple[str, int | None] | None = None
    test_twin: bool = False  # live, with a later test-mode `account.updated` (it stays live)

    @property
    def email_ok(self) -> bool:
        email = self.emails[-1]
        return email is not None and email not in MALFORMED

    @property
    def can_get_offers(self) -> bool:
        """Not deny-listed, not unsubscribed, with a valid email (as it stands now)."""
        deny, unsub = self.flag_rows[-1][:2] if self.flag_rows else (False, False)
        return self.email_ok and not deny and not unsub


def make_account(seed: int, index: int, win: Window) -> Account:
    """Account `index` of the set: depends on (seed, index, window) only."""
    rng = rng_for(seed, index, "account")
    forced = FORCED[index] if index < len(FORCED) else None
    country = "FR" if index == 0 else rng.choices(tuple(COUNTRIES), tuple(COUNTRIES.values()))[0]
    acct_id = alnum_id(rng, "acct_", 16)
    name = (
        f"{rng.choice(('AS', 'US', 'FC', 'Club', 'Olympique'))} {rng.choice(TOWNS[country])} "
        f"{rng.choice(SPORTS)}"
    )
    if forced or rng.random() < 0.7:
        created = win.start_ts - rint(rng, DAY, 3 * 365 * DAY)
    else:
        created = win.start_ts + rint(rng, 0, int(win.n_days * 0.6) * DAY)
    account = Account(
        index=index,
        id=acct_id,
        country=country,
        currency=CURRENCY[country],
        livemode=bool(forced) or rng.random() >= 0.02,
        name=name,
        created=created,
        emails=_emails(rng, country, name, clean=bool(forced)),
        flag_rows=[] if forced else _flag_rows(rng, win),
        is_club=index == 0 or rng.random() < 0.6,
        forced=forced,
    )
    account.windows = _forced_windows(rng, win, forced) if forced else _windows(rng, win, created)
    twin = forced[0] == "test_mixed" if forced else rng_for(seed, index, "modes").random() < TEST_TWIN_RATE
    account.test_twin = account.livemode and twin
    return account


def _email(rng: random.Random, country: str, name: str) -> str:
    local = rng.choice(("contact", "tresorier", "president", "secretariat", "bureau"))
    slug = "".join(c for c in name.lower().split()[-1] if c.isascii() and c.isalnum()) or "club"
    return f"{local}.{slug}{rint(rng, 1, 999)}@{rng.choice(DOMAINS[country])}"


def _emails(rng: random.Random, country: str, name: str, clean: bool) -> list[str | None]:
    """The email at creation and after 0-2 changes; ~3 % end null, ~2 % malformed."""
    u = 1.0 if clean else rng.random()
    changes = rng.choice((0, 0, 0, 1, 1, 2))
    emails: list[str | None] = [_email(rng, country, name) for _ in range(changes + 1)]
    if u < 0.03:
        emails[-1] = None
    elif u < 0.05:
        emails[-1] = rng.choice(MALFORMED)
    return emails


def _flag_rows(rng: random.Random, win: Window) -> list[tuple[bool, bool, int]]:
    """Versions of the account's flags (oldest first); empty when the platform has none."""
    deny, unsub = rng.random() < 0.05, rng.random() < 0.05
    if not (deny or unsub) and rng.random() >= 0.2:
        return []
    first = win.start_ts + rint(rng, 0, win.n_days * DAY - 1)
    rows = [(deny, unsub, first)]
    if rng.random() < 0.3:
        later = min(first + rint(rng, DAY, 120 * DAY), win.end_ts)
        if deny or unsub:  # flagged later: the first version had no flag
            rows = [(False, False, first), (deny, unsub, later)]
        else:  # resubscribed
            rows = [(False, True, first), (False, False, later)]
    return rows


def _windows(rng: random.Random, win: Window, created: int) -> list[EligibilityWindow]:
    """~40 % of accounts come and go on the eligibility list in 1-3 windows of weeks."""
    if rng.random() >= 0.4:
        return []
    last_day = win.n_days - 1
    day = rint(rng, min(max(0, win.day_index(created) + 30), last_day), last_day)
    windows = []
    for k in range(rng.choice((1, 1, 2, 2, 3))):
        if day > last_day:
            break
        last_eligible = day + rint(rng, 20, 120) - 1
        if last_eligible >= last_day or (k > 0 and rng.random() < 0.35):
            last_eligible = last_listed = last_day
        else:
            tail = rint(rng, 1, 7) if rng.random() < 0.3 else 0
            last_listed = min(last_eligible + tail, last_day)
        windows.append(EligibilityWindow(day, last_eligible, last_listed, _estimate(rng)))
        day = last_listed + rint(rng, 20, 90)
    return windows


def _forced_windows(
    rng: random.Random, win: Window, forced: tuple[str, int | None]
) -> list[EligibilityWindow]:
    """One window around the forced scenario's offer (ongoing for in-flight scenarios)."""
    last_day = win.n_days - 1
    if forced[1] is None:
        first = min(rint(rng, 3, 8), last_day)
        window = EligibilityWindow(
            first, min(first + 89, last_day), min(first + 89, last_day), _estimate(rng)
        )
        if forced[0] == FORCED[0][0]:  # listed every day, so that no snapshot is empty by chance
            window.listed_from, window.last_listed = 0, last_day
        return [window]
    first = max(0, win.day_index(win.end_ts - forced[1]) - 1)
    return [EligibilityWindow(first, last_day, last_day, _estimate(rng))]


def _estimate(rng: random.Random) -> int:
    """Estimated advance: 1,000-50,000 major units, in minor units."""
    return rint(rng, 10, 500) * 10_000
