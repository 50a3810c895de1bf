"""`wh metrics`: MetricFlow (`mf`) on the warehouse, with the project's profile and target path.

A thin wrapper: `wh metrics query --metrics originated --group-by metric_time__month` runs
`mf query --metrics originated --group-by metric_time__month` from the project root with the
environment `wh build` gives dbt (warehouse file, profile, target directory).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from warehouse.build import run_dbt
from warehouse.settings import (
    ROOT,
    WarehouseError,
    dbt_environment,
    dbt_target_path,
    require_duckdb,
    warehouse_path,
)


def mf_executable() -> str:
    return str(Path(sys.executable).with_name("mf"))


def semantic_manifest() -> Path:
    """The semantic manifest `dbt parse` (and every dbt build) writes, which MetricFlow reads."""
    return dbt_target_path() / "semantic_manifest.json"


def manifest_database() -> str | None:
    """The database the semantic manifest's relations name (the warehouse file it was parsed
    for: dbt-duckdb names the database after the file), or None without a manifest."""
    try:
        models = json.loads(semantic_manifest().read_text())["semantic_models"]
    except (OSError, ValueError, KeyError):
        return None
    return models[0]["node_relation"]["database"] if models else None


def run_mf(args: list[str]) -> int:
    """Run `mf ARGS` against the warehouse; returns mf's exit status."""
    require_duckdb("`wh metrics`", "query the tables with Spark SQL (README)")
    path = warehouse_path()
    if not path.exists():
        raise WarehouseError(f"{path}: no warehouse here yet; run `scripts/wh demo` or `scripts/wh build`.")
    if not args:
        raise WarehouseError("name an mf command, e.g. `wh metrics list metrics` or `wh metrics query ...`.")
    # a manifest parsed for another warehouse file names its tables in that file's database
    if manifest_database() != path.stem and run_dbt(["--quiet", "parse"]) != 0:
        raise WarehouseError("dbt parse failed, so MetricFlow has no semantic manifest; see logs/dbt.log.")
    if not Path(mf_executable()).exists():
        raise WarehouseError(f"{mf_executable()}: MetricFlow is not installed; run scripts/setup.")
    return subprocess.run([mf_executable(), *args], cwd=ROOT, env=dbt_environment(), check=False).returncode
