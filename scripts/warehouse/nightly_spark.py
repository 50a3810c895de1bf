"""`wh nightly DIR` on the Spark targets (`spark`, `spark_cluster`): land, then build and test,
as the nightly schedule runs it.

What a Spark night shares with DuckDB's (nightly.py): the models rewrite only what tonight's
rows reach (macros/rewrite.sql, the partitions they touch), and the unit tests judge the code,
in CI, not each night. What it does not share:
- the data tests read every row, every night: on Spark, the filter that narrows them to
  tonight's rows (macros/tests/where_subquery.sql) costs more than the rows it saves (a night at
  scale 10000 took 494 s with it, 395 s without: docs/engines.md);
- the tables are written in place, each model's as dbt finishes it. No table format that
  commits several tables at once (Delta, Iceberg) installs offline, so there is no build state
  to publish by one rename: a reader of the Thrift server sees tonight's tables as they are
  rewritten, and a model whose test fails keeps its new rows while dbt skips everything
  downstream of it (DECISIONLOG, "A Spark night writes in place").

Each night appends its record (started, then built or failed: rows landed, tests, seconds) to
`$WH_SPARK_DIR/nightly.runs.jsonl`; a night that fails says why in one sentence.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from warehouse import build as build_module
from warehouse.land import land
from warehouse.nightly import append_log
from warehouse.settings import WarehouseError, spark_dir, target


def runs_log() -> Path:
    return spark_dir() / "nightly.runs.jsonl"


def nightly(directory: Path, as_of: str | None) -> None:
    """Land `directory`, then `dbt build` without the unit tests."""
    log = runs_log()
    started = time.monotonic()
    run: dict[str, Any] = {
        "run_id": uuid.uuid4().hex,
        "started_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        "status": "started",
        "as_of_date": as_of,
        "landing_dir": str(directory),
    }
    log.parent.mkdir(parents=True, exist_ok=True)  # a first night may fail before any table is made
    append_log(log, run)
    try:
        report = land(directory)
        landed_seconds = time.monotonic() - started
        run.update(rows_landed=report.rows_landed, files_refused=len(report.refused))
        for sentence in report.refused:
            print(f"nightly: warning: {sentence}", file=sys.stderr)
        try:
            counts = build_module.build(as_of, quiet=True, unit_tests=False)
        finally:
            run.update(build_module.summary())
    except (WarehouseError, KeyboardInterrupt) as error:
        sentence = "interrupted." if isinstance(error, KeyboardInterrupt) else str(error)
        run.update(status="failed", message=sentence, duration_seconds=round(time.monotonic() - started, 2))
        append_log(log, run)
        raise WarehouseError(f"nightly run failed on the {target()} target: {sentence}") from None
    duration = time.monotonic() - started
    run.update(
        status="built",
        models_built=counts.get("success", 0),
        seconds={"land": round(landed_seconds, 2), "build": round(duration - landed_seconds, 2)},
        duration_seconds=round(duration, 2),
    )
    append_log(log, run)
    print(
        f"nightly: built the {target()} target ({spark_dir()}) as of {as_of or 'today'}: "
        f"{run['rows_landed']} records landed, {run.get('tests_failed', 0)} tests failed, "
        f"{run['duration_seconds']:.1f} s."
    )
