"""Progress of the long steps and the build's warnings in one line each (issue 17, item 8): the
printers on hand-written dbt events and results (exact lines), then a real `wh nightly` on a
copy of the generated warehouse (conftest's `published_night`), whose revenue-share booking is
150 off (its known warning)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import PublishedNight
from warehouse.progress import BuildProgress, LandingProgress, explain


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _line(name: str, level: str = "info", msg: str = "", **data: object) -> str:
    return json.dumps({"info": {"name": name, "level": level, "msg": msg}, "data": data}) + "\n"


def test_build_progress_every_five_seconds(capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    progress = BuildProgress(clock=clock)
    progress.feed(_line("MainReportVersion", msg="Running with dbt=1.11.16"))
    progress.feed(_line("LogStartLine", index=1, total=4))
    clock.now += 2
    progress.feed(_line("LogModelResult", index=1, total=4, status="OK"))  # 2 s: too soon for a line
    clock.now += 4
    progress.feed(_line("LogTestResult", index=2, num_models=4, status="pass"))  # 6 s since the start
    progress.feed(_line("RunResultError", level="error", msg="Database Error in model x"))
    progress.feed("a line that is not dbt's JSON\n")
    clock.now += 5
    progress.feed(_line("LogTestResult", index=3, num_models=4, status="warn"))
    captured = capsys.readouterr()
    assert captured.out == (
        "dbt build: reading the project ...\n"
        "dbt build: 4 nodes to build and test ...\n"
        "dbt build: 2/4 nodes done (1 models, 1 tests), 6 s\n"
        "a line that is not dbt's JSON\n"
        "dbt build: 3/4 nodes done (1 models, 2 tests), 11 s\n"
    )
    assert captured.err == "Database Error in model x\n"


def test_landing_progress(capsys: pytest.CaptureFixture[str]) -> None:
    every_file = LandingProgress()
    every_file(1, 3, "collections.csv", 12, 0)
    every_file(2, 3, "rates.csv", 30, 2)
    clock = Clock()
    summary = LandingProgress(every=3, clock=clock)
    summary(1, 3, "a.csv", 10, 0)  # 0 s: no line yet
    clock.now += 3.5
    summary(2, 3, "b.csv", 20, 0)
    summary(3, 3, "c.csv", 5, 0)  # the last file: always a line
    assert capsys.readouterr().out == (
        "collections.csv: 12 records landed\n"
        "rates.csv: 30 records landed, 2 malformed rows set aside\n"
        "land: 2/3 files, 30 records, 4 s\n"
        "land: 3/3 files, 35 records, 4 s\n"
    )


def test_a_flagged_test_in_one_line() -> None:
    nodes = {
        "model.w.participants": {"schema": "collections", "alias": "participants", "name": "participants"},
        "test.w.accepted_values_participants_form_status_colour": {
            "description": "",
            "column_name": "form_status_colour",
            "attached_node": "model.w.participants",
            "depends_on": {"nodes": ["model.w.participants"]},
            "test_metadata": {"name": "accepted_values", "kwargs": {"values": ["grey", "red", "green"]}},
        },
        "test.w.assert_summary_adds_up": {
            "description": "",
            "raw_code": "-- collection_summary adds up: its amount due is the sum. More.\nselect 1",
            "depends_on": {"nodes": ["model.w.participants"]},
        },
    }
    assert (
        explain(
            {
                "unique_id": "test.w.accepted_values_participants_form_status_colour",
                "status": "fail",
                "failures": 3,
            },
            nodes,
        )
        == "collections.participants.form_status_colour holds a value outside grey, red, green (3 rows)"
    )
    assert explain(
        {"unique_id": "test.w.assert_summary_adds_up", "status": "warn", "failures": 1}, nodes
    ) == ("collection_summary adds up: its amount due is the sum (1 row)")


def test_a_night_says_how_far_it_is_and_what_its_warning_means(published_night: PublishedNight) -> None:
    night = published_night  # tonight: 2 files of 1 record each (conftest)
    lines = night.result.stdout.splitlines()
    assert re.fullmatch(r"land: 2/2 files, 2 records, \d+ s", lines[0])  # the last file: always a line
    assert lines[1] == "dbt build: reading the project ..."
    assert re.fullmatch(r"dbt build: \d+ nodes to build and test \.\.\.", lines[2])
    done = [
        int(m[1])
        for line in lines
        if (m := re.fullmatch(r"dbt build: (\d+)/\d+ nodes done \(.*\), \d+ s", line))
    ]
    assert done == sorted(done)
    assert (
        "  warn: earnings_reconcile_platform_earnings_monthly_: the provider's booking of the platform's "
        "revenue share differs from what the financings earned in these month-currencies (see "
        "capital.platform_earnings_monthly where difference <> 0, and the dashboard's Platform earnings "
        "tab); the provider's to explain, so a warning, not a failed build (1 row)"
    ) in lines
    # the docs page is written by the night's one dbt process, in about a second: no line of its own
    assert not [line for line in lines if "docs page" in line]
    published = f"nightly: published {night.warehouse.path} as of 2026-10-31: 2 records landed"
    assert lines[-1].startswith(published)
