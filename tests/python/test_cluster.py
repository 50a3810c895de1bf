"""`wh cluster up|down|status` where no JVM is needed: nothing running, a port taken, a bad
port, a Spark target without its server. The cluster itself, started and stopped, with a
worker lost, is test_spark.py's."""

from __future__ import annotations

import fcntl
import json
import socket
from pathlib import Path

from conftest import Warehouse


def _env(tmp_path: Path, **more: str) -> dict[str, str]:
    return {"WH_SPARK_DIR": str(tmp_path / "spark"), **more}


def _listening() -> socket.socket:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server


def test_status_and_down_with_nothing_running(warehouse: Warehouse, tmp_path: Path) -> None:
    status = warehouse.run("cluster", "status", check=False, **_env(tmp_path))
    assert status.stdout == "master   stopped\nworker1  stopped\nworker2  stopped\nthrift   stopped\n"
    assert status.returncode == 3
    down = warehouse.run("cluster", "down", **_env(tmp_path))
    assert down.stdout == "the Spark cluster is not running.\n"


def test_up_refuses_a_port_another_program_holds(warehouse: Warehouse, tmp_path: Path) -> None:
    with _listening() as other:
        port = other.getsockname()[1]
        up = warehouse.run("cluster", "up", check=False, **_env(tmp_path, WH_SPARK_MASTER_PORT=str(port)))
    assert up.returncode == 1
    assert up.stderr == f"error: port {port} on 127.0.0.1 is taken by another program.\n"
    assert up.stdout == ""
    assert not (tmp_path / "spark" / "cluster" / "master.pid").exists()  # nothing was started


def test_up_refuses_a_port_that_is_not_a_number(warehouse: Warehouse, tmp_path: Path) -> None:
    up = warehouse.run("cluster", "up", check=False, **_env(tmp_path, WH_SPARK_MASTER_PORT="70x77"))
    assert (up.returncode, up.stderr) == (1, "error: WH_SPARK_MASTER_PORT='70x77' is not a port number.\n")


def test_the_cluster_target_without_its_server_says_how_to_start_it(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    with _listening() as placeholder:  # a port nothing answers on once closed
        port = placeholder.getsockname()[1]
    (tmp_path / "landing").mkdir()
    env = _env(tmp_path, WH_TARGET="spark_cluster", WH_SPARK_THRIFT_PORT=str(port))
    for command in (["land", str(tmp_path / "landing")], ["build"]):
        result = warehouse.run(*command, check=False, **env)
        assert result.returncode == 1
        assert result.stderr == (
            f"error: the Spark Thrift server on 127.0.0.1:{port} does not answer (Could not connect to any "
            f"of [('127.0.0.1', {port})]); start the local one with `scripts/wh cluster up`.\n"
        )


def test_a_night_on_the_cluster_target_without_its_server_fails_in_one_line_and_is_recorded(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """The night fails before landing anything, and is recorded: started, then failed."""
    with _listening() as placeholder:
        port = placeholder.getsockname()[1]
    (tmp_path / "landing").mkdir()
    env = _env(tmp_path, WH_TARGET="spark_cluster", WH_SPARK_THRIFT_PORT=str(port))
    night = ["nightly", str(tmp_path / "landing"), "--as-of", "2026-10-31"]
    for _ in range(2):
        result = warehouse.run(*night, check=False, **env)
        assert result.returncode == 1
        assert result.stderr == (
            "error: nightly run failed on the spark_cluster target: the Spark Thrift server on "
            f"127.0.0.1:{port} does not answer (Could not connect to any of [('127.0.0.1', {port})]); "
            "start the local one with `scripts/wh cluster up`.\n"
        )
    log = Path(env["WH_SPARK_DIR"]) / "nightly.runs.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(r["status"], r["as_of_date"]) for r in records] == [
        ("started", "2026-10-31"),
        ("failed", "2026-10-31"),
    ] * 2


def test_no_landing_on_spark_while_another_command_writes_its_tables(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """`<$WH_SPARK_DIR>.lock`, held here as a night holds it: a landing, a build or a night of
    the same tables refuses in one line, before reaching Spark."""
    env = _env(tmp_path, WH_TARGET="spark_cluster")
    (tmp_path / "landing").mkdir()
    with (tmp_path / "spark.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        for command in (
            ["land", str(tmp_path / "landing")],
            ["build"],
            ["nightly", str(tmp_path / "landing")],
        ):
            result = warehouse.run(*command, check=False, **env)
            assert (result.returncode, result.stdout) == (1, "")
            assert result.stderr == (
                f"error: {tmp_path / 'spark'}: another nightly run, landing or build is writing it; "
                "run this again when it has finished.\n"
            )
