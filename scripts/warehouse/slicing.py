"""Split a landing set by day, as a nightly schedule would receive it (bench and tests)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

# The day a row belongs to, for the files delivered daily; the other files come with the history.
DAY_COLUMNS = {"capital_eligibility": "as_of_date", "offer_email_events": "occurred_at"}


def _event_day(line: str) -> dt.date | None:
    try:
        return dt.datetime.fromtimestamp(json.loads(line)["created"], dt.UTC).date()
    except (ValueError, KeyError, TypeError):
        return None  # a deliberately broken line: it comes with the history


def slice_by_day(
    generated: Path, root: Path, days: list[dt.date], late: bool = False
) -> tuple[list[Path], str]:
    """Write `root/night_0` (everything before `days[0]`) and `root/night_<i>` (day i's events,
    eligibility and email events). With `late`, one payment created on `days[0]` is held back and
    delivered with the last day instead (a late event for a past day); its financing is returned."""
    nights = [root / f"night_{i}" for i in range(len(days) + 1)]
    for night in nights:
        night.mkdir(parents=True, exist_ok=True)

    def bucket(day: dt.date | None) -> int:
        return days.index(day) + 1 if day in days else 0

    late_financing = ""
    for path in sorted(generated.iterdir()):
        kind = next((k for k in DAY_COLUMNS if path.name.startswith(k)), None)
        if path.name.startswith("capital_events"):
            buckets: dict[int, list[str]] = {}
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    line = line.rstrip("\n")
                    night = bucket(_event_day(line))
                    if late and night == 1 and not late_financing:
                        obj = json.loads(line)["data"]["object"]
                        if obj.get("type") == "payment":
                            late_financing, night = obj["financing_offer"], len(days)
                    buckets.setdefault(night, []).append(line)
            for night, lines in buckets.items():
                (nights[night] / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        elif kind:
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            header, day_at = rows[0], rows[0].index(DAY_COLUMNS[kind])
            parts: dict[int, list[list[str]]] = {}
            for row in rows[1:]:
                parts.setdefault(bucket(dt.date.fromisoformat(row[day_at][:10])), []).append(row)
            for night, part in parts.items():
                with (nights[night] / path.name).open("w", newline="", encoding="utf-8") as handle:
                    csv.writer(handle).writerows([header, *part])
        else:
            shutil.copy(path, nights[0] / path.name)
    return nights, late_financing
