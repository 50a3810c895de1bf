"""`wh build`: the dbt build (models and tests) for an as-of date."""

from __future__ import annotations

import datetime as dt
import json
import subprocess

import duckdb

from warehouse.land import ensure_raw_schema
from warehouse.settings import ROOT, WarehouseError, dbt_environment, dbt_executable, warehouse_path


def parse_date(text: str, argument: str = "--as-of") -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise WarehouseError(f"{argument} {text!r} is not a date of the form YYYY-MM-DD.") from None


def run_dbt(args: list[str], as_of: str | None = None) -> int:
    """Run one dbt command from the project root; returns its exit status."""
    command = [dbt_executable(), *args]
    if as_of:
        command += ["--vars", json.dumps({"as_of_date": as_of})]
    return subprocess.run(command, cwd=ROOT, env=dbt_environment(), check=False).returncode


def build(as_of: str | None, full_refresh: bool = False, select: list[str] | None = None) -> None:
    """Make sure the raw tables exist, then `dbt build` for the as-of date."""
    with duckdb.connect(str(warehouse_path())) as con:
        ensure_raw_schema(con)
    args = ["build"] + (["--full-refresh"] if full_refresh else [])
    if select:
        args += ["--select", *select]
    if run_dbt(args, as_of) != 0:
        raise WarehouseError(
            f"dbt build failed for {warehouse_path().name}; see the log above and logs/dbt.log."
        )
