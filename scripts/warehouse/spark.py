"""The spark target: one in-process Spark session, configured as dbt's profile says.

`profiles.yml` (output `spark`, its `server_side_parameters`) is the one place
the Spark configuration is written; landing and `wh build` read it from there,
so the raw tables, the metastore and the models live in the same place
(`$WH_SPARK_DIR`). `wh build` runs dbt in this same process: dbt-spark's
`session` method then reuses the session (one JVM start, not two, and one
process holding the local metastore).
"""

from __future__ import annotations

import os
import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import yaml

from warehouse.settings import ROOT, WarehouseError, dbt_environment

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from warehouse.spark_sql import SparkSql

PROFILE = "club_warehouse"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")


def java_available() -> bool:
    """pyspark starts a JVM: `$JAVA_HOME/bin/java`, else `java` on the PATH."""
    home = os.environ.get("JAVA_HOME")
    return bool(home and (Path(home) / "bin" / "java").exists()) or shutil.which("java") is not None


def profile_output(name: str, env: dict[str, str] | None = None) -> dict:
    """An output of the profile (`spark`, `spark_cluster`) with its `env_var()` calls resolved:
    its fields as text, `server_side_parameters` as a dict of text."""
    env = env if env is not None else dbt_environment()
    output = yaml.safe_load((ROOT / "profiles.yml").read_text())[PROFILE]["outputs"][name]

    def env_var(variable: str, default: str | None = None) -> str:
        if variable in env:
            return env[variable]
        if default is None:
            raise WarehouseError(
                f"profiles.yml: the {name} target needs the environment variable {variable}."
            )
        return default

    jinja = jinja2.Environment(undefined=jinja2.StrictUndefined)
    jinja.globals["env_var"] = env_var
    jinja.filters["as_number"] = lambda text: text

    def render(value: object) -> str:
        return jinja.from_string(str(value)).render()

    rendered: dict = {str(k): render(v) for k, v in output.items() if k != "server_side_parameters"}
    rendered["server_side_parameters"] = {
        str(k): render(v) for k, v in (output.get("server_side_parameters") or {}).items()
    }
    return rendered


def parameters(env: dict[str, str] | None = None, output: str = "spark") -> dict[str, str]:
    """The Spark settings of a Spark output of the profile (`server_side_parameters`)."""
    rendered = profile_output(output, env)["server_side_parameters"]
    # dbt-spark forces this on every connection; landing must cast as the models do
    ansi = "set:hiveconf:spark.sql.ansi.enabled" if output == "spark_cluster" else "spark.sql.ansi.enabled"
    rendered[ansi] = "false"
    return rendered


def session() -> SparkSession:
    """The process's Spark session (started on first use, about 10 s), with Hive support
    so that tables outlive the process."""
    if not java_available():
        raise WarehouseError(
            "the spark target needs Java 17 or later: install a JDK or set JAVA_HOME (WH_TARGET=spark)."
        )
    env = dbt_environment()
    os.environ.update(env)  # dbt, run in this process, reads the same
    # pyspark warns about pandas 3 (the dashboard's) on import; nothing here uses pandas
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from pyspark.logger import PySparkLogger
    from pyspark.sql import SparkSession

    settings = parameters(env)
    # quiet: Spark's log at errors only, no progress bars, and pyspark's own log of every
    # failed statement off (the error reaches dbt or the command, which say it once)
    java_options = settings.get("spark.driver.extraJavaOptions", "")
    settings["spark.driver.extraJavaOptions"] = f"{java_options} -Dlog4j2.configurationFile={LOG_CONFIG}"
    settings.setdefault("spark.ui.showConsoleProgress", "false")
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).disabled = True
    builder = SparkSession.builder.enableHiveSupport().appName("club-warehouse")
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def built_as_of(runner: SparkSql) -> str | None:
    """The as-of date of the last build on a Spark target, if any (see build.built_as_of)."""
    if not runner.sql("show databases like 'audit'"):
        return None
    if not runner.sql("show tables in audit like 'build_info'"):
        return None
    value = runner.sql("select max(as_of_date) from audit.build_info")[0][0]
    return str(value) if value is not None else None
