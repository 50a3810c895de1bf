"""`wh backfill DIR --since DATE`: the provider's events list, written as hourly landing files.

Pages through `GET /v1/events` with the provider's library (`StripeClient`, auto-paging
with `starting_after`), for the Capital types and `account.updated` of the contract,
created since the date. The list comes newest first, so each hour is complete once an
event of an earlier hour shows up: it is then renamed from its hidden partial name to
`capital_events_<YYYYMMDDHH>_backfill.ndjson` (`hourly.finalize`; a taken name gets
`_2`, ...), beside the receiver's files of the same hour (landing deduplicates events).

Resuming: every page (and every finished hour, and a failure) saves the cursor file
`.backfill-cursor[-<account>].json`: the last event written, the open partial file and
its size. A run that stopped (an API error, a kill) is resumed by the same command: the
partial file is cut back to the saved size and the list continues after the saved
event, so every listed event is written exactly once. A finished run removes its cursor.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from warehouse import hourly
from warehouse.settings import WarehouseError

API_KEY_VARIABLE = "WH_STRIPE_API_KEY"
API_BASE_VARIABLE = "WH_STRIPE_API_BASE"  # default: the library's (the provider's API)
RETENTION_DAYS = 30
PAGE_SIZE = 100
# `.delivered` is the platform's own record, never listed by the provider.
EVENT_TYPES = (
    *(
        f"capital.financing_offer.{change}"
        for change in (
            "created", "accepted", "paid_out", "fully_repaid", "canceled",
            "rejected", "expired", "replacement_created",
        )
    ),
    "capital.financing_transaction.created",
    "account.updated",
)


@dataclass
class Report:
    events: int = 0
    files: list[Path] = field(default_factory=list)
    resumed_after: str | None = None
    notices: list[str] = field(default_factory=list)


def parse_since(text: str) -> date:
    try:
        since = date.fromisoformat(text)
    except ValueError:
        raise WarehouseError(f"--since {text!r} is not a date of the form YYYY-MM-DD.") from None
    if since > datetime.now(UTC).date():
        raise WarehouseError(f"--since {text} is in the future: there are no events to list yet.")
    return since


class Cursor:
    """Where a backfill stands, saved atomically beside the files it writes."""

    def __init__(self, directory: Path, since: date, account: str | None) -> None:
        self.path = directory / (f".backfill-cursor-{account}.json" if account else ".backfill-cursor.json")
        self.key = {"since": since.isoformat(), "account": account, "types": list(EVENT_TYPES)}
        self.after: str | None = None
        self.partial: str | None = None
        self.size = 0

    def load(self) -> bool:
        """True when a cursor of the same backfill was found (then resume from it).

        A cursor of another backfill (another `--since`) is not resumed: the hour it
        had open is cut back to its saved size and finalized, then the run starts over.
        """
        if not self.path.exists():
            return False
        try:
            saved = json.loads(self.path.read_text())
            after, partial, size = saved["after"], saved["partial"], saved["size"]
        except (ValueError, KeyError, TypeError):
            raise WarehouseError(f"{self.path}: is not a backfill cursor; remove it to start over.") from None
        if {k: saved.get(k) for k in self.key} == self.key:
            self.after, self.partial, self.size = after, partial, size
            return True
        if partial and (self.path.parent / partial).exists():
            path = self.path.parent / partial
            with path.open("r+b") as handle:
                handle.truncate(size)
            hourly.finalize(path)
        print(
            f"notice: {self.path.name} was left by a backfill --since {saved.get('since')}; "
            "starting over from this --since.",
            file=sys.stderr,
        )
        return False

    def save(self) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        with temporary.open("w") as handle:
            json.dump({**self.key, "after": self.after, "partial": self.partial, "size": self.size}, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)
        hourly.fsync_dir(self.path.parent)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
        hourly.fsync_dir(self.path.parent)


class HourFiles:
    """The one hour a backfill has open; hours are finished in the list's (descending) order."""

    def __init__(self, directory: Path, tag: str, report: Report) -> None:
        self.directory, self.tag, self.report = directory, tag, report
        self.hour: str | None = None
        self.handle: Any = None

    def reopen(self, name: str, size: int) -> None:
        path = self.directory / name
        parsed = hourly.parse_partial(path)
        if parsed is None or not path.exists():
            return  # already finalized when the run stopped
        with path.open("r+b") as handle:
            handle.truncate(size)  # what was written after the saved cursor is listed again
        self.hour, self.handle = parsed[0], path.open("ab")

    def write(self, hour: str, line: bytes, cursor: Cursor) -> None:
        if hour != self.hour:
            self.finish(cursor)
            self.hour = hour
            self.handle = hourly.partial_path(self.directory, hour, self.tag).open("ab")
        self.handle.write(line)

    def sync(self) -> tuple[str | None, int]:
        if self.handle is None:
            return None, 0
        self.handle.flush()
        os.fsync(self.handle.fileno())
        return Path(self.handle.name).name, self.handle.tell()

    def finish(self, cursor: Cursor) -> None:
        """Finalize the open hour: first the cursor says it is whole, then it is renamed."""
        if self.handle is None:
            return
        cursor.partial, cursor.size = self.sync()
        cursor.save()
        self.handle.close()
        final = hourly.finalize(Path(self.handle.name))
        if final is not None:
            self.report.files.append(final)
        self.handle, self.hour = None, None


def run(directory: Path, since: date, account: str | None = None) -> Report:
    import stripe

    api_key = os.environ.get(API_KEY_VARIABLE, "").strip()
    if not api_key:
        raise WarehouseError(
            f"{API_KEY_VARIABLE} is not set: export a secret or restricted API key that may read Events."
        )
    if not directory.is_dir():
        raise WarehouseError(f"{directory}: no such landing directory to write into.")
    report = Report()
    oldest = datetime.now(UTC).date() - timedelta(days=RETENTION_DAYS)
    if since < oldest:
        report.notices.append(
            f"--since {since} is past the provider's {RETENTION_DAYS}-day retention of events: "
            f"nothing before {oldest} can be listed, so the files start there."
        )
        print(f"notice: {report.notices[-1]}", file=sys.stderr)
    tag = f"_backfill_{account}" if account else "_backfill"
    cursor = Cursor(directory, since, account)
    files = HourFiles(directory, tag, report)
    resumed = cursor.load()
    for path in hourly.partials(directory, tag):  # written after the last saved cursor
        if not (resumed and path.name == cursor.partial):
            path.unlink()
    if resumed:
        report.resumed_after = cursor.after
        if cursor.partial:
            files.reopen(cursor.partial, cursor.size)

    base = os.environ.get(API_BASE_VARIABLE, "").strip() or None
    client = stripe.StripeClient(
        api_key, base_addresses={"api": base} if base else None, max_network_retries=2
    )
    params: dict[str, Any] = {
        "types": list(EVENT_TYPES),
        "created": {"gte": int(datetime(since.year, since.month, since.day, tzinfo=UTC).timestamp())},
        "limit": PAGE_SIZE,
    }
    if cursor.after:
        params["starting_after"] = cursor.after
    options: dict[str, Any] = {"stripe_account": account} if account else {}
    written = 0
    try:
        for event in client.v1.events.list(params, options).auto_paging_iter():
            record = event.to_dict(for_json=True)
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
            files.write(hourly.hour_of(record["created"]), line, cursor)
            cursor.after = record["id"]
            written += 1
            if written % PAGE_SIZE == 0:
                cursor.partial, cursor.size = files.sync()
                cursor.save()
    except stripe.StripeError as error:
        cursor.partial, cursor.size = files.sync()
        cursor.save()
        first = (str(error.user_message or error) or type(error).__name__).strip().splitlines()[0]
        raise WarehouseError(
            f"the provider's events list failed after {written} events this run ({first}); "
            f"run the same command again to resume after {cursor.after or 'the start'} ({cursor.path.name})."
        ) from None
    except OSError as error:
        raise WarehouseError(
            f"{directory}: could not write the backfill ({error.strerror or error}); "
            f"run the same command again to resume ({cursor.path.name})."
        ) from None
    files.finish(cursor)
    cursor.remove()
    report.events = written
    return report


def render(report: Report) -> str:
    lines = [f"resumed after {report.resumed_after}"] if report.resumed_after else []
    lines.append(f"wrote {report.events} events into {len(report.files)} hourly files")
    lines += [f"  {path.name}" for path in report.files]
    return "\n".join(lines)
