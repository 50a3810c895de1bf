"""Shared helpers: seeded randomness, ids, the history window and time formatting."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random
import string
import time
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

DAY = 86_400
HOUR = 3_600
ALNUM = string.ascii_letters + string.digits
CURRENCIES = ("eur", "gbp", "usd")

# One encoder for every JSON line: json.dumps with arguments builds a new one per call.
dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def rng_for(seed: int, index: int | str, purpose: str) -> random.Random:
    """An independent, reproducible random stream for (seed, index, purpose)."""
    return random.Random(f"{seed}:{index}:{purpose}")


def hex_id(rng: random.Random, prefix: str, n: int = 24) -> str:
    """`prefix` followed by n random lower-case hex digits."""
    return f"{prefix}{rng.getrandbits(4 * n):0{n}x}"


def alnum_id(rng: random.Random, prefix: str, n: int = 16) -> str:
    """`prefix` followed by n random letters and digits."""
    return prefix + "".join(rng.choices(ALNUM, k=n))


def ts_of(day: dt.date) -> int:
    """Unix seconds of midnight UTC starting `day`."""
    return calendar.timegm(day.timetuple())


def date_of(ts: int) -> dt.date:
    """The UTC date of a unix timestamp."""
    return dt.date(1970, 1, 1) + dt.timedelta(days=ts // DAY)


def add_months(year: int, month: int, k: int) -> tuple[int, int]:
    """(year, month) k months later (k may be negative)."""
    total = year * 12 + month - 1 + k
    return total // 12, total % 12 + 1


@dataclass(frozen=True)
class Window:
    """The history: the `months` calendar months ending with `end` (inclusive)."""

    start: dt.date
    end: dt.date
    months: tuple[str, ...]  # "YYYY-MM", oldest first
    month_starts: tuple[int, ...]  # unix seconds of each month's first midnight

    @classmethod
    def build(cls, end: dt.date, months: int) -> Window:
        if months < 1:
            raise ValueError("months must be at least 1")
        firsts = [dt.date(*add_months(end.year, end.month, k - months + 1), 1) for k in range(months)]
        return cls(
            start=firsts[0],
            end=end,
            months=tuple(f"{d:%Y-%m}" for d in firsts),
            month_starts=tuple(ts_of(d) for d in firsts),
        )

    @property
    def start_ts(self) -> int:
        return self.month_starts[0]

    @property
    def end_ts(self) -> int:
        """The last second of the end date (UTC)."""
        return ts_of(self.end) + DAY - 1

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1

    def day(self, index: int) -> dt.date:
        return self.start + dt.timedelta(days=index)

    def day_index(self, ts: int) -> int:
        return (ts - self.start_ts) // DAY

    def month_index(self, ts: int) -> int:
        """Index into `months` of the month holding ts (clamped to the window)."""
        return min(max(bisect_right(self.month_starts, ts) - 1, 0), len(self.months) - 1)


@lru_cache(maxsize=None)
def _paris_summer(year: int) -> tuple[int, int]:
    """Unix bounds of Central European Summer Time in `year` (last Sundays, 01:00 UTC)."""
    bounds = []
    for month in (3, 10):
        last = dt.date(year, month, 31)
        last -= dt.timedelta(days=(last.weekday() + 1) % 7)
        bounds.append(ts_of(last) + HOUR)
    return bounds[0], bounds[1]


def iso(ts: int, style: str = "Z") -> str:
    """ISO 8601 with `Z` (style "Z") or with the Europe/Paris offset (style "paris")."""
    if style == "Z":
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
    summer = _paris_summer(time.gmtime(ts).tm_year)
    hours = 2 if summer[0] <= ts < summer[1] else 1
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts + hours * HOUR)) + f"+0{hours}:00"


def half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def pick(rng: random.Random, weighted: dict[str, float]) -> str:
    """One key of `weighted`, drawn with the given weights."""
    return rng.choices(tuple(weighted), weights=tuple(weighted.values()))[0]
