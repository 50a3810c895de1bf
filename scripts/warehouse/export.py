"""`wh export`: the dashboard's CSV exports (eligible accounts, the offers table).

Output is RFC 4180 CSV (CRLF line ends, a header row). Amounts are in the dashboard's units
by default: major units of the row's currency (`29900.00`), the header saying so
(`max_advance_amount (major units of currency)`) and a `currency` column always in the file;
`units="minor"` gives Sigma's integer minor units under the bare column names. Filter values
are bound as query parameters, never pasted into SQL; column names are checked against the
table; a filter that can match nothing (an unknown state, `--from` after `--to`) is an error,
not an empty file. A text cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`
so that a spreadsheet shows it instead of running it as a formula.
`--out FILE` is written whole or not at all (`output_file`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from warehouse.build import parse_date
from warehouse.labels import FINANCING_TYPES, OFFER_STATES, as_word
from warehouse.money import plain
from warehouse.settings import WarehouseError, open_read_only

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as a formula
UNITS = ("major", "minor")
MAJOR_HEADER = "{} (major units of currency)"
ELIGIBLE_COLUMNS = (
    "account_id",
    "account_name",
    "email",
    "estimated_advance_amount",
    "currency",
    "has_pending_offer",
    "blocked_reason",
)


@contextlib.contextmanager
def output_file(out: str) -> Iterator[IO[str]]:
    """`--out FILE`, whole or not at all: written as `FILE.partial` beside it, renamed at the end,
    removed on failure (a device or a pipe, not a regular file, is written directly)."""
    target = Path(out)
    if not target.parent.is_dir():
        raise WarehouseError(f"--out {out}: the folder {target.parent} does not exist.")
    direct = target.exists() and not target.is_file()
    path = target if direct else target.with_name(target.name + ".partial")
    try:
        with path.open("w", newline="", encoding="utf-8") as handle:
            yield handle
        if not direct:
            os.replace(path, target)
    except OSError as error:
        if not direct:
            path.unlink(missing_ok=True)
        raise WarehouseError(f"--out {out}: cannot be written ({error.strerror or error}).") from None
    except BaseException:
        if not direct:
            path.unlink(missing_ok=True)
        raise


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise WarehouseError(f"--tz {name!r} is not a known time zone (e.g. UTC, Europe/Paris).") from None


def cell(value: Any, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):  # an instant; a timestamp without zone is UTC
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(tz).isoformat()
    if isinstance(value, int | float | Decimal | dt.date):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def is_amount(column: str) -> bool:
    """Amounts are the `*_amount` columns, integer minor units next to `currency` (STYLE)."""
    return column.endswith("_amount")


def _check_units(units: str) -> None:
    if units not in UNITS:
        raise WarehouseError(f"--units {units!r} is not one of {', '.join(UNITS)}.")


def file_columns(columns: list[str], units: str) -> list[str]:
    """The columns a file holds: in major units, `currency` is added when an amount needs it."""
    if units == "major" and any(is_amount(c) for c in columns) and "currency" not in columns:
        return [*columns, "currency"]
    return list(columns)


def write_csv(out: IO[str], cursor: duckdb.DuckDBPyConnection, tz: ZoneInfo, units: str = "minor") -> int:
    """The cursor's rows as CSV; in major units, every `*_amount` cell in its row's currency."""
    names = [d[0] for d in cursor.description]
    amounts = [i for i, name in enumerate(names) if is_amount(name)] if units == "major" else []
    currency = names.index("currency") if amounts else -1
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([MAJOR_HEADER.format(n) if i in amounts else n for i, n in enumerate(names)])
    count = 0
    while rows := cursor.fetchmany(10_000):
        for row in rows:
            cells = [cell(v, tz) for v in row]
            for i in amounts:
                cells[i] = plain(row[i], row[currency] or "")
            writer.writerow(cells)
        count += len(rows)
    return count


def offer_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'capital' and table_name = 'financing_offers' "
            "and column_name not like '\\_%' escape '\\' order by ordinal_position"  # no bookkeeping
        ).fetchall()
    ]


def _one_of(value: str | None, known: tuple[str, ...], option: str, what: str) -> str | None:
    """A filter value as the contract's word (`paid out` -> `paid_out`), or one sentence."""
    if value is None:
        return None
    word = as_word(value)
    if word in known:
        return word
    hint = ""
    if word == "pending":  # the dashboard's pending offers are accounts, not offers
        hint = "; pending offers are in capital.pending_offers (`scripts/wh export eligible`)"
    raise WarehouseError(f"{option} {value!r} is not {what}; use one of {', '.join(known)}{hint}.")


def offers_query(
    con: duckdb.DuckDBPyConnection,
    tz_name: str = "UTC",
    date_from: str | None = None,
    date_to: str | None = None,
    columns: list[str] | None = None,
    status: str | None = None,
    account: str | None = None,
    offer: str | None = None,
    financing_type: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The select of the offers table, filtered (SQL and bound parameters), newest first.

    The export and the dashboard's offers table both run it, so they list the same rows.
    """
    zone(tz_name)
    known = offer_columns(con)
    chosen = columns or known
    unknown = [c for c in chosen if c not in known]
    if unknown:
        verb = "is not a column" if len(unknown) == 1 else "are not columns"
        raise WarehouseError(f"--columns: {', '.join(unknown)} {verb} of capital.financing_offers.")
    status = _one_of(status, OFFER_STATES, "--status", "an offer state")
    financing_type = _one_of(financing_type, FINANCING_TYPES, "--financing-type", "a financing type")
    first = parse_date(date_from, "--from") if date_from else None
    last = parse_date(date_to, "--to") if date_to else None
    if first and last and first > last:
        raise WarehouseError(f"--from {first} is after --to {last}: no day is in between.")
    local_day = "cast(timezone($tz, created_at) as date)"
    filters = {
        f"{local_day} >= $date_from": ("date_from", first),
        f"{local_day} <= $date_to": ("date_to", last),
        "state = $status": ("status", status),
        "financing_type = $financing_type": ("financing_type", financing_type),
        "account_id = $account": ("account", account),
        "id = $offer": ("offer", offer),
    }
    where = [condition for condition, (_, value) in filters.items() if value is not None]
    params = {name: value for name, value in filters.values() if value is not None}
    if first or last:
        params["tz"] = tz_name
    select_list = ", ".join('"' + c + '"' for c in chosen)  # names checked against the table
    sql = (
        f"select {select_list} "
        f"from capital.financing_offers {'where ' + ' and '.join(where) if where else ''} "
        "order by created_at desc, id"
    )
    return sql, params


def export_offers(
    out: IO[str],
    tz_name: str = "UTC",
    date_from: str | None = None,
    date_to: str | None = None,
    columns: list[str] | None = None,
    status: str | None = None,
    account: str | None = None,
    offer: str | None = None,
    financing_type: str | None = None,
    units: str = "major",
) -> int:
    """The offers table as the dashboard filters it; dates are creation dates in `tz_name`."""
    tz = zone(tz_name)
    _check_units(units)
    with open_read_only() as con:
        chosen = file_columns(columns or offer_columns(con), units)
        sql, params = offers_query(
            con, tz_name, date_from, date_to, chosen, status, account, offer, financing_type
        )
        return write_csv(out, con.execute(sql, params), tz, units)


def export_eligible(out: IO[str], units: str = "major") -> int:
    """The accounts eligible on the as-of date of the last build."""
    _check_units(units)
    with open_read_only() as con:
        sql = f"select {', '.join(ELIGIBLE_COLUMNS)} from capital.eligible_accounts order by account_id"
        return write_csv(out, con.execute(sql), ZoneInfo("UTC"), units)
