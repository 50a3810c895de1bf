"""`wh nightly DIR`: land, build, test and publish, as the nightly schedule runs it.

Readers open the published warehouse `$WH_DB`. The night works on a copy
(`<WH_DB>.nightly`) and, only when the build and its tests pass, replaces the
published file with it in one `rename`: a reader never sees a half-built mart,
a failed or killed night leaves yesterday's file in place, and a reader that
had yesterday's file open keeps reading it whole. Every night appends its
record to `<WH_DB stem>.runs.jsonl`; the published `audit.runs` holds them all.
The dbt docs page of the night's warehouse is published beside it (`<WH_DB stem>.docs.html`)
right after the warehouse; a night whose docs fail still publishes its data, with a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from warehouse import build as build_module
from warehouse import docs
from warehouse.land import land_directory
from warehouse.progress import LandingProgress
from warehouse.settings import WarehouseError, warehouse_path

RUNS_COLUMNS = (
    "run_id varchar, started_at timestamp, finished_at timestamp, status varchar, as_of_date date, "
    "landing_dir varchar, rows_landed bigint, rows_rejected bigint, files_refused bigint, "
    "models_built bigint, tests_passed bigint, tests_warned bigint, tests_failed bigint, "
    "duration_seconds double, message varchar"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _fault(point: str) -> None:
    """Test hook: `WH_NIGHTLY_KILL_AT=<point>` kills the run (and dbt) at that point, as `kill -9`."""
    if os.environ.get("WH_NIGHTLY_KILL_AT") == point:
        os.killpg(os.getpgrp(), signal.SIGKILL)


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseError(f"{lock_path}: another nightly run is in progress.") from None
        yield


def _append_log(log: Path, record: dict[str, Any]) -> None:
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _runs_from_log(log: Path, current: str) -> list[dict[str, Any]]:
    """The last record of every run; a run that only ever logged `started` was killed."""
    last: dict[str, dict[str, Any]] = {}
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                last[record["run_id"]] = record
    runs = [r for r in last.values() if r["run_id"] != current]
    for record in runs:
        if record["status"] == "started":
            record["status"], record["message"] = "interrupted", "the run stopped before it finished"
    return runs


def _record_runs(work: Path, runs: list[dict[str, Any]]) -> None:
    names = [c.split()[0] for c in RUNS_COLUMNS.split(", ")]
    with duckdb.connect(str(work)) as con:
        con.execute("create schema if not exists audit")
        con.execute(f"create or replace table audit.runs ({RUNS_COLUMNS})")
        con.executemany(
            f"insert into audit.runs values ({', '.join('?' for _ in names)})",
            [[run.get(name) for name in names] for run in sorted(runs, key=lambda r: str(r["started_at"]))],
        )
        con.execute("checkpoint")


def data_test_scope(as_of: str | None) -> str:
    """`changed` (tonight's rows, see macros/tests/where_subquery.sql), or `all` on a Sunday."""
    day = dt.date.fromisoformat(as_of) if as_of else dt.datetime.now(dt.UTC).date()
    return "all" if day.isoweekday() == 7 else "changed"


def _night(work: Path, directory: Path, as_of: str | None, run: dict[str, Any], staged_docs: Path) -> None:
    report = land_directory(work, directory, LandingProgress(every=5))
    run.update(rows_landed=report.rows_landed, files_refused=len(report.refused))
    for sentence in report.refused:
        print(f"nightly: warning: {sentence}", file=sys.stderr)
    _fault("after_land")
    killer = None
    if os.environ.get("WH_NIGHTLY_KILL_AT") == "during_build":
        delay = float(os.environ.get("WH_NIGHTLY_KILL_DELAY", "8"))
        killer = threading.Timer(delay, os.killpg, (os.getpgrp(), signal.SIGKILL))
        killer.start()
    # the data tests judge tonight's rows (all rows on Sundays); the unit tests judge the code, in CI
    os.environ["WH_DATA_TEST_SCOPE"] = data_test_scope(as_of)
    try:
        counts = build_module.build(as_of, quiet=True, unit_tests=False)
    finally:
        os.environ.pop("WH_DATA_TEST_SCOPE")
        run.update(build_module.summary())
    if killer:
        killer.cancel()
    run.update(models_built=counts.get("success", 0))
    freshness = build_module.run_dbt(["--quiet", "source", "freshness"], as_of)
    if freshness != 0:
        print("nightly: warning: source freshness is past its error threshold (see above).", file=sys.stderr)
    with duckdb.connect(str(work), read_only=True) as con:
        run["as_of_date"] = str(con.execute("select as_of_date from audit.build_info").fetchone()[0])
        run["rows_rejected"] = con.execute(
            "select count(*) from audit.rejected_rows where landed_at >= ?", [run["started_at"]]
        ).fetchone()[0]
    try:
        print("nightly: writing the dbt docs page (about 10 s) ...", flush=True)
        docs.generate(staged_docs, as_of)
    except WarehouseError as error:
        print(f"nightly: warning: {error} The docs page stays last night's.", file=sys.stderr)


def nightly(directory: Path, as_of: str | None) -> None:
    published = warehouse_path()
    work = published.with_name(published.name + ".nightly")
    log = published.with_name(published.stem + ".runs.jsonl")
    staged_docs = docs.docs_path(published).with_name(docs.docs_path(published).name + ".nightly")
    started = time.monotonic()
    run: dict[str, Any] = {
        "run_id": uuid.uuid4().hex,
        "started_at": _now(),
        "status": "started",
        "as_of_date": as_of,
        "landing_dir": str(directory),
    }
    with _exclusive(published.with_name(published.name + ".lock")):
        _append_log(log, run)
        _remove(work, Path(f"{work}.wal"), staged_docs)  # a killed night's leftovers
        try:
            if published.exists():
                shutil.copyfile(published, work)
                if Path(f"{published}.wal").exists():  # replayed by DuckDB when it opens the copy
                    shutil.copyfile(f"{published}.wal", f"{work}.wal")
            os.environ["WH_DB"] = str(work)
            _night(work, directory, as_of, run, staged_docs)
            _fault("before_publish")
            run.update(status="published", finished_at=_now(), duration_seconds=time.monotonic() - started)
            _record_runs(work, [*_runs_from_log(log, run["run_id"]), run])
            _fsync(work)
            os.replace(work, published)
            if staged_docs.exists():
                os.replace(staged_docs, docs.docs_path(published))
            _fsync(published.parent)
        except WarehouseError as error:
            run.update(status="failed", finished_at=_now(), message=str(error))
            run["duration_seconds"] = time.monotonic() - started
            _append_log(log, run)
            _remove(work, Path(f"{work}.wal"), staged_docs)
            raise WarehouseError(f"nightly run failed, {published.name} left as it was: {error}") from None
        finally:
            os.environ["WH_DB"] = str(published)
        _append_log(log, run)
    print(
        f"nightly: published {published} as of {run['as_of_date']}: {run['rows_landed']} records landed, "
        f"{run['rows_rejected']} rejected, {run.get('tests_failed', 0)} tests failed, "
        f"{run['duration_seconds']:.1f} s."
    )
