"""`wh nightly DIR`: land, build, test and publish, as the nightly schedule runs it.

Readers open the published warehouse `$WH_DB`: the public schemas only. The night lands
and builds the build state beside it (`<WH_DB stem>.build.duckdb`: raw, staging,
intermediate and the marts, written in place; made from a one-file warehouse on its first
night) in one dbt process (warehouse.dbt_session: parse, build, freshness, docs), and
only when the build and its tests pass writes a new readers' file from it and renames it
over `$WH_DB` (publish.py): a reader never sees a half-built mart, a failed or killed
night leaves yesterday's file in place (the next night carries on from the build state:
each model catches up from its own watermark, and after a failed or killed night every
row is tested), and a reader that had yesterday's file open keeps reading it whole.
Every night appends its record to `<WH_DB stem>.runs.jsonl` (with the seconds of each of
its steps); the published `audit.runs` holds them all. A night that fails (a test, dbt, a
full disk, an interrupt) says why in one sentence, removes its temporary files and
records itself as `failed` with that sentence; a killed night's files are removed by the
next one. The dbt docs page of the night's warehouse is published beside it
(`<WH_DB stem>.docs.html`) right after the warehouse; a night whose docs fail still
publishes its data, with a warning.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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
from warehouse import docs, publish
from warehouse.land import land_directory
from warehouse.progress import LandingProgress
from warehouse.settings import WarehouseError, dbt_target_path, os_error_sentence, warehouse_path

RUNS_COLUMNS = (
    "run_id varchar, started_at timestamp, finished_at timestamp, status varchar, as_of_date date, "
    "landing_dir varchar, rows_landed bigint, rows_rejected bigint, files_refused bigint, "
    "models_built bigint, tests_passed bigint, tests_warned bigint, tests_failed bigint, "
    "duration_seconds double, message varchar"
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _fault(point: str) -> None:
    """Test hook: `WH_NIGHTLY_KILL_AT=<point>` kills the run (and dbt) at that point, as `kill -9`
    (points: `after_land`, `during_build`, `before_publish`, `while_publishing`)."""
    if os.environ.get("WH_NIGHTLY_KILL_AT") == point:
        os.killpg(os.getpgrp(), signal.SIGKILL)


def append_log(log: Path, record: dict[str, Any]) -> None:
    """One run record appended to a runs log, on disk before this returns."""
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


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


def _night(
    work: Path, directory: Path, as_of: str | None, run: dict[str, Any], staged_docs: Path, test_all: bool
) -> None:
    landing = time.monotonic()
    report = land_directory(work, directory, LandingProgress(every=5))
    landed_seconds = time.monotonic() - landing
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
    os.environ["WH_DATA_TEST_SCOPE"] = "all" if test_all else data_test_scope(as_of)
    session = dbt_target_path() / "night_session.json"
    try:
        counts = build_module.build(as_of, quiet=True, unit_tests=False, session=session)
    finally:
        os.environ.pop("WH_DATA_TEST_SCOPE")
        run.update(build_module.summary())
    if killer:
        killer.cancel()
    run.update(models_built=counts.get("success", 0))
    outcome = json.loads(session.read_text())
    run["seconds"] = {"land": round(landed_seconds, 2)}
    run["seconds"].update({name: round(seconds, 2) for name, seconds in outcome["seconds"].items()})
    run["seconds"].update(_node_seconds())
    if not outcome.get("freshness"):
        print("nightly: warning: source freshness is past its error threshold (see above).", file=sys.stderr)
    with duckdb.connect(str(work), read_only=True) as con:
        run["as_of_date"] = str(con.execute("select as_of_date from audit.build_info").fetchone()[0])
        run["rows_rejected"] = con.execute(
            "select count(*) from audit.rejected_rows where landed_at >= ?", [run["started_at"]]
        ).fetchone()[0]
    try:
        if not outcome.get("docs"):
            raise WarehouseError("dbt docs generate failed; see the log above and logs/dbt.log.")
        docs.place(staged_docs)
    except (WarehouseError, OSError) as error:
        failed = os_error_sentence(error, "the docs page failed") if isinstance(error, OSError) else error
        _warn(run, f"{failed} The docs page stays last night's.")


def _node_seconds() -> dict[str, float]:
    """The build's time in models and in tests: the sum of their nodes' run times (dbt runs
    several at once, so the two add up to more than the build's wall time)."""
    results = build_module.last_results()

    def total(kind: str) -> float:
        return round(sum(r["execution_time"] for r in results if r["unique_id"].startswith(kind)), 2)

    return {"models_nodes": total("model."), "tests_nodes": total("test.")}


def _warn(run: dict[str, Any], sentence: str) -> None:
    """A warning of a night that still publishes: on stderr, and in its run record."""
    print(f"nightly: warning: {sentence}", file=sys.stderr)
    run["message"] = " ".join(filter(None, [run.get("message"), sentence]))


def _remove_leftovers(work: Path, staged_docs: Path) -> None:
    """The temporary files of a night: the readers' file it writes (or the one-file warehouse's
    copy), its log and spill folder, the staged docs."""
    for path in (work, publish.wal(work), staged_docs, docs.partial_path(staged_docs)):
        path.unlink(missing_ok=True)
    shutil.rmtree(Path(f"{work}.tmp"), ignore_errors=True)


def _failure(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt):
        return "interrupted (SIGINT or SIGTERM)."
    if isinstance(error, OSError):
        return os_error_sentence(error, "cannot be written or read")
    if isinstance(error, duckdb.Error):
        return f"DuckDB: {str(error).strip().splitlines()[0]}"
    return str(error)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (systemd stopping the unit, `kill`) ends the night as Ctrl-C does: cleaned up."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def nightly(directory: Path, as_of: str | None) -> None:
    published = warehouse_path()
    state = publish.state_path(published)
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
    with publish.writer_lock(published), _terminate_as_interrupt():
        previous = _runs_from_log(log, run["run_id"])
        append_log(log, run)
        _remove_leftovers(publish.night_copy(published), staged_docs)  # a killed night's
        try:
            if stale := publish.open_state(published):
                _warn(run, stale)
            os.environ["WH_DB"] = str(state)
            # after a night that failed or was killed, the build state holds rows no test passed
            last = max(previous, key=lambda r: str(r["started_at"]), default={"status": "published"})
            after_failure = last["status"] != "published"
            _night(state, directory, as_of, run, staged_docs, after_failure)
            publish.checkpoint(state)
            _fault("before_publish")
            run.update(status="published", finished_at=_now(), duration_seconds=time.monotonic() - started)
            publish_state(state, published, [*previous, run], run)
        except (WarehouseError, OSError, duckdb.Error, KeyboardInterrupt) as error:
            sentence = _failure(error)
            run.update(status="failed", finished_at=_now(), message=sentence)
            run["duration_seconds"] = time.monotonic() - started
            publish.restore_old_wal(published)  # before the copy goes: it tells the rename did not happen
            _remove_leftovers(publish.night_copy(published), staged_docs)
            with contextlib.suppress(OSError):  # a full disk may refuse the record too
                append_log(log, run)
            raise WarehouseError(f"nightly run failed, {published.name} left as it was: {sentence}") from None
        finally:
            os.environ["WH_DB"] = str(published)
        _publish_docs(staged_docs, docs.docs_path(published), run)
        append_log(log, run)
    print(
        f"nightly: published {published} as of {run['as_of_date']}: {run['rows_landed']} records landed, "
        f"{run['rows_rejected']} rejected, {run.get('tests_failed', 0)} tests failed, "
        f"{run['duration_seconds']:.1f} s."
    )


def publish_state(state: Path, published: Path, runs: list[dict[str, Any]], run: dict[str, Any]) -> None:
    """Write the readers' file from the build state (its public schemas, `audit.runs` from
    `runs`), on disk, and rename it over `published` (publish.py)."""
    started = time.monotonic()
    readers = publish.night_copy(published)
    publish.write_readers_file(state, readers)
    _record_runs(readers, runs)
    publish.checkpoint(readers)
    publish.fsync(readers)
    publish.set_old_wal_aside(published)
    _fault("while_publishing")
    publish.replace(readers, published)
    run.setdefault("seconds", {})["publish"] = round(time.monotonic() - started, 2)


def publish_build(published: Path) -> None:
    """`wh build` on a warehouse with a build state: publish it as a night does (the runs
    record unchanged; the docs page stays the last night's)."""
    log = published.with_name(published.stem + ".runs.jsonl")
    publish_state(publish.state_path(published), published, _runs_from_log(log, ""), {})


def _publish_docs(staged: Path, page: Path, run: dict[str, Any]) -> None:
    """The night's docs page beside the published warehouse (the data is published already)."""
    if not staged.exists():
        return
    try:
        os.replace(staged, page)
        publish.fsync(page.parent)
    except OSError as error:
        staged.unlink(missing_ok=True)
        _warn(run, os_error_sentence(error, "the docs page cannot be published; it stays last night's"))
