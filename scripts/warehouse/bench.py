"""`wh bench`: how fast the warehouse lands, builds, runs a night and answers the dashboard.

Every phase runs as its own child process (`scripts/wh ...`), so its wall time and its
peak resident memory (the kernel's accounting of the child and what it waited for) are
its own. Figures are printed as one table and, with `--json`, written for comparison.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

import duckdb

from warehouse.build import last_results
from warehouse.settings import ROOT
from warehouse.slicing import slice_by_day

END = dt.date(2026, 10, 31)
DASHBOARD_QUERIES = {
    "topline": "select * from capital.topline",
    "monthly charts": "select * from capital.monthly_financing order by month",
    "daily series": "select * from capital.daily_program_metrics order by metric_date",
    "offer detail": (
        "select o.*, t.* from capital.financing_offers as o "
        "left join capital.connected_account_financing_transactions as t on t.financing_offer = o.id "
        "where o.id = $id"
    ),
    "offers by account": (
        "select * from capital.financing_offers where account_id = $account order by created_at"
    ),
}


def phase(args: list[str], db: Path) -> dict[str, float]:
    """Run `scripts/wh ARGS` on warehouse `db`; its wall seconds and peak RSS in MB."""
    env = dict(os.environ, WH_DB=str(db))
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(ROOT / "scripts" / "wh"), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: `wh {' '.join(args)}` failed: {process.stderr.read().decode()[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}


def slowest_models(count: int = 10) -> list[tuple[str, float]]:
    models = [
        (r["unique_id"].split(".")[-1], r["execution_time"])
        for r in last_results()
        if r["unique_id"].startswith("model.")
    ]
    return sorted(models, key=lambda m: -m[1])[:count]


def floor_seconds(db: Path) -> float:
    """DuckDB scanning once every raw column the models read: one select of aggregates."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select table_name, list(column_name) from information_schema.columns "
            "where table_schema = 'raw' and table_name not in ('landed_files', 'landing_rejects') "
            "group by table_name"
        ).fetchall()
        parts = [
            "select "
            + " + ".join(f'coalesce(sum(length(cast("{c}" as varchar))), 0)' for c in columns)
            + f" as n from raw.{table}"
            for table, columns in tables
        ]
        started = time.perf_counter()
        con.execute(" union all ".join(parts)).fetchall()
        return time.perf_counter() - started


def query_latencies(db: Path, repeat: int = 30) -> dict[str, dict[str, float]]:
    with duckdb.connect(str(db), read_only=True) as con:
        offer_id, account = con.execute(
            "select id, account_id from capital.financing_offers where state = 'paid_out' limit 1"
        ).fetchone()
        latencies = {}
        for name, sql in DASHBOARD_QUERIES.items():
            params = {k: v for k, v in {"id": offer_id, "account": account}.items() if f"${k}" in sql}
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                con.execute(sql, params).fetchall()
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            latencies[name] = {
                "p50_ms": statistics.median(times),
                "p95_ms": times[int(0.95 * (len(times) - 1))],
            }
    return latencies


def landing_set(scale: int, months: int, work: Path, figures: dict[str, Any]) -> tuple[Path, Path, Path]:
    """The bench's data folder for a scale and history, its generated landing set and that set
    sliced into a history and the last day's night; generated (timed into `figures`) and
    sliced only the first time."""
    data = work / f"scale{scale}_months{months}"
    generated = data / "landing"
    if not generated.exists():
        figures["generate"] = phase(
            ["generate", "--out", str(generated), "--scale", str(scale), "--months", str(months)],
            work / "none",
        )
    nights = data / "nights"
    if not nights.exists():
        slice_by_day(generated, nights, [END])
    return data, generated, nights


def run(scale: int, months: int, repeat: int, work: Path, long_months: int = 0) -> dict[str, Any]:
    figures: dict[str, Any] = {"scale": scale, "months": months, "repeat": repeat}
    data, generated, nights = landing_set(scale, months, work, figures)
    full_db = data / "full.duckdb"
    remove_warehouses(data)
    figures["land"] = phase(["land", str(generated)], full_db)
    with duckdb.connect(str(full_db), read_only=True) as con:
        records = con.execute("select sum(row_count) from raw.landed_files").fetchone()[0]
        figures["rows"] = dict(
            con.execute(
                "select kind, sum(row_count) from raw.landed_files group by kind order by kind"
            ).fetchall()
        )
    figures["land"]["records"] = records
    figures["land"]["records_per_second"] = records / figures["land"]["seconds"]
    builds = [phase(["build", "--as-of", END.isoformat(), "--full-refresh"], full_db) for _ in range(repeat)]
    figures["full_refresh"] = _median(builds)
    figures["slowest_models"] = slowest_models()
    figures["floor_seconds"] = floor_seconds(full_db)
    figures["full_over_floor"] = figures["full_refresh"]["seconds"] / figures["floor_seconds"]
    figures["dashboard_queries"] = query_latencies(full_db)

    figures.update(night_figures(data, nights, repeat))
    figures["nightly_over_full"] = figures["nightly_day"]["seconds"] / figures["full_refresh"]["seconds"]
    if long_months:
        remove_warehouses(data)  # measured: their disk goes to the longer history
        figures["long"] = long_history(scale, long_months, work)
    return figures


def remove_warehouses(data: Path) -> None:
    """The warehouses of an earlier run in a data folder, with their runs records and docs pages
    (a night reads its runs record into `audit.runs`); the landing set stays."""
    for path in data.iterdir():
        if path.is_file() and path.name.startswith(("full.", "history.")):
            path.unlink()


def night_figures(data: Path, nights: Path, repeat: int) -> dict[str, Any]:
    """The history night (day - 1, on a new warehouse), then the last day's night `repeat` times,
    each on that night's warehouse restored, at the same paths (a night's dbt parse is partial
    from the night before, as on a warehouse that runs every night)."""
    figures: dict[str, Any] = {}
    history_db = data / "history.duckdb"
    day_before = (END - dt.timedelta(days=1)).isoformat()
    figures["history_night"] = phase(["nightly", str(nights / "night_0"), "--as-of", day_before], history_db)
    kept = data / "history_kept"  # a copy to restore before each night, when there are several
    shutil.rmtree(kept, ignore_errors=True)
    files = [p for p in data.iterdir() if p.is_file() and p.name.startswith("history.")]
    if repeat > 1:
        kept.mkdir()
        for path in files:
            shutil.copyfile(path, kept / path.name)
    days, breakdowns = [], []
    for night in range(repeat):
        if night:
            for path in files:
                shutil.copyfile(kept / path.name, path)
        days.append(phase(["nightly", str(nights / "night_1"), "--as-of", END.isoformat()], history_db))
        breakdowns.append(last_night_seconds(history_db))
    shutil.rmtree(kept, ignore_errors=True)
    figures["nightly_day"] = _median(days)
    figures["night_breakdown"] = {
        step: statistics.median(b.get(step, 0.0) for b in breakdowns) for step in NIGHT_STEPS
    }
    return figures


# the steps of a night (runs record `seconds`): models and tests are their nodes' summed run times
NIGHT_STEPS = ("land", "parse", "build", "models_nodes", "tests_nodes", "freshness", "docs", "publish")


def last_night_seconds(db: Path) -> dict[str, float]:
    log = db.with_name(db.stem + ".runs.jsonl")
    return json.loads(log.read_text().splitlines()[-1]).get("seconds", {})


def long_history(scale: int, months: int, work: Path) -> dict[str, Any]:
    """One nightly day on a history of `months` months (generated and landed by its history night)."""
    figures: dict[str, Any] = {"months": months}
    data, _, nights = landing_set(scale, months, work, figures)
    remove_warehouses(data)
    figures.update(night_figures(data, nights, 1))
    return figures


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "runs_seconds": [round(r["seconds"], 2) for r in runs],
    }


def render(f: dict[str, Any]) -> str:
    lines = [f"bench: scale {f['scale']}, {f['months']} months, median of {f['repeat']}", ""]
    lines += ["rows per raw table"] + [f"  {k:28}{v:>12,}" for k, v in f["rows"].items()]
    land = f["land"]
    lines += [
        "",
        f"{'phase':28}{'seconds':>10}{'peak RSS MB':>14}",
        *(
            f"{name:28}{f[key]['seconds']:>10.1f}{f[key]['peak_rss_mb']:>14.0f}"
            for name, key in [
                ("generate", "generate"),
                ("land", "land"),
                ("full refresh build", "full_refresh"),
                ("history night (day - 1)", "history_night"),
                ("one nightly day", "nightly_day"),
            ]
            if key in f
        ),
        "",
        f"landing: {land['records']:,} records, {land['records_per_second']:,.0f} records/s",
        f"floor (one scan of every raw column): {f['floor_seconds']:.2f} s; full build / floor = "
        f"{f['full_over_floor']:.1f}",
        f"one nightly day / full refresh = {f['nightly_over_full']:.1%}",
        "",
        "one nightly day, step by step (seconds; models and tests: their nodes' summed run times)",
        *(f"  {step:26}{f['night_breakdown'][step]:>10.1f}" for step in NIGHT_STEPS),
        *(
            [
                f"one nightly day on {f['long']['months']} months of history: "
                f"{f['long']['nightly_day']['seconds']:.1f} s; / on {f['months']} months = "
                f"{f['long']['nightly_day']['seconds'] / f['nightly_day']['seconds']:.2f}",
                f"  peak RSS MB: {f['long']['nightly_day']['peak_rss_mb']:.0f}; its history night "
                f"{f['long']['history_night']['seconds']:.1f} s, peak RSS MB "
                f"{f['long']['history_night']['peak_rss_mb']:.0f}",
            ]
            if "long" in f
            else []
        ),
        "",
        "ten slowest models of the full build",
        *(f"  {name:60}{seconds:>8.2f} s" for name, seconds in f["slowest_models"]),
        "",
        f"{'dashboard query':28}{'p50 ms':>10}{'p95 ms':>10}",
        *(f"{n:28}{q['p50_ms']:>10.1f}{q['p95_ms']:>10.1f}" for n, q in f["dashboard_queries"].items()),
    ]
    return "\n".join(lines)
