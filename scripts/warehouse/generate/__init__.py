"""A deterministic synthetic landing set: Capital financing and club collections.

`generate(out_dir, scale, seed, months, end_date)` writes every landing file of the
landing contract (capital.md, collections.md) for `scale` connected accounts over the
`months` months ending `end_date`. The same arguments give byte-identical files: every account draws
from its own random streams, seeded by (seed, account index, purpose), and nothing
reads the clock. Accounts are processed in chunks whose records are shuffled (events
arrive out of order) and appended, so memory does not grow with the scale.
"""

from __future__ import annotations

import datetime
import pathlib

from warehouse.generate.accounts import make_account
from warehouse.generate.bad_rows import append_bad_rows
from warehouse.generate.brief import brief_examples
from warehouse.generate.capital import CapitalWriter
from warehouse.generate.clubs import ClubWriter
from warehouse.generate.common import Window
from warehouse.generate.sink import Progress, Sink

__all__ = ["generate"]

CHUNK = 500  # accounts per shuffled, appended chunk


def generate(
    out_dir: pathlib.Path,
    scale: int = 200,
    seed: int = 42,
    months: int = 18,
    end_date: datetime.date = datetime.date(2026, 10, 31),
    progress: bool = True,
    bad_rows: bool = False,
) -> dict[str, int]:
    """Write the landing files into out_dir (created if missing); return {file name: record count}.

    With `bad_rows`, a handful of contract-breaking rows (one of each kind) are appended.
    """
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    win = Window.build(end_date, months)
    sink = Sink(out_dir, seed)
    capital = CapitalWriter(sink, seed, win)
    clubs = ClubWriter(sink, seed, win)
    meter = Progress(scale, progress)
    try:
        for chunk, first in enumerate(range(0, scale, CHUNK)):
            for index in range(first, min(first + CHUNK, scale)):
                account = make_account(seed, index, win)
                capital.account(account)
                if account.is_club:
                    clubs.club(account, brief_examples if index == 0 else None)
            sink.flush(chunk)
            meter.update(min(first + CHUNK, scale))
        capital.balance_transactions()
        sink.flush("balance")
        if bad_rows and scale > 0:
            append_bad_rows(sink, win, make_account(seed, 0, win))
            sink.flush("bad_rows", shuffle=False)
    finally:
        sink.close()
    meter.finish(f"{sum(sink.counts.values())} records in {len(sink.counts)} files")
    return dict(sorted(sink.counts.items()))
