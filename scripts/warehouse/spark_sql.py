"""SQL on the Spark targets, one interface for both: the `spark` target's in-process session
and the `spark_cluster` target's Thrift server (what dbt-spark's `thrift` method talks to).

Landing and `wh build`'s bookkeeping send SQL text only, so the same code reaches Spark in
the process and a Spark cluster: `runner().sql(text)` gives the rows as tuples, and a
statement Spark refuses raises `SparkSqlError` with Spark's one-line reason.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from warehouse.settings import WarehouseError, target

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

# The Thrift server wraps Spark's message: "Error running query: [CODE] <exception class>: ..."
_THRIFT_PREFIX = re.compile(r"^Error running query: (?:\[\w+\] )?(?:[\w.$]+(?:Exception|Error): )?")


class SparkSqlError(Exception):
    """A statement Spark refused; the message is Spark's reason, on one line."""


class SparkSql(Protocol):
    def sql(self, text: str) -> list[tuple]: ...

    def close(self) -> None: ...


class SessionSql:
    """The process's Spark session (the `spark` target)."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    def sql(self, text: str) -> list[tuple]:
        try:
            return [tuple(row) for row in self.spark.sql(text).collect()]
        except Exception as error:
            if not type(error).__module__.startswith(("pyspark", "py4j")):
                raise
            raise SparkSqlError(_first_line(str(error))) from None

    def close(self) -> None:  # the session stays: dbt reuses it in this process
        pass


class ThriftSql:
    """One session of the Thrift server of the profile's `spark_cluster` output."""

    def __init__(self) -> None:
        import logging

        from pyhive import hive
        from thrift.transport.TTransport import TTransportException

        from warehouse.spark import profile_output

        output = profile_output("spark_cluster")
        host, port = output["host"], int(output["port"])
        # as dbt-spark's connections: the profile's settings, ANSI mode off (docs/engines.md)
        configuration = {**output["server_side_parameters"], "set:hiveconf:spark.sql.ansi.enabled": "false"}
        # thrift logs a failed connect itself; the error below says it once
        logging.getLogger("thrift.transport.TSocket").setLevel(logging.CRITICAL)
        fields = {
            "username": output.get("user"),
            "auth": output.get("auth"),
            "kerberos_service_name": output.get("kerberos_service_name"),
            "password": output.get("password"),
        }
        try:
            if str(output.get("use_ssl", "")).lower() == "true":  # as dbt-spark connects
                from dbt.adapters.spark.connections import build_ssl_transport

                transport = build_ssl_transport(host=host, port=port, **fields)
                self.connection = hive.connect(thrift_transport=transport, configuration=configuration)
            else:
                self.connection = hive.connect(host=host, port=port, configuration=configuration, **fields)
        except (TTransportException, OSError) as error:
            raise WarehouseError(
                f"the Spark Thrift server on {host}:{port} does not answer ({_first_line(str(error))}); "
                "start the local one with `scripts/wh cluster up`."
            ) from None
        self.cursor = self.connection.cursor()

    def sql(self, text: str) -> list[tuple]:
        from pyhive.exc import OperationalError, ProgrammingError

        try:
            self.cursor.execute(text)
        except OperationalError as error:
            status = getattr(error.args[0], "status", None) if error.args else None
            message = getattr(status, "errorMessage", None) or str(error)
            raise SparkSqlError(_THRIFT_PREFIX.sub("", _first_line(message))) from None
        try:
            return [tuple(row) for row in self.cursor.fetchall()]
        except ProgrammingError:  # a statement without a result set
            return []

    def close(self) -> None:
        self.cursor.close()
        self.connection.close()


def runner() -> SparkSql:
    """SQL on the configured Spark target (`$WH_TARGET`)."""
    if target() == "spark_cluster":
        return ThriftSql()
    from warehouse.spark import session

    return SessionSql(session())


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["(no reason given)"])[0]


def literal(value: object) -> str:
    """A value as Spark SQL: NULL, a number, or a string literal (backslash and quote escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"
