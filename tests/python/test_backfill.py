"""`wh backfill` against a local fake of the provider's `GET /v1/events` (127.0.0.1).

The fake pages like the provider: newest first, `limit`, `has_more`, `starting_after`,
filtered by `types[]` and `created[gte]`. A first run fails half-way (the fake answers
500 from its second page on), a second run resumes from the cursor: every event is in
the hourly files exactly once, and `wh land` lands them all.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from conftest import Warehouse
from events import event, offer

API_KEY = "sk_test_backfill"
HOUR = 3600


class FakeEvents:
    def __init__(self, events: list[dict]) -> None:
        self.events = sorted(events, key=lambda e: (e["created"], e["id"]), reverse=True)
        self.fail_from_request: int | None = None
        self.requests: list[dict[str, str]] = []
        self.headers: list[dict[str, str]] = []

    def page(self, query: dict[str, str]) -> tuple[int, dict]:
        self.requests.append(query)
        if self.fail_from_request is not None and len(self.requests) >= self.fail_from_request:
            return 500, {"error": {"type": "api_error", "message": "An unknown error occurred."}}
        types = {v for k, v in query.items() if k.startswith("types")}
        gte = int(query.get("created[gte]", 0))
        matching = [e for e in self.events if e["type"] in types and e["created"] >= gte]
        start = 0
        if "starting_after" in query:
            start = [e["id"] for e in matching].index(query["starting_after"]) + 1
        limit = int(query.get("limit", 10))
        data = matching[start : start + limit]
        return 200, {
            "object": "list", "url": "/v1/events", "has_more": start + limit < len(matching), "data": data,
        }


@pytest.fixture
def fake() -> Iterator[tuple[FakeEvents, str]]:
    now = int(time.time())
    first = now - 3 * 86400 - (now % HOUR)  # three days ago, at the top of an hour
    events = []
    for n in range(250):  # 250 events over 4 hours, 3 pages of 100
        created = first + n * (4 * HOUR // 250)
        kind = "capital.financing_offer.created" if n % 2 else "account.updated"
        obj = offer(f"financingoffer_{n}", "undelivered")
        events.append(json.loads(event(f"evt_{n:04d}", kind, created, obj)))
    events.append(json.loads(event("evt_other", "charge.succeeded", first + 10, {"id": "ch_1"})))
    events.append(json.loads(event("evt_old", "account.updated", first - 35 * 86400, {"id": "acct_A"})))
    state = FakeEvents(events)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            state.headers.append(dict(self.headers))
            if url.path != "/v1/events" or self.headers.get("Authorization") != f"Bearer {API_KEY}":
                status, payload = 404, {"error": {"type": "invalid_request_error", "message": "nope"}}
            else:
                status, payload = state.page(dict(parse_qsl(url.query)))
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def lines_of(directory: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(directory.glob("capital_events_*.ndjson"))
        for line in path.read_text().splitlines()
    ]


def test_backfill_pages_fails_half_way_and_resumes(
    fake: tuple[FakeEvents, str], warehouse: Warehouse, tmp_path: Path
) -> None:
    state, base = fake
    landing = tmp_path / "landing"
    landing.mkdir()
    env = {"WH_STRIPE_API_KEY": API_KEY, "WH_STRIPE_API_BASE": base}
    since = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 5 * 86400))  # leaves evt_old out
    expected = [e for e in state.events if e["type"] != "charge.succeeded" and e["id"] != "evt_old"]
    assert len(expected) == 250

    state.fail_from_request = 2  # the first page answers, every later request fails
    failed = warehouse.run("backfill", str(landing), "--since", since, check=False, **env)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    error_lines = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and "run the same command again to resume after evt_0150" in error_lines[0]
    first_run = lines_of(landing)  # hours finished before the failure
    assert first_run and len(first_run) < 100
    cursor = json.loads((landing / ".backfill-cursor.json").read_text())
    assert cursor["after"] == "evt_0150" and cursor["partial"].startswith(".capital_events_")

    state.fail_from_request = None
    state.requests.clear()
    resumed = warehouse.run("backfill", str(landing), "--since", since, **env)
    assert "resumed after evt_0150" in resumed.stdout
    assert state.requests[0]["starting_after"] == "evt_0150"
    assert [r.get("starting_after") for r in state.requests] == ["evt_0150", "evt_0050"]
    assert set(state.requests[0]) >= {"limit", "created[gte]"}
    assert not (landing / ".backfill-cursor.json").exists()
    assert not list(landing.glob(".*.partial"))

    # every listed event exactly once, as listed, in files named by the hour of `created`
    written = lines_of(landing)
    assert sorted(e["id"] for e in written) == sorted(e["id"] for e in expected)
    assert {e["id"]: e for e in written} == {e["id"]: e for e in expected}
    for path in landing.glob("capital_events_*.ndjson"):
        hours = {time.strftime("%Y%m%d%H", time.gmtime(json.loads(x)["created"])) for x in path.open()}
        assert hours == {path.name.removeprefix("capital_events_")[:10]}
        assert path.name.endswith("_backfill.ndjson")

    landed = warehouse.run("land", str(landing))
    assert "notice" not in landed.stderr  # the cursor and lock files are hidden
    assert warehouse.scalar("select count(*) from raw.capital_events") == 250


def test_backfill_says_when_since_is_past_retention(
    fake: tuple[FakeEvents, str], warehouse: Warehouse, tmp_path: Path
) -> None:
    state, base = fake
    since = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 40 * 86400))
    result = warehouse.run(
        "backfill", str(tmp_path), "--since", since, "--account", "acct_club1",
        WH_STRIPE_API_KEY=API_KEY, WH_STRIPE_API_BASE=base,
    )
    notices = [line for line in result.stderr.splitlines() if line.startswith("notice:")]
    assert len(notices) == 1 and "30-day retention" in notices[0] and since in notices[0]
    assert "wrote 251 events" in result.stdout  # the fake keeps more than the provider would
    assert all(h.get("Stripe-Account") == "acct_club1" for h in state.headers)
    assert all(p.name.endswith("_backfill_acct_club1.ndjson") for p in tmp_path.glob("capital_events_*"))


def test_backfill_refuses_without_key_or_with_a_bad_date(warehouse: Warehouse, tmp_path: Path) -> None:
    result = warehouse.run(
        "backfill", str(tmp_path), "--since", "2026-01-01", check=False, WH_STRIPE_API_KEY=""
    )
    assert result.returncode == 1 and result.stderr.startswith("error: WH_STRIPE_API_KEY is not set")
    result = warehouse.run("backfill", str(tmp_path), "--since", "01/02/2026", check=False)
    assert result.returncode == 1 and "is not a date of the form YYYY-MM-DD" in result.stderr
