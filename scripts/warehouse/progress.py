"""Progress of the long steps, in lines a terminal and a cron log both read: files as they land,
dbt build nodes n/N (dbt's JSON log read as it comes), and the build's flagged tests
explained in one line each."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

# dbt events that close a node (model, test, seed, snapshot, exposure), with what they count as
RESULTS = {
    "LogModelResult": "models",
    "LogTestResult": "tests",
    "LogSeedResult": "seeds",
    "LogSnapshotResult": "snapshots",
    "LogNodeNoOpResult": "others",
    "SkippingDetails": "skipped",
}


class BuildProgress:
    """Reads dbt's JSON log lines; prints `dbt build: 120/395 nodes done (38 models, 80 tests), 14 s`
    at most every `every` seconds and at the end, and dbt's errors as dbt prints them."""

    def __init__(
        self,
        label: str = "dbt build",
        out: TextIO | None = None,
        every: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label, self.out, self.every, self.clock = label, out or sys.stdout, every, clock
        self.started = self.last = clock()
        self.done, self.total = 0, 0
        self.kinds: dict[str, int] = {}

    def feed(self, line: str) -> None:
        try:
            event = json.loads(line)
            info, data = event["info"], event.get("data", {})
        except (ValueError, KeyError, TypeError):
            if line.strip():  # not dbt's JSON: let it through
                print(line.rstrip("\n"), file=self.out, flush=True)
            return
        self.event(info.get("name", ""), info.get("level", ""), info.get("msg", ""), data)

    def event(self, name: str, level: str, msg: str, data: dict[str, Any]) -> None:
        if level == "error" and msg.strip():
            print(msg, file=sys.stderr, flush=True)
        if name == "MainReportVersion":
            print(f"{self.label}: reading the project ...", file=self.out, flush=True)
        if name == "LogStartLine" and not self.total:
            self.total = int(data.get("total") or 0)
            print(f"{self.label}: {self.total} nodes to build and test ...", file=self.out, flush=True)
        if name not in RESULTS:
            return
        self.done += 1
        self.total = max(self.total, int(data.get("total") or data.get("num_models") or 0), self.done)
        kind = RESULTS[name]
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if self.clock() - self.last >= self.every:
            self.report()

    def report(self) -> None:
        self.last = self.clock()
        kinds = ", ".join(f"{n} {kind}" for kind, n in self.kinds.items() if kind in ("models", "tests"))
        print(
            f"{self.label}: {self.done}/{self.total} nodes done ({kinds or 'starting'}), "
            f"{self.last - self.started:.0f} s",
            file=self.out,
            flush=True,
        )


class LandingProgress:
    """Called once per landed file: every file on its line as it lands (`transactions.csv: 3489
    records landed`, the line of `land.print_report`, so that both engines print the same), or,
    with `every`, one line every `every` seconds and at the last file (`land: 12/47 files, ...`)."""

    def __init__(self, every: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.every, self.clock = every, clock
        self.started = self.last = clock()
        self.records = 0

    def __call__(self, index: int, total: int, name: str, rows: int, rejected: int) -> None:
        self.records += rows
        if self.every is None:
            bad = f", {rejected} malformed rows set aside" if rejected else ""
            print(f"{name}: {rows} records landed{bad}", flush=True)
        elif self.clock() - self.last >= self.every or index == total:
            self.last = self.clock()
            print(
                f"land: {index}/{total} files, {self.records} records, {self.last - self.started:.0f} s",
                flush=True,
            )


def _model_of(node: dict[str, Any], nodes: dict[str, Any]) -> str:
    """`schema.table` of the model a test judges."""
    parents = [nodes[p] for p in node.get("depends_on", {}).get("nodes", []) if p in nodes]
    attached = nodes.get(node.get("attached_node") or "") or (parents[0] if parents else None)
    return f"{attached['schema']}.{attached.get('alias') or attached['name']}" if attached else "a model"


def _first_comment(sql: str) -> str:
    lines = []
    for line in sql.strip().splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines).split(". ")[0].rstrip(".")


def explain(result: dict[str, Any], nodes: dict[str, Any]) -> str:
    """One line on what a warned or failed test found: its YAML description, else what its
    kind of test checks, said on its model and column, with the count of rows found."""
    node = nodes.get(result["unique_id"], {})
    count = result.get("failures")
    rows = "" if count is None else f" ({count} row{'' if count == 1 else 's'})"
    if result["unique_id"].startswith("unit_test."):
        return "a unit test: the model's output on its fixed input differs from the expected rows"
    if result["status"] == "error":
        return (result.get("message") or "the test could not run").strip().splitlines()[0]
    if node.get("description", "").strip():
        return " ".join(node["description"].split()) + rows
    meta = node.get("test_metadata") or {}
    kwargs = meta.get("kwargs", {})
    column = node.get("column_name") or kwargs.get("column_name")
    target = _model_of(node, nodes) + (f".{column}" if column else "")
    found = {
        "unique": f"{target} repeats a value that must be unique",
        "not_null": f"{target} is null where it must not be",
        "accepted_values": f"{target} holds a value outside {', '.join(map(str, kwargs.get('values', [])))}",
        "relationships": f"{target} names a row that {kwargs.get('to', 'its parent')} does not hold",
        "unique_combination": f"{target} repeats a combination of {', '.join(kwargs.get('columns', []))}",
        "non_negative": f"{target} is below zero",
    }.get(meta.get("name", ""))
    if found:
        return found + rows
    comment = _first_comment(node.get("raw_code", ""))
    return (comment or f"a test of {target} found rows") + rows
