"""`wh land DIR`: land every contract file of a directory into the `raw` schema.

Each record is kept whole (every CSV cell as text, or the NDJSON line) with
its file, its row or line number and its landing time; typing and the
contract's row rules live in the dbt staging layer, which sends broken rows
to `audit.rejected_rows`. A file is landed once: a file whose content was
landed before (same SHA-256, whatever its name) adds nothing. A file that is
not of its format at all is refused whole, with one sentence, and nothing
already landed is touched: every file lands in its own transaction.

The file-level checks and the choice of files (`candidates`) are the engine's
common part; this module lands into DuckDB, `land_spark` into Spark.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.contract import KINDS, Kind, kind_of
from warehouse.settings import target, warehouse_path

_CHUNK = 1 << 20
_CSV_OPTIONS = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
# NDJSON is read one whole line per record: the unit separator cannot occur
# unescaped in JSON, so a line holding one is malformed anyway.
_LINE_OPTIONS = (
    "header = false, auto_detect = false, columns = {'raw_record': 'VARCHAR'}, "
    "delim = '\x1f', quote = '', escape = '', new_line = '\\n'"
)
_REJECTS = (
    "store_rejects = true, rejects_table = 'landing_reject_errors', rejects_scan = 'landing_reject_scans'"
)


class LandingError(Exception):
    """A file refused whole; the message is one sentence naming the file."""


@dataclass
class LandingReport:
    landed: dict[str, int] = field(default_factory=dict)  # file -> records landed
    rejected: dict[str, int] = field(default_factory=dict)  # file -> malformed rows
    skipped: list[str] = field(default_factory=list)  # landed before
    ignored: list[str] = field(default_factory=list)  # match no kind
    refused: list[str] = field(default_factory=list)  # one sentence each
    shown: bool = False  # the landed files were printed as they landed

    @property
    def rows_landed(self) -> int:
        return sum(self.landed.values())

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables (empty) so that a build works before any landing."""
    meta = "_file_id bigint, _source_file varchar, _row_number bigint, _landed_at timestamp"
    con.execute("create schema if not exists raw")
    con.execute(
        "create table if not exists raw.landed_files (file_id bigint primary key, "
        "file_name varchar, kind varchar, sha256 varchar unique, size_bytes bigint, "
        "row_count bigint, rejected_count bigint, landed_at timestamp)"
    )
    con.execute(
        "create table if not exists raw.landing_rejects (kind varchar, source_file varchar, "
        "line_number bigint, raw_record varchar, reason varchar, landed_at timestamp)"
    )
    for kind in KINDS:
        columns = ["raw_record varchar"] if kind.ext == "ndjson" else [f'"{c}" varchar' for c in kind.columns]
        con.execute(f"create table if not exists raw.{kind.name} ({', '.join(columns)}, {meta})")


@dataclass(frozen=True)
class Candidate:
    """A file that passed the file-level checks and was not landed before: to land."""

    path: Path
    kind: Kind
    sha256: str
    header: list[str]  # the CSV header as read (empty for NDJSON)


def candidates(
    directory: Path, report: LandingReport, landed_before: Callable[[str], bool]
) -> Iterator[Candidate]:
    """The contract files of `directory` to land, in name order, whatever the engine.

    Files of no kind, landed before (`landed_before(sha256)`) or refused by the
    file-level checks (not UTF-8, empty, a CSV header lacking a required column,
    NDJSON whose first line is not a JSON object) are recorded in `report`.
    The caller lands each candidate before asking for the next one.
    """
    if not directory.is_dir():
        raise LandingError(f"{directory}: no such directory to land.")
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        kind = kind_of(path.name)
        if kind is None:
            report.ignored.append(path.name)
            continue
        try:
            sha256 = checked_digest(path)
            if landed_before(sha256):
                report.skipped.append(path.name)
                continue
            header = check_csv_header(path, kind) if kind.ext == "csv" else check_ndjson(path)
        except LandingError as error:
            report.refused.append(str(error))
            continue
        yield Candidate(path, kind, sha256, header)


# Called after each landed file: (its position among the directory's contract files, their
# count, its name, records landed, malformed rows set aside).
Progress = Callable[[int, int, str, int, int], None]


def land(directory: Path, progress: Progress | None = None) -> LandingReport:
    """Land `directory` into the warehouse of the configured target (`$WH_TARGET`)."""
    if target() == "spark":
        from warehouse.land_spark import land_directory_spark

        return land_directory_spark(directory)
    return land_directory(warehouse_path(), directory, progress)


def land_directory(db_path: Path, directory: Path, progress: Progress | None = None) -> LandingReport:
    """Land every contract file of `directory` into the DuckDB file, in name order, telling
    `progress` after each file."""
    report = LandingReport(shown=progress is not None)
    files = sorted(p for p in directory.iterdir() if p.is_file()) if directory.is_dir() else []
    total = sum(1 for p in files if kind_of(p.name))
    with duckdb.connect(str(db_path)) as con:
        ensure_raw_schema(con)

        def landed_before(sha256: str) -> bool:
            return bool(con.execute("select 1 from raw.landed_files where sha256 = ?", [sha256]).fetchone())

        for candidate in candidates(directory, report, landed_before):
            try:
                _land_file(con, candidate, report)
            except LandingError as error:
                report.refused.append(str(error))
                continue
            if progress:
                done = len(report.landed) + len(report.skipped) + len(report.refused)
                name = candidate.path.name
                progress(done, total, name, report.landed[name], report.rejected.get(name, 0))
    return report


def _land_file(con: duckdb.DuckDBPyConnection, candidate: Candidate, report: LandingReport) -> None:
    path, kind, sha256, header = candidate.path, candidate.kind, candidate.sha256, candidate.header
    landed_at = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        file_id = con.execute("select coalesce(max(file_id), 0) + 1 from raw.landed_files").fetchone()[0]
        if kind.ext == "csv":
            types = ", ".join(f"'{_sql_str(c)}': 'VARCHAR'" for c in header)
            columns = ", ".join(f'"{c}"' for c in kind.columns)
            reader = f"read_csv($4, {_CSV_OPTIONS}, columns = {{{types}}}, {_REJECTS})"
            where = ""
        else:
            columns = "raw_record"
            reader = f"read_csv($4, {_LINE_OPTIONS}, {_REJECTS})"
            where = " where raw_record is not null"  # blank lines
        rows = con.execute(
            f"insert into raw.{kind.name} ({columns}, _file_id, _source_file, _row_number, _landed_at) "
            f"select {columns}, $1, $2, ordinality, $3 from {reader} with ordinality{where}",
            [file_id, path.name, landed_at, str(path)],
        ).fetchone()[0]
        rejected = con.execute(
            "insert into raw.landing_rejects select distinct on (line) ?, ?, line, csv_line, "
            "'malformed ' || ? || ' row: ' || error_message, ? from landing_reject_errors",
            [kind.name, path.name, kind.ext.upper(), landed_at],
        ).fetchone()[0]
        con.execute("delete from landing_reject_errors; delete from landing_reject_scans")
        con.execute(
            "insert into raw.landed_files values (?, ?, ?, ?, ?, ?, ?, ?)",
            [file_id, path.name, kind.name, sha256, path.stat().st_size, rows, rejected, landed_at],
        )
        con.commit()
    except duckdb.Error as error:
        con.rollback()
        first_line = str(error).strip().splitlines()[0]
        raise LandingError(f"{path.name}: could not be read as {kind.ext.upper()} ({first_line}).") from None
    report.landed[path.name] = rows
    if rejected:
        report.rejected[path.name] = rejected


def checked_digest(path: Path) -> str:
    """SHA-256 of the file, refusing a file that is empty or not UTF-8 text."""
    digest, decoder = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise LandingError(
                    f"{path.name}: is not UTF-8 text (invalid byte at offset {offset + error.start})."
                ) from None
            offset += len(chunk)
    if offset == 0:
        raise LandingError(f"{path.name}: is empty.")
    return digest.hexdigest()


def check_csv_header(path: Path, kind: Kind) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            header = next(csv.reader(handle))
        except (StopIteration, csv.Error):
            header = []
    missing = [c for c in kind.columns if c not in header]
    if missing:
        raise LandingError(
            f"{path.name}: refused as a {kind.name} file: its header lacks the required "
            f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}."
        )
    return header


def check_ndjson(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                try:
                    is_object = isinstance(json.loads(line), dict)
                except ValueError:
                    is_object = False
                if not is_object:
                    raise LandingError(f"{path.name}: is not NDJSON: line {number} is not a JSON object.")
                return []
    raise LandingError(f"{path.name}: holds no JSON object.")


def _sql_str(text: str) -> str:
    return text.replace("'", "''")


def print_report(report: LandingReport) -> None:
    for name in report.ignored:
        print(f"notice: {name}: matches no landing file kind; ignored.", file=sys.stderr)
    for name in report.skipped:
        print(f"{name}: landed before; nothing added.")
    for name, rows in {} if report.shown else report.landed.items():
        bad = report.rejected.get(name, 0)
        print(f"{name}: {rows} records landed" + (f", {bad} malformed rows set aside" if bad else ""))
    for sentence in report.refused:
        print(f"error: {sentence}", file=sys.stderr)
