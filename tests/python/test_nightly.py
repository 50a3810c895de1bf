"""`scripts/wh nightly`: daily incremental runs equal one full refresh, late events, reruns,
`kill -9` at several points, and readers during a run."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from conftest import WH, Warehouse, differing_tables, write
from warehouse.contract import csv_header
from warehouse.generate import generate
from warehouse.slicing import slice_by_day

END = dt.date(2026, 10, 31)
NIGHTS = [END - dt.timedelta(days=2), END - dt.timedelta(days=1), END]  # Oct 29, 30, 31
LATE_EVENT_DAY = NIGHTS[0]
BALANCES = (
    "select principal_outstanding_amount, premium_outstanding_amount, repaid_amount "
    "from capital.financing_balances where financing_offer = ? and effective_date_utc = ?"
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """History, then one nightly run per day; the last night first killed three times."""
    tmp = tmp_path_factory.mktemp("nightly")
    generate(tmp / "generated", scale=20, seed=3, months=3, end_date=END, progress=False, bad_rows=True)
    nights, late_financing = slice_by_day(tmp / "generated", tmp / "landing", NIGHTS, late=True)
    assert late_financing, "the generated set has a payment on the first sliced day"
    published = Warehouse(tmp / "published" / "warehouse.duckdb")
    published.path.parent.mkdir()
    facts: dict = {"late_financing": late_financing, "nights": nights, "published": published}

    history_as_of = NIGHTS[0] - dt.timedelta(days=1)
    published.run("nightly", str(nights[0]), "--as-of", history_as_of.isoformat())
    for night, day in zip(nights[1:-1], NIGHTS[:-1], strict=True):
        published.run("nightly", str(night), "--as-of", day.isoformat())
    facts["late_row_before"] = published.query(BALANCES, late_financing, LATE_EVENT_DAY)

    last, last_day = nights[-1], NIGHTS[-1].isoformat()
    facts["digest_before_kills"] = _digest(published.path)
    docs_page = published.path.with_name("warehouse.docs.html")
    facts["docs_before_kills"] = _digest(docs_page)
    facts["kills"] = {}
    for point in ("after_land", "during_build", "before_publish"):
        result = published.run(
            "nightly", str(last), "--as-of", last_day, check=False, WH_NIGHTLY_KILL_AT=point
        )
        facts["kills"][point] = (result.returncode, _digest(published.path))
    facts["docs_after_kills"] = _digest(docs_page)

    # the last night for real, while a reader holds yesterday's file open
    with duckdb.connect(str(published.path), read_only=True) as reader:
        reading = "select count(*), sum(principal_outstanding_amount) from capital.financing_balances"
        facts["reader_before"] = reader.execute(reading).fetchone()
        env = dict(os.environ, WH_DB=str(published.path))
        process = subprocess.Popen(
            [str(WH), "nightly", str(last), "--as-of", last_day], env=env, start_new_session=True
        )
        readings = []
        while process.poll() is None:
            readings.append(reader.execute(reading).fetchone())
        facts["reader_during"] = readings
        facts["last_night_status"] = process.returncode
    with duckdb.connect(str(published.path), read_only=True) as reader:
        facts["reader_after"] = reader.execute(reading).fetchone()
    facts["docs_after"] = _digest(docs_page)
    facts["leftovers"] = sorted(p.name for p in published.path.parent.glob("*.nightly*"))
    facts["beside"] = sorted(p.name for p in published.path.parent.iterdir())

    reference = Warehouse(tmp / "reference.duckdb")
    for night in nights:
        reference.run("land", str(night))
    reference.run("build", "--as-of", last_day, "--full-refresh")
    facts["reference"] = reference
    return facts


def test_daily_nightly_runs_give_exactly_the_full_refresh(story: dict) -> None:
    assert story["last_night_status"] == 0
    assert differing_tables(story["published"].path, story["reference"].path) == {}


def test_a_late_event_fixes_its_past_days_balance(story: dict) -> None:
    published, reference = story["published"], story["reference"]
    args = (story["late_financing"], LATE_EVENT_DAY)
    fixed = published.query(BALANCES, *args)
    assert fixed == reference.query(BALANCES, *args)
    assert fixed != story["late_row_before"]
    (principal, premium, repaid), (principal_0, premium_0, repaid_0) = fixed[0], story["late_row_before"][0]
    # the late payment lowers what is owed by exactly what it adds to what was repaid
    assert repaid > repaid_0
    assert (principal_0 + premium_0) - (principal + premium) == repaid - repaid_0


def test_kill_9_at_any_point_leaves_the_published_warehouse_as_it_was(story: dict) -> None:
    for point, (status, digest) in story["kills"].items():
        assert status == -9, point
        assert digest == story["digest_before_kills"], point
    runs = story["published"].query("select status, count(*) from audit.runs group by all order by 1")
    assert runs == [("interrupted", 3), ("published", 4)]


def test_each_published_night_puts_its_docs_page_beside_the_warehouse(story: dict) -> None:
    docs_page = story["published"].path.with_name("warehouse.docs.html")
    assert "exposure.club_warehouse.dashboard" in docs_page.read_text(encoding="utf-8")
    # killed nights (one after its docs were generated) leave last night's page
    assert story["docs_after_kills"] == story["docs_before_kills"]
    assert story["docs_after"] != story["docs_before_kills"]
    assert story["leftovers"] == []
    # the readers' file, and the build state the nights land and build in
    assert story["beside"] == [
        "warehouse.build.duckdb",
        "warehouse.docs.html",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.runs.jsonl",
    ]


def test_a_reader_sees_yesterday_whole_during_the_run_then_today(story: dict) -> None:
    assert story["reader_during"], "the reader read while the night ran"
    assert set(story["reader_during"]) == {story["reader_before"]}
    assert story["reader_after"] != story["reader_before"]
    assert (
        story["reader_after"]
        == story["reference"].query(
            "select count(*), sum(principal_outstanding_amount) from capital.financing_balances"
        )[0]
    )


def test_the_same_night_twice_changes_nothing(story: dict, tmp_path: Path) -> None:
    published = story["published"]
    before = tmp_path / "before.duckdb"
    shutil.copyfile(published.path, before)
    published.run("nightly", str(story["nights"][-1]), "--as-of", NIGHTS[-1].isoformat())
    assert differing_tables(published.path, before) == {}
    assert published.scalar("select count(*) from audit.runs where status = 'published'") == 5


def test_a_failed_night_leaves_yesterday_and_says_so(story: dict, tmp_path: Path) -> None:
    published = story["published"]
    digest = _digest(published.path)
    bad = tmp_path / "bad"
    bad.mkdir()
    result = published.run("nightly", str(bad), "--as-of", "2026-13-45", check=False)
    assert result.returncode == 1
    assert result.stderr == "error: --as-of '2026-13-45' is not a date of the form YYYY-MM-DD.\n"
    assert _digest(published.path) == digest


def test_a_weekday_night_tests_its_own_rows_and_a_sunday_night_all_rows(
    story: dict, tmp_path: Path
) -> None:
    """A row no night touches is tested by the generic tests on Sundays only
    (macros/tests/where_subquery.sql); the colour is checked by no singular test."""
    warehouse = Warehouse(tmp_path / "warehouse.duckdb")
    shutil.copyfile(story["published"].path, warehouse.path)
    # the night publishes the marts of the build state: the colour goes in there
    build_state = tmp_path / "warehouse.build.duckdb"
    shutil.copyfile(story["published"].path.with_name(build_state.name), build_state)
    with duckdb.connect(str(build_state)) as con:
        # a participant of a collection with nothing updated after the last as-of date
        (participant,) = con.execute(
            "select participant_id from collections.participants where collection_id not in ("
            "  select collection_id from staging.stg_club_payments__participants"
            "  where updated_at >= '2026-11-01' union all"
            "  select collection_id from staging.stg_club_payments__transactions"
            "  where updated_at >= '2026-11-01') "
            "order by participant_id limit 1"
        ).fetchone()
        con.execute(
            "update collections.participants set form_status_colour = 'blue' where participant_id = ?",
            [participant],
        )
    empty = tmp_path / "nothing_landed"
    empty.mkdir()
    monday = warehouse.run("nightly", str(empty), "--as-of", "2026-11-02")
    assert "0 tests failed" in monday.stdout
    sunday = warehouse.run("nightly", str(empty), "--as-of", "2026-11-08", check=False)
    assert sunday.returncode == 1
    assert "fail: accepted_values_participants_form_status_colour" in sunday.stdout


def test_readers_open_the_public_schemas_and_the_nights_build_in_the_build_state(story: dict) -> None:
    published = story["published"]
    schemas = "select distinct table_schema from information_schema.tables order by 1"
    public = [("audit",), ("capital",), ("collections",), ("reference",), ("semantic",)]
    assert published.query(schemas) == public
    build_state = Warehouse(published.path.with_name("warehouse.build.duckdb"))
    assert {"raw", "staging", "intermediate", "capital"} <= {s for (s,) in build_state.query(schemas)}
    # every night recorded the seconds of its steps
    log = published.path.with_name("warehouse.runs.jsonl")
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    published_runs = [run for run in runs if run["status"] == "published"]
    assert len(published_runs) == 5
    for run in published_runs:
        assert set(run["seconds"]) == {
            "land", "parse", "build", "freshness", "docs", "models_nodes", "tests_nodes", "publish",
        }


def test_the_offer_lookups_are_indexed_in_the_published_file_as_in_a_build(story: dict) -> None:
    """The offer detail's point queries (one offer's row, transactions, balances, emails) read
    an index, in the file readers open after five nights (rebuilt tables and incremental ones)
    as in a warehouse `wh build` made; the build state has none (dbt rebuilds its tables)."""
    indexes = "select schema_name, table_name, index_name from duckdb_indexes() order by all"
    expected = [
        ("capital", "connected_account_financing_transactions",
         "connected_account_financing_transactions_by_financing_offer"),
        ("capital", "financing_balances", "financing_balances_by_financing_offer"),
        ("capital", "financing_offers", "financing_offers_by_id"),
        ("capital", "offer_email_events", "offer_email_events_by_financing_offer"),
    ]
    assert story["published"].query(indexes) == expected
    assert story["reference"].query(indexes) == expected
    build_state = Warehouse(story["published"].path.with_name("warehouse.build.duckdb"))
    assert build_state.query(indexes) == []


def test_a_weekday_night_tests_tonights_keys_against_the_whole_table(story: dict, tmp_path: Path) -> None:
    """A key the night writes is tested against every row holding it, old rows
    included (macros/tests/where_subquery.sql). An older copy of a participant
    is planted under a collection no night rewrites, as a model that missed a
    move would leave it (no payer, unpaid: no reconciliation sees it, and its
    `_built_at` is last night's); tonight a new participant joins the
    original's collection, so the night rewrites the original."""
    warehouse = Warehouse(tmp_path / "warehouse.duckdb")
    shutil.copyfile(story["published"].path, warehouse.path)
    # the night publishes the marts of the build state: the copy goes in there
    build_state = tmp_path / "warehouse.build.duckdb"
    shutil.copyfile(story["published"].path.with_name(build_state.name), build_state)
    with duckdb.connect(str(build_state)) as con:
        participant, collection, rate = con.execute(
            "select participant_id, collection_id, rate_id from staging.stg_club_payments__participants "
            "where participant_id in (select participant_id from collections.participants) "
            "order by participant_id limit 1"
        ).fetchone()
        con.execute(
            "insert into collections.participants by name "
            "select * replace ('collection_planted' as collection_id, null as payer_id, "
            "'unpaid' as participant_status) from collections.participants where participant_id = ?",
            [participant],
        )
    header = ",".join(csv_header("participants"))
    row = f"participant_monday,{collection},{rate},Ada,Martin,ada@example.org,false,false,,,,"
    times = "2026-11-02T09:00:00Z,2026-11-02T09:00:00Z"
    write(tmp_path / "tonight", "participants_monday.csv", f"{header}\n{row}{times}\n")
    monday = warehouse.run("nightly", str(tmp_path / "tonight"), "--as-of", "2026-11-02", check=False)
    assert monday.returncode == 1
    failed = [line.strip() for line in monday.stdout.splitlines() if line.strip().startswith("fail: ")]
    assert failed == [
        "fail: unique_participants_participant_id: collections.participants.participant_id "
        "repeats a value that must be unique (1 row)"
    ], monday.stdout
