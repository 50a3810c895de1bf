"""A night's dbt work in one dbt process: the project parsed once, then the build, the
sources' freshness and the docs page on that one manifest.

Each dbt command line is a new process that starts Python and dbt again (about 4 s here)
and parses the project (partially at best); a night used to pay that three times. Here
`nightly` starts `python -m warehouse.dbt_session SPEC` (a child process, so that every
DuckDB connection dbt opens is closed when it exits, and a `kill -9` of the night's
process group ends it too), which runs `dbt parse` (partial: the as-of date is not a var,
see build.request_as_of) and hands its manifest to `build`, `source freshness` and
`docs generate` (dbt's `dbtRunner(manifest=...)`), timing each. It writes what happened
to the JSON file the spec names:
`{"seconds": {"parse": s, "build": s, "freshness": s, "docs": s}, "build": ok, ...}`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from warehouse.progress import RESULTS, BuildProgress
from warehouse.settings import dbt_process


def run(
    build_args: list[str], result: Path, freshness: bool = True, docs: bool = True, progress: bool = False
) -> dict[str, Any]:
    """Run the session in a child process; returns what it wrote (`{}` if it wrote nothing).
    With `progress`, the build prints how far it is every few seconds (warehouse.progress)."""
    result.unlink(missing_ok=True)
    spec = {
        "build_args": build_args,
        "result": str(result),
        "freshness": freshness,
        "docs": docs,
        "progress": progress,
    }
    cwd, env = dbt_process()
    subprocess.run(
        [sys.executable, "-m", "warehouse.dbt_session", json.dumps(spec)], cwd=cwd, env=env, check=False
    )
    try:
        return json.loads(result.read_text())
    except (OSError, ValueError):
        return {}


def _session(spec: dict[str, Any]) -> dict[str, Any]:
    from dbt.cli.main import dbtRunner

    outcome: dict[str, Any] = {"seconds": {}}

    def timed(name: str, runner: dbtRunner, args: list[str]) -> Any:
        # dbt's --quiet prints its errors; the progress lines go between them
        started = time.perf_counter()
        result = runner.invoke(["--quiet", *args])
        outcome["seconds"][name] = time.perf_counter() - started
        outcome[name] = bool(result.success)
        return result

    progress = BuildProgress() if spec.get("progress") else None
    if progress:
        progress.event("MainReportVersion", "", "", {})  # "reading the project ..."
    parsed = timed("parse", dbtRunner(), ["parse"])
    if not parsed.success:
        return outcome
    callbacks = [_progress_callback(progress)] if progress else []
    builder = dbtRunner(manifest=parsed.result, callbacks=callbacks)
    built = timed("build", builder, ["build", *spec["build_args"]])
    if progress:
        progress.report()
    if not built.success:
        return outcome
    session = dbtRunner(manifest=parsed.result)
    if spec["freshness"]:
        timed("freshness", session, ["source", "freshness"])
    if spec["docs"]:
        timed("docs", session, ["docs", "generate", "--static", "--no-compile"])
    return outcome


def _progress_callback(progress: BuildProgress) -> Callable[[Any], None]:
    """dbt's events to `progress`, but its errors (which `--quiet` prints already)."""
    from google.protobuf.json_format import MessageToDict

    def callback(event: Any) -> None:
        name = event.info.name
        if name not in RESULTS and name != "LogStartLine":
            return
        data = MessageToDict(event.data, preserving_proto_field_name=True)
        progress.event(name, "", event.info.msg, data)

    return callback


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    outcome = _session(spec)
    Path(spec["result"]).write_text(json.dumps(outcome))
    return 0 if outcome.get("build") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
