"""The same dbt project on Apache Spark: one landing set (the generated demo files plus a few
hand-written broken ones), delivered as a history and one night (the last day's capital files,
the second part of the collections' transactions, the broken files), landed and built on DuckDB
in one full refresh, and on a local Spark cluster through the real commands (`scripts/wh
cluster up`, then `WH_TARGET=spark_cluster scripts/wh land|build|nightly`: a standalone master,
two workers and a Thrift server, each its own JVM) as the history's full build then the night's
incremental build (`wh nightly`, as the schedule runs it); then every public table compared
row for row. During the history's build one worker is killed (SIGKILL, its executor with it,
as when a machine is lost): the build completes on the other. The night rewrites only the
partitions its rows reach.
The in-process `spark` target shares the landing and the models; its check here is cheap
(the hand-written files landed alike), the cluster's build stands for both in CI.

Spark's tables are read back from their parquet files (the Spark targets keep their managed
tables under `$WH_SPARK_DIR/tables/<schema>.db/<table>/`) by DuckDB, so that both sides are
read by one engine: same keys, same values, doubles within 1e-9. Skipped only when Java is
absent (pyspark starts a JVM).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import math
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import ENGINE_TIMINGS, INTERFACE_TABLES, WH, Warehouse, free_port, write
from warehouse.slicing import slice_by_day
from warehouse.spark import java_available

pytestmark = pytest.mark.skipif(
    not java_available(),
    reason="Java is absent: the DuckDB/Spark comparison needs Java 17+ for pyspark; skipped",
)

# the landing set of scripts/test's DuckDB build
SCALE, SEED, AS_OF = 120, 7, "2026-10-31"
HISTORY_AS_OF = "2026-10-30"  # the night before AS_OF
PUBLIC_SCHEMAS = ("capital", "collections", "audit")
# columns different by nature: landing and build times, dbt's invocation id, the Sigma
# tables' batch_timestamp (when a build wrote the row) with its _row_hash (DuckDB's hash of
# the row, which Spark does not keep), and the bookkeeping of an incremental build (what a row
# was computed from: a row the night kept keeps the history's)
NOT_COMPARED = {
    "_as_of_date",
    "_loaded_through_file_id",
    "landed_at",
    "_landed_at",
    "built_at",
    "_built_at",
    "invocation_id",
    "batch_timestamp",
    "_row_hash",
}
# Spark's raw.landing_rejects is partitioned by landing, as the raw tables are (land_spark.py);
# the models rewritten by partition on Spark have their partition column (macros/rewrite.sql)
SPARK_ONLY = {"raw.landing_rejects": {"_file_id"}}
SPARK_PARTITION = "spark_partition"

# Rows every reader must treat alike: quoted commas, a quoted empty cell, a cell on two
# lines, white space, extra and reordered columns, rows with too many or too few fields;
# blank, white-space, non-JSON and array lines, a line holding a unit separator. Every
# row breaks a rule, so the marts do not change; the files refused or ignored are refused
# or ignored alike.
EXTRA_FILES = {
    "rates_extra.csv": (
        "rate_id,label,collection_id,amount,note\n"
        'rate_x1,"Adultes, été",collection_x,-1,a\n'
        'rate_x2,"",collection_x,abc,b\n'
        'rate_x3,"deux\nlignes",collection_x,1.5,c\n'
        "rate_x4,Trop,collection_x,1,extra,fields\n"
        "rate_x5,Court,collection_x\n"
        "rate_x6, espace ,, 12 ,d\n"
    ),
    "balance_transactions_extra.ndjson": (
        '{"id": "txn_x1", "type": "payment", "amount": 10, "currency": "eur"}\n'
        "\n"
        "   \n"
        "not json\n"
        "[1, 2]\n"
        '{"id": "txn_x2",\x1f "type": "payment"}\n'
        '{"id": "txn_x3", "type": "payment", "amount": "12.5", "currency": "eur", "created": 1767225600}\n'
    ),
    "payers_without_names.csv": "payer_id,collection_id\np,c\n",
    "unknown_kind.csv": "a,b\n1,2\n",
}


# Revision 4's deliveries, read alike: date folders (a base name met twice), a gzip part, CRLF
# line ends (a CR inside an NDJSON line is JSON white space, a line of white space is blank),
# values outside the contract's limits. Every row breaks a rule, as above.
NESTED_FILES = {
    "2026/11/23/balance_transactions_extra.ndjson.gz": (
        '{"id": "txn_x4", "type": "payment", "amount": 10, "currency": "xyz", "created": 1767225600}\r\n'
        "\r\n"
        " \t\r\n"
        '{"id":\r "txn_x5", "type": "payment", "amount": 10, "currency": "eur", "created": 1767225600000}\r\n'
        '{"id": "txn_x6", "type": "payment", "amount": 1000000000000000000, "currency": "eur", '
        '"created": 1767225600}\r\n'
    ),
    "2026/11/24/rates_extra.csv": (
        "rate_id,collection_id,label,amount\r\nrate_x7,collection_x,Trop,1000000000000000\r\n"
    ),
}


def _land(warehouse: Warehouse, landing: Path, refused: bool = True, **env: str) -> list[str]:
    """The landing report's lines, sorted (with `refused`, one file is: the exit status is 1)."""
    landed = warehouse.run("land", str(landing), check=False, **env)
    assert landed.returncode == int(refused), landed.stderr
    lines = landed.stdout.splitlines() + [
        line for line in landed.stderr.splitlines() if not line.startswith("WARNING: Using incubator")
    ]
    return sorted(lines)


def _land_and_build(warehouse: Warehouse, history: Path, night: Path) -> tuple[list[str], list[str], str]:
    """DuckDB: the history and the night landed, then one full refresh; the two landing reports'
    lines, and how long landing and building took."""
    started = time.monotonic()
    reports = _land(warehouse, history, refused=False), _land(warehouse, night)
    built = time.monotonic()
    warehouse.run("build", "--as-of", AS_OF, "--full-refresh")
    finished = time.monotonic()
    return *reports, f"land {built - started:.0f} s + build {finished - built:.0f} s"


def _refused(lines: list[str]) -> list[str]:
    """The sentences of the files refused: `wh land`'s errors, `wh nightly`'s warnings."""
    return sorted(
        line.removeprefix("error: ").removeprefix("nightly: warning: ")
        for line in lines
        if line.startswith(("error: ", "nightly: warning: "))
    )


def _landing_set(work: Path) -> tuple[Path, Path]:
    """The test's landing set, as a history and one night: the generated files (scale 120)
    sliced on the last day, with the second part of the transactions and the broken files
    above delivered on the night."""
    generated = work / "generated"
    Warehouse(work / "unused.duckdb").run(
        "generate", "--out", str(generated), "--scale", str(SCALE), "--seed", str(SEED), "--bad-rows"
    )
    history, night = slice_by_day(generated, work / "landing", [dt.date.fromisoformat(AS_OF)])[0]
    (history / "transactions_part2.csv").rename(night / "transactions_part2.csv")
    _broken_files(night)
    return history, night


def _broken_files(landing: Path) -> None:
    """The hand-written files that break rules (above)."""
    for name, text in EXTRA_FILES.items():
        write(landing, name, text)
    for name, text in NESTED_FILES.items():
        path = landing / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(text.encode()) if name.endswith(".gz") else text.encode())
    (landing / "transfers_latin1.csv").write_bytes(
        "transfer_id,account_id\nvirement reçu\n".encode("latin-1")
    )


@dataclasses.dataclass
class Cluster:
    env: dict[str, str]  # the environment of the `spark_cluster` target that reaches it
    starting: subprocess.Popen[str]  # `wh cluster up`

    def ready(self) -> None:
        """Wait for `wh cluster up`, which must succeed."""
        out, _ = self.starting.communicate()
        assert self.starting.returncode == 0, out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A local Spark cluster for this module (ports of its own), started in the background
    (the DuckDB side builds meanwhile) and always stopped at the end."""
    work = tmp_path_factory.mktemp("cluster")
    env = {
        "WH_TARGET": "spark_cluster",
        "WH_SPARK_DIR": str(work / "spark"),
        "WH_SPARK_MASTER_PORT": str(free_port()),
        "WH_SPARK_THRIFT_PORT": str(free_port()),
    }
    starting = subprocess.Popen(
        [str(WH), "cluster", "up"],
        env=dict(os.environ, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield Cluster(env, starting)
    finally:
        starting.wait()  # its few lines fit the pipe
        Warehouse(work / "unused.duckdb").run("cluster", "down", check=False, **env)


KILLED_AFTER_MODELS = 20  # the worker dies once this many models are built, during a task of its own


def _tasks_in_flight(worker_dir: Path) -> int:
    """Tasks the worker's executor has started and not finished (its own log says)."""
    running = finished = 0
    for log in worker_dir.glob("app-*/*/stderr"):
        text = log.read_text(errors="replace")
        running += text.count("Executor: Running task ")
        finished += text.count("Executor: Finished task ")
    return running - finished


def _kill_during_a_task(pid: int, worker_dir: Path, armed: threading.Event, killed: dict) -> None:
    """Once armed, SIGKILL the worker's process group while its executor runs a task (so that
    a task is lost); after 120 s without one, kill it anyway."""
    armed.wait()
    deadline = time.monotonic() + 120
    while _tasks_in_flight(worker_dir) <= 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(pid, signal.SIGKILL)
    killed["at"] = time.monotonic()


def _build_losing_a_worker(warehouse: Warehouse, env: dict[str, str]) -> dict:
    """The history's `wh build` on the cluster, with worker2 and its executor killed (SIGKILL to
    its process group) during one of its tasks once KILLED_AFTER_MODELS models are built; what
    happened."""
    cluster_dir = Path(env["WH_SPARK_DIR"]) / "cluster"
    pid = int((cluster_dir / "worker2.pid").read_text())
    armed, killed = threading.Event(), {}
    killer = threading.Thread(target=_kill_during_a_task, args=(pid, cluster_dir / "worker2", armed, killed))
    killer.start()
    models_built, after_kill = 0, 0
    started = time.monotonic()
    try:
        with subprocess.Popen(
            [str(WH), "build", "--as-of", HISTORY_AS_OF],
            env=dict(os.environ, WH_DB=str(warehouse.path), **env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        ) as build:
            for line in build.stdout or ():
                if " OK created " not in line:
                    continue
                models_built += 1
                after_kill += "at" in killed
                if models_built == KILLED_AFTER_MODELS:
                    armed.set()
    finally:
        armed.set()  # the worker dies in any case: the thread ends
        killer.join()
    return {
        "returncode": build.returncode,
        "models": models_built,
        "built after the kill": after_kill,
        "killed at": killed["at"] - started,
        "seconds": time.monotonic() - started,
    }


def _partition_files(tables: Path) -> dict[tuple[str, str], set[str]]:
    """Each Spark table's partition directories (`schema.db/table/spark_partition=...`) and the
    names of their files (a partition rewritten gets new files)."""
    return {
        (f"{directory.parent.parent.name}/{directory.parent.name}", directory.name): {
            file.name for file in directory.iterdir()
        }
        for directory in tables.glob(f"*.db/*/{SPARK_PARTITION}=*")
    }


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, cluster: Cluster) -> dict:
    work = tmp_path_factory.mktemp("engines")
    history, night = _landing_set(work)
    duck = Warehouse(work / "warehouse.duckdb")
    duck_history, duck_night, duck_times = _land_and_build(duck, history, night)
    cluster.ready()
    tables = Path(cluster.env["WH_SPARK_DIR"]) / "tables"
    started = time.monotonic()
    spark_history = _land(duck, history, refused=False, **cluster.env)
    landed = time.monotonic() - started
    build = _build_losing_a_worker(duck, cluster.env)
    thrift_log = (Path(cluster.env["WH_SPARK_DIR"]) / "cluster" / "thrift.log").read_text(errors="replace")
    before_night = _partition_files(tables)
    # the night as the schedule runs it: land, build and the data tests
    night_run = duck.run("nightly", str(night), "--as-of", AS_OF, **cluster.env)
    after_night = _partition_files(tables)
    runs = Path(cluster.env["WH_SPARK_DIR"]) / "nightly.runs.jsonl"
    night_record = json.loads(runs.read_text().splitlines()[-1])
    # a task lost with its executor: "Lost task ..." (its shuffle input gone), or "task ... failed
    # because while it was being computed, its executor exited" (running on it); both run again
    lost_tasks = len(
        re.findall(r"Lost task |failed because while it was being computed, its executor", thrift_log)
    )
    night_seconds = night_record["seconds"]
    ENGINE_TIMINGS.append(
        f"scale {SCALE} (seed {SEED}): DuckDB (one full refresh, every data and unit test) {duck_times}; "
        f"Spark cluster: history land {landed:.0f} s + full build (every data and unit test) "
        f"{build['seconds']:.0f} s (2 workers, one killed {build['killed at'] or 0:.0f} s into it, "
        f"{lost_tasks} tasks lost and retried); `wh nightly` of the last day (every data test, no "
        f"unit test) land {night_seconds['land']:.0f} s + build "
        f"{night_seconds['build']:.0f} s ({night_seconds['build'] / build['seconds']:.0%} of the full build)"
    )
    return {
        "duckdb": duck.path,
        "spark": tables,
        "reports": (sorted(duck_history), sorted(spark_history)),
        "refused tonight": (_refused(duck_night), _refused(night_run.stderr.splitlines())),
        "night": night_record,
        "build": build,
        "thrift_log": thrift_log,
        "lost tasks": lost_tasks,
        "partitions rewritten": {
            partition for partition, files in after_night.items() if before_night.get(partition) != files
        },
        "partitions": set(after_night),
    }


def _spark_table(con: duckdb.DuckDBPyConnection, tables: Path, schema: str, name: str) -> str:
    """A view of a Spark table's parquet files (partition directories as columns)."""
    files = sorted(str(p) for p in (tables / f"{schema}.db" / name).rglob("*.parquet"))
    view = f"spark_{schema}_{name}"
    if files:
        listed = ", ".join(f"'{file}'" for file in files)
        source = f"read_parquet([{listed}], hive_partitioning = true)"
    else:  # a table without rows may have no file at all
        source = f"(select * from duckdb.{schema}.{name} limit 0)"
    con.execute(f"create or replace temp view {view} as select * from {source}")
    return view


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe {relation}").fetchall()]


def _utc(value: object) -> object:
    """An instant as a UTC wall time: DuckDB gives its timestamptz columns with a zone, and
    reads Spark's (parquet, UTC-adjusted) timestamps without one."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return _utc(a) == _utc(b)


def _differences(con: duckdb.DuckDBPyConnection, schema: str, name: str, tables: Path) -> list[str]:
    """What differs between the DuckDB table and the Spark one: columns, row count, or the
    first rows that differ (rows ordered by every compared column)."""
    ours, theirs = f"duckdb.{schema}.{name}", _spark_table(con, tables, schema, name)
    duck_columns = _columns(con, ours)
    spark_only = SPARK_ONLY.get(f"{schema}.{name}", set()) | {SPARK_PARTITION}
    spark_columns = [c for c in _columns(con, theirs) if c not in spark_only]
    if sorted(duck_columns) != sorted(spark_columns):
        return [f"columns: DuckDB {duck_columns}, Spark {spark_columns}"]
    columns = ", ".join(f'"{c}"' for c in duck_columns if c not in NOT_COMPARED)
    duck_rows = con.execute(f"select {columns} from {ours} order by all").fetchall()
    spark_rows = con.execute(f"select {columns} from {theirs} order by all").fetchall()
    if len(duck_rows) != len(spark_rows):
        return [f"rows: DuckDB {len(duck_rows)}, Spark {len(spark_rows)}"]
    differing = [
        f"DuckDB {a} | Spark {b}"
        for a, b in zip(duck_rows, spark_rows, strict=True)
        if not all(_same(x, y) for x, y in zip(a, b, strict=True))
    ]
    return differing[:3]


def _tables(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[tuple[str, str]]:
    return con.execute(
        # tables only: views (the Sigma section's other names) hold no files on Spark
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = 'duckdb' and table_schema in ? and table_type = 'BASE TABLE' order by all",
        [list(schemas)],
    ).fetchall()


def _compare(engines: dict, schemas: tuple[str, ...]) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    with duckdb.connect() as con:
        con.execute(f"attach '{engines['duckdb']}' as duckdb (read_only)")
        tables = _tables(con, schemas)
        spark_tables = sorted(
            (directory.parent.name.removesuffix(".db"), directory.name)
            for schema in schemas
            for directory in (engines["spark"] / f"{schema}.db").iterdir()
            if directory.is_dir()
        )
        assert spark_tables == tables, "the two engines hold different tables"
        differences = {f"{s}.{n}": _differences(con, s, n, engines["spark"]) for s, n in tables}
    return tables, {table: found for table, found in differences.items() if found}


def test_files_land_alike(engines: dict) -> None:
    duck_report, spark_report = engines["reports"]
    assert spark_report == duck_report
    duck_refused, spark_refused = engines["refused tonight"]
    assert spark_refused == duck_refused
    assert any("refused as a payers file" in sentence for sentence in duck_refused)
    assert any("not UTF-8" in sentence for sentence in duck_refused)
    tables, differences = _compare(engines, ("raw",))
    assert len(tables) == 14
    assert differences == {}


def test_every_public_table_is_the_same_on_spark(engines: dict) -> None:
    tables, differences = _compare(engines, PUBLIC_SCHEMAS)
    assert {f"{s}.{n}" for s, n in tables} >= INTERFACE_TABLES
    assert differences == {}


def test_the_night_rewrites_only_the_partitions_its_rows_reach(engines: dict) -> None:
    """The night is the last day, 2026-10-31, without late events: the new financing
    transactions and every financing's new or rewritten days are in October, so of the tables
    partitioned by month only October's partition is rewritten (the history holds the months
    before too); the financing transactions published are rewritten by financing, so the months
    of the financings that have new transactions (some, not all)."""
    rewritten, partitions = engines["partitions rewritten"], engines["partitions"]

    def months(table: str, among: set) -> set[str]:
        return {p.removeprefix(f"{SPARK_PARTITION}=") for t, p in among if t == table}

    for table in ("intermediate.db/int_financing_transactions_deduplicated", "capital.db/financing_balances"):
        assert {"2026-08", "2026-09", "2026-10"} < months(table, partitions), table
        assert months(table, rewritten) == {"2026-10"}, table
    published = "capital.db/connected_account_financing_transactions"
    assert "2026-10" in months(published, rewritten)
    assert months(published, rewritten) < months(published, partitions)


def test_the_night_runs_as_the_schedule_runs_it(engines: dict) -> None:
    """`wh nightly` on the cluster: of the night's files, two are refused (the payers file
    without names, the Latin-1 transfers file) and the night goes on; no test fails."""
    night = engines["night"]
    assert night["status"] == "built"
    assert night["as_of_date"] == AS_OF
    assert night["files_refused"] == 2
    assert night["tests_failed"] == 0
    assert night["tests_passed"] > 0


def test_a_build_survives_a_lost_worker(engines: dict, cluster: Cluster) -> None:
    build = engines["build"]
    # the worker died mid-build: models were built after it, and the build passed
    assert build["killed at"] is not None
    assert build["built after the kill"] > 0
    assert build["returncode"] == 0
    # the driver lost that worker's executor and the task it was running, and ran it again
    # (the marts are the same: the test above)
    assert re.search(r"Lost executor \d+|Executor lost: \d+", engines["thrift_log"])
    assert engines["lost tasks"] > 0
    status = Warehouse(engines["duckdb"]).run("cluster", "status", check=False, **cluster.env)
    states = [line.split()[:2] for line in status.stdout.splitlines()]
    assert states == [
        ["master", "running"],
        ["worker1", "running"],
        ["worker2", "stopped"],
        ["thrift", "running"],
    ]
    assert status.returncode == 3


def test_the_session_target_lands_alike(tmp_path: Path) -> None:
    """The in-process `spark` target (its build shares the models the cluster's build proves):
    the hand-written files land as on DuckDB, reports and raw tables."""
    landing = tmp_path / "landing"
    _broken_files(landing)
    duck = Warehouse(tmp_path / "warehouse.duckdb")
    duck_report = _land(duck, landing)
    spark_report = _land(duck, landing, WH_TARGET="spark", WH_SPARK_DIR=str(tmp_path / "spark"))
    assert spark_report == duck_report
    engines = {"duckdb": duck.path, "spark": tmp_path / "spark" / "tables"}
    tables, differences = _compare(engines, ("raw",))
    assert len(tables) == 14
    assert differences == {}


def test_the_broken_rows_are_rejected_alike(engines: dict) -> None:
    with duckdb.connect(str(engines["duckdb"]), read_only=True) as con:
        reasons = con.execute(
            "select source_file, rejected_by, reason from audit.rejected_rows "
            "where source_file like '%extra%' order by all"
        ).fetchall()
    nested = "2026/11/23/balance_transactions_extra.ndjson.gz"
    seconds = "is not a unix time in seconds between 2000-01-01 and 2100-01-01"
    # (and audit.rejected_rows is the same on Spark, above)
    assert reasons == [
        (nested, "contract", "amount 1000000000000000000 is not below 10^15 minor units"),
        (nested, "contract", f"created 1767225600000 {seconds}"),
        (nested, "contract", "currency 'xyz' is not an ISO 4217 currency code"),
        ("2026/11/24/rates_extra.csv", "contract", "amount 1000000000000000 is not below 10^15 minor units"),
        ("balance_transactions_extra.ndjson", "contract", "amount '12.5' is not an integer amount"),
        ("balance_transactions_extra.ndjson", "contract", "missing created"),
        ("balance_transactions_extra.ndjson", "contract", "missing id"),  # the array
        ("balance_transactions_extra.ndjson", "contract", "not a JSON object"),  # not json
        ("balance_transactions_extra.ndjson", "contract", "not a JSON object"),  # a unit separator
        ("rates_extra.csv", "contract", "amount '1.5' is not an integer amount in minor units"),
        ("rates_extra.csv", "contract", "amount 'abc' is not an integer amount in minor units"),
        ("rates_extra.csv", "contract", "missing collection_id"),
        ("rates_extra.csv", "contract", "negative amount -1"),
        ("rates_extra.csv", "reader", "malformed CSV row: Expected Number of Columns: 5 Found: 3"),
        ("rates_extra.csv", "reader", "malformed CSV row: Expected Number of Columns: 5 Found: 6"),
    ]


def _live_processes_in_groups(groups: list[int]) -> list[str]:
    """The command lines of the live (not zombie) processes of these process groups."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) in groups:
            live.append(command)
    return live


def test_cluster_down_stops_everything_and_twice_is_harmless(engines: dict, cluster: Cluster) -> None:
    """Last in the module: the cluster's own `down` (the fixture's is then a no-op)."""
    runner = Warehouse(engines["duckdb"])
    pids = [int(p.read_text()) for p in (Path(cluster.env["WH_SPARK_DIR"]) / "cluster").glob("*.pid")]
    assert runner.run("cluster", "down", **cluster.env).stdout == "stopped thrift, worker1, master.\n"
    # no process of the cluster's groups is left (a worker's executors included)
    assert _live_processes_in_groups(pids) == []
    status = runner.run("cluster", "status", check=False, **cluster.env)
    assert status.stdout == "master   stopped\nworker1  stopped\nworker2  stopped\nthrift   stopped\n"
    assert status.returncode == 3
    assert runner.run("cluster", "down", **cluster.env).stdout == "the Spark cluster is not running.\n"
