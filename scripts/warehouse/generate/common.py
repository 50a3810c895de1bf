"""Shared helpers: seeded randomness, ids, the history window and time formatting."""

from __future__ import annotations

import datetime as dt
import json
import random
import string
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

DAY = 86_400
HOUR = 3_600
ALNUM = string.ascii_letters + string.digits
CURRENCIES = ("eur", "gbp", "usd")

# One encoder for every JSON line: json.dumps with arguments builds a new one per call.
dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def rng_for(seed: int, index: int | str, purpose: str) -> random.Random:
    """An independent, reproducible random stream for (seed, index, purpose)."""
    return random.Random(f"{seed}:{index}:{purpose}")


_HEX_FORMATS = {n: f"0{n}x" for n in range(1, 33)}


def hex_id(rng: random.Random, prefix: str, n: int = 24) -> str:
    """`prefix` followed by n random lower-case hex digits."""
    return prefix + format(rng.getrandbits(4 * n), _HEX_FORMATS[n])


def alnum_id(rng: random.Random, prefix: str, n: int = 16) -> str:
    """`prefix` followed by n random letters and digits."""
    return prefix + "".join(rng.choices(ALNUM, k=n))


def rint(rng: random.Random, low: int, high: int) -> int:
    """A random integer in [low, high]: randint's job, several times faster."""
    return low + int(rng.random() * (high - low + 1))


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def ts_of(day: dt.date) -> int:
    """Unix seconds of midnight UTC starting `day`."""
    return (day.toordinal() - _EPOCH_ORDINAL) * DAY


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


@cache
def _paris_summer(year: int) -> tuple[int, int]:
    """Unix bounds of Central European Summer Time in `year` (last Sundays, 01:00 UTC)."""
    bounds = []
    for month in (3, 10):
        last = dt.date(year, month, 31)
        last -= dt.timedelta(days=(last.weekday() + 1) % 7)
        bounds.append(ts_of(last) + HOUR)
    return bounds[0], bounds[1]


@lru_cache(maxsize=8192)
def _day_text(day: int) -> tuple[str, tuple[int, int]]:
    """The ISO date of a day number since 1970, and its year's summer-time bounds."""
    date = dt.date.fromordinal(_EPOCH_ORDINAL + day)
    return date.isoformat(), _paris_summer(date.year)


_TIME_OF_DAY = [f"T{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


def iso(ts: int, style: str = "Z") -> str:
    """ISO 8601 with `Z` (style "Z") or with the Europe/Paris offset (style "paris")."""
    if style == "Z":
        day, seconds = divmod(ts, DAY)
        return _day_text(day)[0] + _TIME_OF_DAY[seconds] + "Z"
    summer = _day_text(ts // DAY)[1]
    hours = 2 if summer[0] <= ts < summer[1] else 1
    day, seconds = divmod(ts + hours * HOUR, DAY)
    return _day_text(day)[0] + _TIME_OF_DAY[seconds] + ("+02:00" if hours == 2 else "+01:00")


def half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, for non-negative integers."""
    return (2 * numerator + denominator) // (2 * denominator)


def pick(rng: random.Random, weighted: dict[str, float]) -> str:
    """One key of `weighted`, drawn with the given weights."""
    return rng.choices(tuple(weighted), weights=tuple(weighted.values()))[0]
