"""`wh build`: the dbt build (models and tests) for an as-of date."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import duckdb

from warehouse import dbt_session, lookup_indexes
from warehouse.land import ensure_raw_schema
from warehouse.progress import BuildProgress, explain
from warehouse.settings import (
    ROOT,
    WarehouseError,
    dbt_environment,
    dbt_executable,
    dbt_process,
    dbt_target_path,
    on_spark,
    spark_dir,
    target,
    warehouse_path,
)


def parse_date(text: str, argument: str = "--as-of") -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise WarehouseError(f"{argument} {text!r} is not a date of the form YYYY-MM-DD.") from None


def run_dbt(args: list[str], as_of: str | None = None, progress: BuildProgress | None = None) -> int:
    """Run one dbt command (where `dbt_process` says: beside the DuckDB file); its exit status.

    On DuckDB the as-of date is a row of the warehouse (`request_as_of`), not a var: a var
    that changes makes dbt parse the whole project again (no partial parsing); the spark
    target takes it as the var `as_of_date`. With `progress`, dbt writes its log as JSON,
    read line by line into `progress` (which prints how far the build is and dbt's errors)
    instead of dbt's own lines.
    """
    command = [*args]
    if as_of and on_spark():
        command += ["--vars", json.dumps({"as_of_date": as_of})]
    if target() == "spark":
        return _run_dbt_in_process(["--quiet", *command] if progress else command)
    dbt = [dbt_executable(), *command]
    cwd, env = dbt_process()
    if progress is None:
        return subprocess.run(dbt, cwd=cwd, env=env, check=False).returncode
    dbt[1:1] = ["--log-format", "json"]
    with subprocess.Popen(
        dbt, cwd=cwd, env=env, stdout=subprocess.PIPE, text=True, encoding="utf-8"
    ) as process:
        for line in process.stdout or ():
            progress.feed(line)
    return process.returncode


def _run_dbt_in_process(args: list[str]) -> int:
    """The spark target: dbt in this process, so that dbt-spark's `session` method reuses the
    process's Spark session (warehouse.spark) instead of starting a second JVM."""
    from dbt.cli.main import dbtRunner

    os.environ.update(dbt_environment())
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        result = dbtRunner().invoke(args)
    finally:
        os.chdir(cwd)
    return 0 if result.success else 1


def build(
    as_of: str | None,
    full_refresh: bool = False,
    select: list[str] | None = None,
    quiet: bool = False,
    unit_tests: bool = True,
    session: Path | None = None,
    index_lookups: bool = False,
) -> dict[str, int]:
    """Make sure the raw tables exist, then `dbt build` for the as-of date.

    Returns the count of dbt results by status (`success`, `pass`, `warn`, ...).
    With `quiet`, dbt's lines give way to a progress line every few seconds (nodes n/N) and its
    errors; either way a summary line follows, and one line per test that warned or failed saying
    what it found (`warehouse.progress.explain`). Without
    `unit_tests`, the unit tests (the models' logic on fixed inputs, which CI runs) are skipped.
    With `session` (a night, on DuckDB), one dbt process parses once and runs the build, the
    sources' freshness and the docs page (warehouse.dbt_session), and writes what happened
    to that file. With `index_lookups` (the file built is the one readers open), the offer
    lookups' indexes, dropped before dbt, are created again after it (warehouse.lookup_indexes).
    """
    previous = _prepare(as_of)
    if as_of and previous and as_of < previous and not full_refresh:
        print(f"as of {as_of} is before the last build's {previous}: building with --full-refresh.")
        full_refresh = True
    args = ["build"]
    args += ["--full-refresh"] if full_refresh else []
    args += [] if unit_tests else ["--exclude-resource-type", "unit_test"]
    if select:
        args += ["--select", *select]
    if session is not None and target() == "duckdb":
        outcome = dbt_session.run(args[args.index("build") + 1 :], session, progress=quiet)
        status = 0 if outcome.get("build") else 1
    else:
        status = run_dbt(args, as_of, BuildProgress() if quiet else None)
        if status != 0 and only_sessions_failed_to_close():
            print(
                "the Spark Thrift server failed to close a dbt session after its statements ran "
                "(Spark 4.0 lacks Hive's LLAP classes, docs/engines.md): running the nodes that "
                "failed or were skipped again (dbt retry)."
            )
            status = run_dbt(["retry"], progress=BuildProgress() if quiet else None)
    if index_lookups and target() == "duckdb":
        with duckdb.connect(str(warehouse_path())) as con:
            lookup_indexes.create(con)
    counts, flagged = result_counts()
    print("dbt build: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    for status_name, name, explanation in flagged:  # one line each: what the test found
        print(f"  {status_name}: {name}: {explanation}")
    if status != 0:
        where = warehouse_path().name if target() == "duckdb" else f"the {target()} target ({spark_dir()})"
        raise WarehouseError(f"dbt build failed for {where}; see the log above and logs/dbt.log.")
    return counts


def _prepare(as_of: str | None) -> str | None:
    """Make sure the raw tables exist, write the as-of date the build is for, drop the lookup
    indexes (dbt cannot rebuild a table that has one); return the as-of date of the last build,
    if any."""
    if on_spark():
        from warehouse import spark, spark_sql
        from warehouse.land_spark import ensure_raw_schema as ensure_spark_raw_schema

        runner = spark_sql.runner()
        try:
            ensure_spark_raw_schema(runner)
            return spark.built_as_of(runner)
        finally:
            runner.close()
    with duckdb.connect(str(warehouse_path())) as con:
        ensure_raw_schema(con)
        request_as_of(con, as_of)
        lookup_indexes.drop(con)
        return built_as_of(con)


def request_as_of(con: duckdb.DuckDBPyConnection, as_of: str | None) -> None:
    """`control.build_request`: the as-of date the next dbt build reads when its models compile
    (macros/as_of.sql); null means today in the reporting time zone."""
    con.execute("create schema if not exists control")
    con.execute(
        "create or replace table control.build_request as select cast(? as date) as as_of_date", [as_of]
    )


def built_as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    """The as-of date of the last build in this warehouse, if any."""
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'audit' and table_name = 'build_info'"
    ).fetchone()[0]
    return str(con.execute("select max(as_of_date) from audit.build_info").fetchone()[0]) if exists else None


def last_results() -> list[dict]:
    """The node results of the last dbt invocation (run_results.json), if any."""
    path = dbt_target_path() / "run_results.json"
    return json.loads(path.read_text())["results"] if path.exists() else []


def summary() -> dict[str, int]:
    """Test counts of the last dbt invocation, for `audit.runs`."""
    tests = [r for r in last_results() if r["unique_id"].startswith(("test.", "unit_test."))]
    return {
        "tests_passed": sum(r["status"] == "pass" for r in tests),
        "tests_warned": sum(r["status"] == "warn" for r in tests),
        "tests_failed": sum(r["status"] in ("fail", "error") for r in tests),
    }


def only_sessions_failed_to_close() -> bool:
    """Whether every node of the last dbt invocation that errored did so when the Thrift server
    failed to close its session (`TCloseSessionResp`), after the node's statements had run."""
    errors = [r.get("message") or "" for r in last_results() if r["status"] == "error"]
    return bool(errors) and all("TCloseSessionResp" in message for message in errors)


def result_counts() -> tuple[dict[str, int], list[tuple[str, str, str]]]:
    """Statuses of the last dbt invocation's nodes, and the nodes that warned, failed or errored,
    each with one line on what it found."""
    results = last_results()
    counts = dict(Counter(r["status"] for r in results))
    manifest_path = dbt_target_path() / "manifest.json"
    nodes = json.loads(manifest_path.read_text()).get("nodes", {}) if manifest_path.exists() else {}
    flagged = [
        (r["status"], r["unique_id"].split(".")[2], explain(r, nodes))
        for r in results
        if r["status"] in ("warn", "fail", "error")
    ]
    return counts, flagged
