"""`wh bench` as a smoke test: it completes at a small scale and prints every figure.

No time is asserted (the machines are shared); the figures are checked for presence
and for what does not depend on speed: the rows it landed and the JSON it writes.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Warehouse


def test_bench_prints_and_writes_every_figure(warehouse: Warehouse, tmp_path: Path) -> None:
    figures_path = tmp_path / "bench.json"
    result = warehouse.run(
        "bench", "--scale", "1000", "--months", "3", "--long-months", "4", "--work", str(tmp_path / "bench"),
        "--json", str(figures_path),
    )
    for heading in (
        "rows per raw table",
        "generate", "land", "full refresh build", "history night (day - 1)", "one nightly day",
        "records/s", "full build / floor =", "one nightly day / full refresh =",
        "ten slowest models of the full build",
        "one nightly day, step by step", "land", "parse", "models_nodes", "tests_nodes", "publish", "docs",
        "one nightly day on 4 months of history:", "/ on 3 months =", "its history night",
        "topline", "monthly charts", "daily series", "offer detail", "offers by account",
    ):
        assert heading in result.stdout, heading
    figures = json.loads(figures_path.read_text())
    assert figures["scale"] == 1000 and figures["months"] == 3
    # every record the generator wrote was landed: the rows per kind add up to the total
    assert sum(figures["rows"].values()) == figures["land"]["records"] > 0
    assert len(figures["slowest_models"]) == 10
    assert set(figures["dashboard_queries"]) == {
        "topline", "monthly charts", "daily series", "offer detail", "offers by account",
    }
    for phase in ("land", "full_refresh", "history_night", "nightly_day"):
        assert figures[phase]["seconds"] > 0 and figures[phase]["peak_rss_mb"] > 0
    # the night's steps, from its runs record; a night on the longer history, with its own figures
    assert set(figures["night_breakdown"]) == {
        "land", "parse", "build", "models_nodes", "tests_nodes", "freshness", "docs", "publish",
    }
    assert all(seconds > 0 for seconds in figures["night_breakdown"].values())
    assert figures["long"]["months"] == 4 and figures["long"]["nightly_day"]["seconds"] > 0
    assert figures["long"]["history_night"]["peak_rss_mb"] > 0
    # the shorter history's warehouses were removed before the longer one's were built
    assert not list((tmp_path / "bench" / "scale1000_months3").glob("*.duckdb*"))
    assert (tmp_path / "bench" / "scale1000_months4" / "history.duckdb").exists()
