"""Where things are: the project root, the warehouse (DuckDB file or Spark directory), the engine."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb


def project_root() -> Path:
    """The dbt project the commands run: `$WH_PROJECT_DIR`; else the checkout this code is in
    (`scripts/warehouse/`, as `scripts/wh` and an editable install run it); else (an installed
    package) the current directory."""
    configured = os.environ.get("WH_PROJECT_DIR")
    if configured:
        return Path(configured).resolve()
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "dbt_project.yml").exists() else Path.cwd()


ROOT = project_root()
DEMO_DIR = ROOT / "demo_data"
# The demo's history ends here, so that the demo is the same on every machine and day.
DEMO_AS_OF = "2026-10-31"
# dbt targets of profiles.yml that hold a warehouse (`lint` is sqlfluff's)
TARGETS = ("duckdb", "spark", "spark_cluster")
# the Spark targets: `spark` (Spark in the process) and `spark_cluster` (a Thrift server)
SPARK_TARGETS = ("spark", "spark_cluster")


class WarehouseError(Exception):
    """An error for the user: one plain sentence naming the file or argument at fault."""


def os_error_sentence(error: OSError, what: str) -> str:
    """An operating system error as one sentence: `<its file>: <what> (<the system's reason>).`"""
    reason = error.strerror or str(error) or type(error).__name__
    return f"{error.filename}: {what} ({reason})." if error.filename else f"{what} ({reason})."


def warehouse_path() -> Path:
    """`$WH_DB` (relative to the current directory), default `warehouse.duckdb` at the root."""
    configured = os.environ.get("WH_DB")
    return Path(configured).resolve() if configured else ROOT / "warehouse.duckdb"


def target() -> str:
    """The engine: `$WH_TARGET`, `duckdb` (default), `spark` or `spark_cluster`."""
    name = os.environ.get("WH_TARGET") or "duckdb"
    if name not in TARGETS:
        raise WarehouseError(f"WH_TARGET={name!r} is not one of {', '.join(TARGETS)}.")
    return name


def on_spark() -> bool:
    """Whether the target is one of Spark's (same SQL, same tables; see SPARK_TARGETS)."""
    return target() in SPARK_TARGETS


def spark_dir() -> Path:
    """`$WH_SPARK_DIR` (relative to the current directory), default `spark_warehouse/` at the root:
    the spark target's tables, its metastore and derby.log."""
    configured = os.environ.get("WH_SPARK_DIR")
    return Path(configured).resolve() if configured else ROOT / "spark_warehouse"


def require_duckdb(
    what: str = "reading the warehouse", instead: str = "query the tables with Spark SQL (README)"
) -> None:
    """Commands that read or publish the DuckDB file refuse the spark target in one sentence."""
    if target() != "duckdb":
        raise WarehouseError(
            f"{what} works on the duckdb target only (WH_TARGET={target()}); on Spark, {instead}."
        )


def dbt_target_path() -> Path:
    """dbt's target directory: `target/` for DuckDB, `target/<target>/` for the Spark targets, so
    that switching engines keeps each one's partial parse (a profile change makes dbt parse
    everything again)."""
    return ROOT / "target" / target() if on_spark() else ROOT / "target"


def dbt_executable() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def duckdb_resources() -> dict[str, str]:
    """DuckDB's workers and memory limit, from the machine (each overridable).

    All cores; a quarter of the physical memory, so that a build leaves room for the
    readers and the OS (beyond it DuckDB spills to `<warehouse>.tmp`).
    """
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "WH_DUCKDB_THREADS": str(os.cpu_count() or 1),
        "WH_DUCKDB_MEMORY_LIMIT": f"{max(1, int(memory_gb / 4))}GB",
    }


def dbt_environment() -> dict[str, str]:
    env = {**duckdb_resources(), **os.environ}
    env["WH_DB"] = str(warehouse_path())
    env["WH_TARGET"] = target()
    env["WH_SPARK_DIR"] = str(spark_dir())
    env["DBT_TARGET_PATH"] = str(dbt_target_path())
    env["DBT_PROFILES_DIR"] = str(ROOT)
    env["DBT_PROJECT_DIR"] = str(ROOT)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return env


def dbt_process() -> tuple[Path, dict[str, str]]:
    """Where a dbt process runs and its environment.

    On DuckDB, dbt runs in the warehouse file's directory and the profile names the file by
    its name alone (`WH_DB=warehouse.duckdb`). dbt throws its partial parse away when the
    profile changes, and an absolute path made every warehouse a new profile (a full parse,
    several seconds, on each first build or night of a warehouse); now all warehouses of one
    name share a profile. The readers' file and the build state (`<stem>.build.duckdb`) are
    still two: a `wh build` of a new warehouse after nights parses in full once.
    """
    env = dbt_environment()
    if target() != "duckdb":
        return ROOT, env
    path = warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    env["WH_DB"] = path.name
    return path.parent, env


# Where a table named without a schema is looked up (Sigma's queries name none), in this order.
SEARCH_PATH = ("capital", "collections")


def open_read_only() -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only (what readers, exports and `wh offer` open).

    Unqualified table names resolve in `SEARCH_PATH`; the session time zone is UTC whatever
    the machine's, so that timestamptz values print, truncate and cast as UTC instants.
    """
    require_duckdb()
    path = warehouse_path()
    if not path.exists():
        raise WarehouseError(f"{path}: no warehouse here yet; run `scripts/wh demo` or `scripts/wh build`.")
    con = duckdb.connect(str(path), read_only=True)
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set search_path = '{','.join(SEARCH_PATH)}'")
    return con
