"""`wh land DIR`: land every contract file below a directory into the `raw` schema.

Each record is kept whole (every CSV cell as text, or the NDJSON line) with
its file, its row or line number and its landing time; typing and the
contract's row rules live in the dbt staging layer, which sends broken rows
to `audit.rejected_rows`. A file is landed once: a file whose content was
landed before (same SHA-256, whatever its name) adds nothing. A file that is
not of its format at all, or cannot be read, is refused whole, with one
sentence, and nothing already landed is touched: every file lands in its own
transaction, and the other files still land.

Which files land, in which order, and the file-level checks are the engines'
common part (landing_files.py); this module lands into DuckDB, `land_spark`
into Spark. CSV is read by DuckDB's CSV reader; NDJSON line by line here (a
line ends at LF or CRLF, and DuckDB's CSV reader would also split at a CR,
which JSON counts as white space), in batches handed to DuckDB as Arrow tables.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.contract import KINDS
from warehouse.landing_files import (
    Candidate,
    LandingError,
    LandingReport,
    candidates,
    contract_file_count,
    ndjson_lines,
)
from warehouse.settings import on_spark, warehouse_path

__all__ = [
    "LandingError",
    "LandingReport",
    "Progress",
    "ensure_raw_schema",
    "land",
    "land_directory",
    "print_report",
]

_CSV_OPTIONS = "header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"'"
_REJECTS = (
    "store_rejects = true, rejects_table = 'landing_reject_errors', rejects_scan = 'landing_reject_scans'"
)
_BATCH_LINES = 50_000


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


# Called after each landed file: (its position among the directory's contract files, their
# count, its name, records landed, malformed rows set aside).
Progress = Callable[[int, int, str, int, int], None]


def land(directory: Path, progress: Progress | None = None) -> LandingReport:
    """Land `directory` into the warehouse of the configured target (`$WH_TARGET`)."""
    if on_spark():
        from warehouse.land_spark import land_directory_spark

        return land_directory_spark(directory)
    return land_directory(warehouse_path(), directory, progress)


def land_directory(db_path: Path, directory: Path, progress: Progress | None = None) -> LandingReport:
    """Land every contract file below `directory` into the DuckDB file, in path order, telling
    `progress` after each file."""
    if not directory.is_dir():  # before the warehouse file is opened (and created)
        raise LandingError(f"{directory}: no such directory to land.")
    report = LandingReport(shown=progress is not None)
    total = contract_file_count(directory) if progress else 0
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
                name = candidate.name
                progress(min(done, total), total, name, report.landed[name], report.rejected.get(name, 0))
    return report


def _land_file(con: duckdb.DuckDBPyConnection, candidate: Candidate, report: LandingReport) -> None:
    kind, name = candidate.kind, candidate.name
    landed_at = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        # fetched whole: DuckDB keeps a result open until its last row is read
        file_id = con.execute("select coalesce(max(file_id), 0) + 1 from raw.landed_files").fetchall()[0][0]
        if kind.ext == "csv":
            rows, rejected = _insert_csv(con, candidate, file_id, landed_at)
        else:
            rows, rejected = _insert_ndjson(con, candidate, file_id, landed_at), 0
        con.execute(
            "insert into raw.landed_files values (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                file_id,
                name,
                kind.name,
                candidate.sha256,
                candidate.path.stat().st_size,
                rows,
                rejected,
                landed_at,
            ],
        )
        con.commit()
    except duckdb.Error as error:
        con.rollback()
        first_line = str(error).strip().splitlines()[0]
        raise LandingError(f"{name}: could not be read as {kind.ext.upper()} ({first_line}).") from None
    except (OSError, EOFError) as error:  # the file changed or vanished since it was checked
        con.rollback()
        raise LandingError(f"{name}: cannot be read ({getattr(error, 'strerror', None) or error}).") from None
    report.landed[name] = rows
    if rejected:
        report.rejected[name] = rejected


def _insert_csv(
    con: duckdb.DuckDBPyConnection, candidate: Candidate, file_id: int, landed_at: datetime
) -> tuple[int, int]:
    """Every cell as text; rows DuckDB's reader cannot split go to raw.landing_rejects."""
    kind = candidate.kind
    types = ", ".join(f"'{_sql_str(c)}': 'VARCHAR'" for c in candidate.header)
    columns = ", ".join(f'"{c}"' for c in kind.columns)
    compression = "gzip" if candidate.gzipped else "none"
    reader = f"read_csv($4, {_CSV_OPTIONS}, compression = '{compression}', columns = {{{types}}}, {_REJECTS})"
    rows = con.execute(
        f"insert into raw.{kind.name} ({columns}, _file_id, _source_file, _row_number, _landed_at) "
        f"select {columns}, $1, $2, ordinality, $3 from {reader} with ordinality",
        [file_id, candidate.name, landed_at, str(candidate.path)],
    ).fetchone()[0]
    rejected = con.execute(
        "insert into raw.landing_rejects select distinct on (line) ?, ?, line, csv_line, "
        "'malformed CSV row: ' || error_message, ? from landing_reject_errors",
        [kind.name, candidate.name, landed_at],
    ).fetchone()[0]
    con.execute("delete from landing_reject_errors; delete from landing_reject_scans")
    return rows, rejected


def _insert_ndjson(
    con: duckdb.DuckDBPyConnection, candidate: Candidate, file_id: int, landed_at: datetime
) -> int:
    """Every line that is not blank, whole, numbered by its line number."""
    insert = (
        f"insert into raw.{candidate.kind.name} "
        "(raw_record, _file_id, _source_file, _row_number, _landed_at) "
        "select raw_record, $1, $2, line_number, $3 from landing_batch"
    )
    rows = 0
    numbers: list[int] = []
    lines: list[str] = []
    for number, line in ndjson_lines(candidate.path):
        numbers.append(number)
        lines.append(line)
        if len(lines) == _BATCH_LINES:
            rows += _insert_batch(con, insert, numbers, lines, [file_id, candidate.name, landed_at])
            numbers, lines = [], []
    if lines:
        rows += _insert_batch(con, insert, numbers, lines, [file_id, candidate.name, landed_at])
    return rows


def _insert_batch(
    con: duckdb.DuckDBPyConnection, insert: str, numbers: list[int], lines: list[str], params: list
) -> int:
    batch = pa.table(
        {"line_number": pa.array(numbers, pa.int64()), "raw_record": pa.array(lines, pa.string())}
    )
    con.register("landing_batch", batch)
    try:
        return con.execute(insert, params).fetchall()[0][0]
    finally:
        con.unregister("landing_batch")


def _sql_str(text: str) -> str:
    return text.replace("'", "''")


def print_report(report: LandingReport) -> None:
    for notice in report.ignored:
        print(f"notice: {notice}", file=sys.stderr)
    for name in report.skipped:
        print(f"{name}: landed before; nothing added.")
    for name, rows in {} if report.shown else report.landed.items():
        bad = report.rejected.get(name, 0)
        print(f"{name}: {rows} records landed" + (f", {bad} malformed rows set aside" if bad else ""))
    for sentence in report.refused:
        print(f"error: {sentence}", file=sys.stderr)
