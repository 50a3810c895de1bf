"""Faults through the real commands: a landing killed on the published warehouse (its
write-ahead log), a stale log, a night killed while it publishes, a full disk during the
night's copy or its docs step, an unreadable docs page, a landing during a night, SIGTERM.

Each test starts from a copy of one published warehouse and checks the state before and
after exactly: the files beside the warehouse, the raw and staged rows, the published
marts, the runs record. Faults the machine cannot be made to have on demand (a full disk,
an unreadable file when the tests run as root, a command stopped at a known point) are
injected into the real command by `faults/sitecustomize.py` (its docstring says how).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import SETUP_NOTICE, WH, Warehouse, injected, write
from events import lifecycle_events

AS_OF = "2026-10-31"
T = "2026-03-01T10:00:00Z"
FILES = {
    "collections.csv": (
        "collection_id,account_id,name,kind,fee_model,commission_rate,currency,opened_at,closes_at\n"
        f"c1,acct_A,Stage,activity_registration,club_commission,0.013,eur,{T},\n"
    ),
    "rates.csv": "rate_id,collection_id,label,amount\nr1,c1,Stage,10000\n",
    "participants.csv": (
        "participant_id,collection_id,rate_id,first_name,last_name,email,is_guest,has_parent_account,"
        "member_id,form_first_viewed_at,form_completed_at,created_at,updated_at\n"
        f"p1,c1,r1,Sophie,Lemaire,sophie@example.fr,false,false,,{T},{T},{T},{T}\n"
    ),
    "payers.csv": (
        f"payer_id,collection_id,first_name,last_name,email,created_at\npy1,c1,Sophie,Lemaire,s@x.fr,{T}\n"
    ),
    "transactions.csv": (
        "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
        f"installment_number,installment_count,updated_at\nt1,c1,py1,10000,0,paid,2026-03-01,{T},,1,1,{T}\n"
    ),
    "transaction_participants.csv": "transaction_id,participant_id\nt1,p1\n",
}
RATES = "select rate_id from raw.rates order by 1"
TRANSACTIONS = "select transaction_id, amount, fee_amount, collected_amount from collections.transactions"


def _built(warehouse: Warehouse) -> Warehouse:
    """The warehouse's build state (raw, staging, ...), where `wh land` and the nights write."""
    return Warehouse(warehouse.path.with_name("warehouse.build.duckdb"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _beside(warehouse: Warehouse) -> list[str]:
    return sorted(p.name for p in warehouse.path.parent.iterdir())


def _last_run(warehouse: Warehouse) -> dict:
    log = warehouse.path.with_name("warehouse.runs.jsonl")
    return json.loads(log.read_text(encoding="utf-8").splitlines()[-1])


def _rates(directory: Path, *rate_ids: str) -> Path:
    for rate_id in rate_ids:
        write(
            directory, f"rates_{rate_id}.csv", f"rate_id,collection_id,label,amount\n{rate_id},c1,Late,2000\n"
        )
    return directory


def _stalled(warehouse: Warehouse, args: list[str], name: str, tmp: Path) -> subprocess.Popen:
    """`wh <args>` started and stopped (blocked) when it opens the file `name`."""
    marker = tmp / f"stalled-{name}"
    env = dict(os.environ, WH_DB=str(warehouse.path), **injected(f"stall:{name}:{marker}"))
    process = subprocess.Popen(
        [str(WH), *args], env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 180
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never reached the file"
        time.sleep(0.1)
    return process


def _kill_a_landing(warehouse: Warehouse, tmp: Path) -> None:
    """`wh land` killed (-9) after it landed rates_r_late_1.csv, while it opens rates_r_late_2.csv."""
    landing = _rates(tmp / "late", "r_late_1", "r_late_2")
    process = _stalled(warehouse, ["land", str(landing)], "rates_r_late_2.csv", tmp)
    os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse published by one night, in a folder of its own."""
    tmp = tmp_path_factory.mktemp("faults")
    landing = tmp / "landing"
    for name, text in FILES.items():
        write(landing, name, text)
    write(landing, "capital_events.ndjson", "\n".join(lifecycle_events()) + "\n")
    warehouse = Warehouse(tmp / "published" / "warehouse.duckdb")
    warehouse.path.parent.mkdir()
    warehouse.run("nightly", str(landing), "--as-of", AS_OF)
    return warehouse.path.parent


@pytest.fixture
def warehouse(published: Path, tmp_path: Path) -> Warehouse:
    shutil.copytree(published, tmp_path / "w")
    (tmp_path / "empty").mkdir()
    return Warehouse(tmp_path / "w" / "warehouse.duckdb")


def test_a_killed_landing_is_published_by_the_next_night_with_no_log_left(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """The night also meets a full disk in its docs step: the data still publishes."""
    docs_page = warehouse.path.with_name("warehouse.docs.html")
    docs_before = _digest(docs_page)
    _kill_a_landing(warehouse, tmp_path)
    # the first file's transaction was committed: it is in the build state's log, and
    # every later opening of the build state replays it
    assert _beside(warehouse) == [
        "warehouse.build.duckdb",
        "warehouse.build.duckdb.wal",
        "warehouse.docs.html",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.runs.jsonl",
    ]
    assert warehouse.run("sql", "select count(*) from capital.financing_offers").returncode == 0
    assert _built(warehouse).query(RATES) == [("r1",), ("r_late_1",)]

    night = warehouse.run(
        "nightly",
        str(tmp_path / "empty"),
        "--as-of",
        AS_OF,
        **injected("disk_full:warehouse.docs.html.nightly.tmp"),
    )
    docs_warning = (
        f"{docs_page}.nightly.tmp: the docs page cannot be copied into place (No space left on device). "
        "The docs page stays last night's."
    )
    assert f"nightly: warning: {docs_warning}" in night.stderr.splitlines()
    assert "Traceback" not in night.stderr
    assert night.stdout.splitlines()[-1].startswith(f"nightly: published {warehouse.path} as of {AS_OF}:")
    assert _beside(warehouse) == [
        "warehouse.build.duckdb",
        "warehouse.docs.html",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.runs.jsonl",
    ]
    assert _digest(docs_page) == docs_before
    assert _built(warehouse).query(RATES) == [("r1",), ("r_late_1",)]
    assert _built(warehouse).query(
        "select rate_id, amount from staging.stg_club_payments__rates order by 1"
    ) == [("r1", 10000), ("r_late_1", 2000)]
    assert warehouse.query(TRANSACTIONS) == [("t1", 10000, 130, 9870)]
    assert warehouse.query("select status, message from audit.runs order by started_at") == [
        ("published", None),
        ("published", docs_warning),
    ]
    # and every later reader and night opens it
    assert warehouse.run("sql", "select count(*) from collections.transactions").returncode == 0


def test_a_night_killed_while_publishing_is_put_right_by_the_next_writer(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """The first night of a warehouse of one file (the layout before the build state; here
    its build state made the one file), whose landing was killed: the night makes the build
    state from the file and its log, and sets the log aside before the rename."""
    _built(warehouse).path.replace(warehouse.path)
    _kill_a_landing(warehouse, tmp_path)
    digest = _digest(warehouse.path)
    killed = warehouse.run(
        "nightly",
        str(tmp_path / "empty"),
        "--as-of",
        AS_OF,
        check=False,
        WH_NIGHTLY_KILL_AT="while_publishing",
    )
    assert killed.returncode == -9
    # killed between setting the old log aside and the rename: yesterday's file, its log aside
    assert _digest(warehouse.path) == digest
    assert _beside(warehouse) == [
        "warehouse.build.duckdb",
        "warehouse.docs.html",
        "warehouse.docs.html.nightly",  # the night's page, staged (the next night removes it)
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.duckdb.nightly",
        "warehouse.duckdb.wal.superseded",
        "warehouse.runs.jsonl",
    ]
    assert warehouse.query(RATES) == [("r1",)]

    # the next writer (here a landing of nothing, into the build state) puts the log back and
    # removes the night's readers' file; a reader replays the log again
    landed = warehouse.run("land", str(tmp_path / "empty"))
    assert (landed.stdout, landed.stderr) == ("", "")
    assert _beside(warehouse) == [
        "warehouse.build.duckdb",
        "warehouse.docs.html",
        "warehouse.docs.html.nightly",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.duckdb.wal",
        "warehouse.runs.jsonl",
    ]
    assert warehouse.query(RATES) == [("r1",), ("r_late_1",)]
    # the build state the night made holds the killed landing's rows
    assert _built(warehouse).query(RATES) == [("r1",), ("r_late_1",)]


def test_a_stale_log_is_set_aside_and_the_night_publishes(warehouse: Warehouse, tmp_path: Path) -> None:
    """The log of another warehouse file beside it (what the old publish left); the night
    also meets an unreadable dbt docs page (an OSError in its docs step)."""
    other = Warehouse(tmp_path / "other" / "warehouse.duckdb")
    other.path.parent.mkdir()
    _kill_a_landing(other, tmp_path)
    stale = other.path.with_name("warehouse.duckdb.wal").read_bytes()
    other.path.with_name("warehouse.duckdb.wal").rename(warehouse.path.with_name("warehouse.duckdb.wal"))
    wal = warehouse.path.with_name("warehouse.duckdb.wal")
    refused = warehouse.run("sql", RATES, check=False)
    assert (refused.returncode, refused.stderr) == (
        1,
        f'error: {warehouse.path}: cannot be opened (IO Error: Failure while replaying WAL file "{wal}": '
        "WAL does not match database file.).\n",
    )

    night = warehouse.run(
        "nightly", str(tmp_path / "empty"), "--as-of", AS_OF, **injected("unreadable:static_index.html")
    )
    (aside,) = warehouse.path.parent.glob("warehouse.duckdb.wal.stale-*")
    warnings = [line for line in night.stderr.splitlines() if line.startswith("nightly: warning: ")]
    page = Path(__file__).resolve().parents[2] / "target" / "static_index.html"
    assert warnings == [
        "nightly: warning: warehouse.duckdb.wal was not written for warehouse.duckdb and DuckDB cannot "
        f"replay it (WAL does not match database file); it is kept as {aside.name}, and nothing of it is in "
        "the warehouse.",
        "nightly: warning: source freshness is past its error threshold (see above).",
        f"nightly: warning: {page}: the docs page cannot be copied into place (Permission denied). "
        "The docs page stays last night's.",
    ]
    assert aside.read_bytes() == stale
    assert _beside(warehouse) == sorted(
        [
            "warehouse.build.duckdb",
            "warehouse.docs.html",
            "warehouse.duckdb",
            "warehouse.duckdb.lock",
            aside.name,
            "warehouse.runs.jsonl",
        ]
    )
    assert _built(warehouse).query(RATES) == [("r1",)]
    assert warehouse.query(TRANSACTIONS) == [("t1", 10000, 130, 9870)]


def test_a_full_disk_during_the_copy_fails_the_night_in_one_sentence(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """The first night of a warehouse of one file (the layout before the build state; here
    its build state made the one file) copies it into its build state."""
    _built(warehouse).path.replace(warehouse.path)
    digest = _digest(warehouse.path)
    night = warehouse.run(
        "nightly",
        str(tmp_path / "empty"),
        "--as-of",
        AS_OF,
        check=False,
        **injected("disk_full:warehouse.duckdb.nightly"),
    )
    sentence = (
        f"{warehouse.path}.nightly: the night's copy of warehouse.duckdb cannot be written "
        "(No space left on device)."
    )
    assert (night.returncode, night.stdout) == (1, "")
    assert night.stderr == f"error: nightly run failed, warehouse.duckdb left as it was: {sentence}\n"
    assert _digest(warehouse.path) == digest
    assert _beside(warehouse) == [
        "warehouse.docs.html",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.runs.jsonl",
    ]
    run = _last_run(warehouse)
    assert (run["status"], run["message"]) == ("failed", sentence)


def test_no_landing_during_a_night_and_sigterm_ends_the_night_cleanly(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    digest = _digest(warehouse.path)
    night = _stalled(
        warehouse,
        ["nightly", str(_rates(tmp_path / "night", "r_x")), "--as-of", AS_OF],
        "rates_r_x.csv",
        tmp_path,
    )
    landing = warehouse.run("land", str(_rates(tmp_path / "day", "r_y")), check=False)
    assert (landing.returncode, landing.stdout) == (1, "")
    assert landing.stderr == (
        f"error: {warehouse.path}: another nightly run, landing or build is writing it; "
        "run this again when it has finished.\n"
    )
    os.kill(night.pid, signal.SIGTERM)
    _, stderr = night.communicate(timeout=60)
    assert night.returncode == 1
    assert stderr.decode().removeprefix(SETUP_NOTICE) == (
        "error: nightly run failed, warehouse.duckdb left as it was: interrupted (SIGINT or SIGTERM).\n"
    )
    assert _digest(warehouse.path) == digest
    assert _beside(warehouse) == [
        "warehouse.build.duckdb",
        "warehouse.docs.html",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.runs.jsonl",
    ]
    run = _last_run(warehouse)
    assert (run["status"], run["message"]) == ("failed", "interrupted (SIGINT or SIGTERM).")
    assert _built(warehouse).query(RATES) == [("r1",)]
