"""`wh nightly DIR` on the Spark targets (`spark`, `spark_cluster`): land, then build and test
tonight's rows, as the nightly schedule runs it.

What a Spark night shares with DuckDB's (nightly.py): the models rewrite only what tonight's
rows reach (macros/rewrite.sql, the partitions they touch); the data tests judge tonight's rows
(every row on Sundays and after a night that did not finish: macros/tests/where_subquery.sql);
the unit tests judge the code, in CI, not each night. What it does not share: Spark's tables are
written in place, each model's as dbt finishes it. No table format that commits several tables at
once (Delta, Iceberg) installs offline, so there is no build state to publish by one rename: a
reader of the Thrift server sees tonight's tables as they are rewritten, and a model whose test
fails keeps its new rows while dbt skips everything downstream of it (DECISIONLOG, "A Spark night
writes in place").

Each night appends its record (status, rows landed, tests, seconds) to
`$WH_SPARK_DIR/nightly.runs.jsonl`; a night that fails says why in one sentence.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from warehouse import build as build_module
from warehouse.land import land
from warehouse.nightly import data_test_scope
from warehouse.settings import WarehouseError, spark_dir, target


def runs_log() -> Path:
    return spark_dir() / "nightly.runs.jsonl"


def _last_status(log: Path) -> str:
    """The status of the last night recorded (`built` when there is none)."""
    records = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    last = {"status": "built"}
    for line in records:
        try:
            last = json.loads(line)
        except ValueError:  # a line cut short by a kill: that night did not finish
            last = {"status": "killed"}
    return str(last["status"])


def _append(log: Path, record: dict[str, Any]) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, default=str) + "\n")


def nightly(directory: Path, as_of: str | None) -> None:
    """Land `directory`, then `dbt build` without the unit tests, the data tests on tonight's
    rows (all of them on a Sunday or after a night that did not finish)."""
    log = runs_log()
    started = time.monotonic()
    test_all = _last_status(log) != "built"
    run: dict[str, Any] = {
        "run_id": uuid.uuid4().hex,
        "started_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "status": "started",
        "as_of_date": as_of,
        "landing_dir": str(directory),
        "data_tests": "all" if test_all else data_test_scope(as_of),
    }
    _append(log, run)
    try:
        report = land(directory)
        landed_seconds = time.monotonic() - started
        run.update(rows_landed=report.rows_landed, files_refused=len(report.refused))
        for sentence in report.refused:
            print(f"nightly: warning: {sentence}", file=sys.stderr)
        os.environ["WH_DATA_TEST_SCOPE"] = run["data_tests"]
        try:
            counts = build_module.build(as_of, quiet=True, unit_tests=False)
        finally:
            os.environ.pop("WH_DATA_TEST_SCOPE")
            run.update(build_module.summary())
    except (WarehouseError, KeyboardInterrupt) as error:
        sentence = "interrupted." if isinstance(error, KeyboardInterrupt) else str(error)
        run.update(status="failed", message=sentence, duration_seconds=round(time.monotonic() - started, 2))
        _append(log, run)
        raise WarehouseError(f"nightly run failed on the {target()} target: {sentence}") from None
    duration = time.monotonic() - started
    run.update(
        status="built",
        models_built=counts.get("success", 0),
        seconds={"land": round(landed_seconds, 2), "build": round(duration - landed_seconds, 2)},
        duration_seconds=round(duration, 2),
    )
    _append(log, run)
    tested = "tonight's rows" if run["data_tests"] == "changed" else "every row"
    print(
        f"nightly: built the {target()} target ({spark_dir()}) as of {as_of or 'today'}: "
        f"{run['rows_landed']} records landed, {run.get('tests_failed', 0)} tests failed "
        f"(data tests on {tested}), {run['duration_seconds']:.1f} s."
    )
