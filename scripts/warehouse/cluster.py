"""`wh cluster up|down|status`: a local Spark standalone cluster on 127.0.0.1, for the
`spark_cluster` target.

Four processes, each its own JVM from the pinned pyspark wheel (`bin/spark-class`,
`bin/spark-submit`): a standalone master, two workers (one core and a small memory each),
and a Spark Thrift Server (HiveThriftServer2) submitted to that master, its executors on
the workers. The Thrift server holds the metastore: Derby, embedded, in
`$WH_SPARK_DIR/metastore_db`, a directory that outlives the server (a new `up` finds the
tables again); its tables are parquet files under `$WH_SPARK_DIR/tables`, as the spark
target's. Logs and pid files are in `$WH_SPARK_DIR/cluster/`. Each process is the leader
of a process group of its own (a worker's executors are in its group), so that `down`
stops each with what it started, and a test can kill one worker the way a machine is lost.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from warehouse.settings import WarehouseError, spark_dir
from warehouse.spark import java_available, parameters

HOST = "127.0.0.1"
MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
THRIFT_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
WORKERS = 2
# each worker's share: one core, and room for one executor
WORKER_MEMORY = "1g"
EXECUTOR_MEMORY = "768m"
# the JVM's C1 compiler only, with C2's code cache (as the spark target's driver: docs/engines.md)
JAVA_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=240m"


@dataclass(frozen=True)
class Process:
    name: str  # master, worker1, worker2, thrift
    main_class: str

    @property
    def log(self) -> Path:
        return cluster_dir() / f"{self.name}.log"

    @property
    def pid_file(self) -> Path:
        return cluster_dir() / f"{self.name}.pid"

    def pid(self) -> int | None:
        """The pid of this process if it runs (its pid file names a live JVM of its class)."""
        try:
            pid = int(self.pid_file.read_text().strip())
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            return None
        if state in ("Z", "X"):  # ended, not yet reaped
            return None
        # empty while `spark-class` execs the JVM; else another program that got the pid
        return pid if not command or self.main_class.encode() in command else None


PROCESSES = (
    Process("master", MASTER_CLASS),
    *(Process(f"worker{i}", WORKER_CLASS) for i in range(1, WORKERS + 1)),
    Process("thrift", THRIFT_CLASS),
)


def cluster_dir() -> Path:
    return spark_dir() / "cluster"


def master_port() -> int:
    return _port("WH_SPARK_MASTER_PORT", 7077)


def thrift_port() -> int:
    return _port("WH_SPARK_THRIFT_PORT", 10000)


def _port(name: str, default: int) -> int:
    text = os.environ.get(name, str(default))
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise WarehouseError(f"{name}={text!r} is not a port number.")
    return int(text)


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def _spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def _command(process: Process) -> list[str]:
    bin_dir = _spark_home() / "bin"
    master = f"spark://{HOST}:{master_port()}"
    if process.name == "master":
        return [str(bin_dir / "spark-class"), MASTER_CLASS, "--host", HOST, "--port", str(master_port()),
                "--webui-port", "0"]  # fmt: skip
    if process.name.startswith("worker"):
        work = cluster_dir() / process.name
        return [str(bin_dir / "spark-class"), WORKER_CLASS, "--host", HOST, "--cores", "1",
                "--memory", WORKER_MEMORY, "--webui-port", "0", "--work-dir", str(work), master]  # fmt: skip
    warehouse = spark_dir()
    settings = {
        "spark.sql.warehouse.dir": str(warehouse / "tables"),
        "spark.executor.memory": EXECUTOR_MEMORY,
        "spark.executor.cores": "1",
        "spark.executor.extraJavaOptions": JAVA_OPTIONS,
        "spark.ui.enabled": "false",
        # every session's defaults, as the profile's spark_cluster output sets them
        **{
            key.removeprefix("set:hiveconf:"): value
            for key, value in parameters(output="spark_cluster").items()
        },
    }
    command = [str(bin_dir / "spark-submit"), "--master", master, "--class", THRIFT_CLASS,
               "--name", "club-warehouse-thrift", "--driver-memory", "1g",
               "--driver-java-options", f"-Dderby.system.home={warehouse} {JAVA_OPTIONS}"]  # fmt: skip
    for key, value in settings.items():
        command += ["--conf", f"{key}={value}"]
    return [*command, "--hiveconf", f"hive.server2.thrift.bind.host={HOST}",
            "--hiveconf", f"hive.server2.thrift.port={thrift_port()}", "spark-internal"]  # fmt: skip


def _start(process: Process) -> None:
    cluster_dir().mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SPARK_HOME=str(_spark_home()), SPARK_LOCAL_IP=HOST)
    with process.log.open("ab") as log:
        started = subprocess.Popen(
            _command(process),
            cwd=spark_dir(),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, and it outlives `wh`
        )
    process.pid_file.write_text(f"{started.pid}\n")


def _wait(process: Process, ready, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if process.pid() is None:
            raise WarehouseError(f"the Spark {what} stopped while starting; see {process.log}.")
        if time.monotonic() > deadline:
            raise WarehouseError(
                f"the Spark {what} did not answer within {timeout:.0f} s; see {process.log}."
            )
        time.sleep(0.5)


def _registered_workers() -> int:
    master_log = PROCESSES[0].log
    text = master_log.read_text(errors="replace") if master_log.exists() else ""
    return text.count("Registering worker") - text.count("Removing worker")


def up(timeout: float | None = None) -> None:
    """Start what is not running, in order, and wait until the Thrift server answers."""
    if not java_available():
        raise WarehouseError(
            "the local Spark cluster needs Java 17 or later: install a JDK or set JAVA_HOME."
        )
    timeout = timeout if timeout is not None else float(os.environ.get("WH_CLUSTER_TIMEOUT", "180"))
    master, *workers, thrift = PROCESSES
    if all(p.pid() for p in PROCESSES) and _answers(thrift_port()):
        print(f"the Spark cluster is up: Thrift server on {HOST}:{thrift_port()}.")
        return
    if master.pid() is None:
        if _answers(master_port()):
            raise WarehouseError(f"port {master_port()} on {HOST} is taken by another program.")
        master.log.unlink(missing_ok=True)
        _start(master)
        print(f"starting the Spark master on {HOST}:{master_port()} ...")
    _wait(master, lambda: _answers(master_port()), "master", timeout)
    for worker in workers:
        if worker.pid() is None:
            _start(worker)
            print(f"starting {worker.name} (1 core, {WORKER_MEMORY}) ...")
    for worker in workers:
        _wait(worker, lambda: _registered_workers() >= WORKERS, f"{worker.name}", timeout)
    if thrift.pid() is None:
        if _answers(thrift_port()):
            raise WarehouseError(f"port {thrift_port()} on {HOST} is taken by another program.")
        _start(thrift)
        print(f"starting the Thrift server on {HOST}:{thrift_port()} (about 30 s) ...")
    _wait(thrift, lambda: _answers(thrift_port()), "Thrift server", timeout)
    print(f"the Spark cluster is up: Thrift server on {HOST}:{thrift_port()}, logs in {cluster_dir()}.")


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (zombies, ended but not yet reaped, left out)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in ("Z", "X") and int(fields[2]) == pgid:
            members.append(int(stat.parent.name))
    return members


def stop(process: Process, sig: signal.Signals = signal.SIGTERM, timeout: float = 20) -> bool:
    """Stop one process and its group (a worker's executors); True if it was running."""
    pid = process.pid()
    if pid is None:
        process.pid_file.unlink(missing_ok=True)
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
    deadline = time.monotonic() + timeout
    while group_members(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if group_members(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
        while group_members(pid):
            time.sleep(0.2)
    process.pid_file.unlink(missing_ok=True)
    return True


def down() -> None:
    """Stop the Thrift server, the workers, then the master; nothing running is not an error."""
    stopped = [process.name for process in reversed(PROCESSES) if stop(process)]
    print(f"stopped {', '.join(stopped)}." if stopped else "the Spark cluster is not running.")


def status() -> int:
    """One line per process; 0 when all run and the Thrift server answers, else 3."""
    running = True
    for process in PROCESSES:
        pid = process.pid()
        running = running and pid is not None
        state = f"running (pid {pid})" if pid else "stopped"
        if process.name == "master" and pid:
            state += f", {HOST}:{master_port()}, {_registered_workers()} workers registered"
        if process.name == "thrift" and pid:
            answers = _answers(thrift_port())
            running = running and answers
            state += f", {HOST}:{thrift_port()} " + ("answers" if answers else "not answering yet")
        print(f"{process.name:8} {state}")
    return 0 if running else 3
