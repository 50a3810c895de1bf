"""`wh receive` on 127.0.0.1: signatures, refusals, hourly files, and kill -9 under load.

The requests are signed here, from the provider's documentation of its scheme, not
with the code under test: the `Stripe-Signature` header is `t=<timestamp>,v1=<hex>`,
where <hex> is the HMAC-SHA256, keyed with the endpoint secret, of the string
"<timestamp>.<raw body>" ("Verify manually",
https://stripe.com/docs/webhooks/signatures#verify-manually).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from conftest import ENGINE_TIMINGS, WH, Warehouse
from events import T0, account, event, offer

SECRET = "whsec_test_0123456789abcdef"


def sign(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


class Receiver:
    """`scripts/wh receive DIR` in a process of its own; its log lines kept in `log`."""

    def __init__(self, directory: Path, port: int = 0, secret: str = SECRET) -> None:
        self.directory, self.port, self.secret = directory, port, secret
        self.log: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        self.reader = threading.Thread()

    def start(self) -> Receiver:
        env = dict(os.environ, WH_WEBHOOK_SECRET=self.secret)
        self.process = subprocess.Popen(
            [str(WH), "receive", str(self.directory), "--port", str(self.port)],
            env=env, stderr=subprocess.PIPE, start_new_session=True,
        )
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.decode()
            self.log.append(line)
            if "receiving on http://" in line:
                self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
                self.reader = threading.Thread(target=self._read_log, args=(self.process,), daemon=True)
                self.reader.start()
                return self
        raise AssertionError("wh receive did not start:\n" + "".join(self.log))

    def _read_log(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            self.log.append(raw.decode())

    def stop(self) -> None:
        """SIGTERM, as systemd stops it: in-flight requests end, the file is closed. (uvicorn
        re-raises the signal once shut down, so the exit status is -SIGTERM.)"""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=60) in (0, -signal.SIGTERM)
        self.reader.join(timeout=10)  # the log's last lines (it ends with the process)
        assert any(" stopped after " in line for line in self.log[-3:]), self.log


def post(port: int, body: bytes, headers: dict[str, str] | None = None, method: str = "POST") -> tuple:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = "/webhook" if method != "GET" else "/healthz"
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    result = response.status, response.read()
    connection.close()
    return result


def hour_lines(directory: Path, pattern: str) -> list[bytes]:
    return [line for path in sorted(directory.glob(pattern)) for line in path.read_bytes().splitlines()]


def test_signed_events_are_written_and_bad_requests_refused(warehouse: Warehouse, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    receiver = Receiver(landing).start()
    port = receiver.port
    obj = offer("financingoffer_1", "undelivered")
    body = event("evt_1", "capital.financing_offer.created", 1767225700, obj).encode()
    # the provider pretty-prints its payloads: line breaks between tokens only
    pretty = json.dumps(json.loads(event("evt_2", "account.updated", 1767225800,
                                         account("acct_A", "a@club.example", "Club A"))), indent=2).encode()
    assert post(port, body, {"Stripe-Signature": sign(body)})[0] == 200
    assert post(port, pretty, {"Stripe-Signature": sign(pretty)})[0] == 200

    marker = b"SECRET-PAYLOAD-MARKER"
    bad = body.replace(b"financingoffer_1", marker)
    not_event, not_json = b'{"marker": "' + marker + b'"}', marker + b" is not JSON"
    refusals = [
        (bad, {}),  # no signature header
        (bad, {"Stripe-Signature": sign(bad, secret="whsec_other")}),  # another secret
        (bad, {"Stripe-Signature": sign(body)}),  # signature of another body
        (bad, {"Stripe-Signature": sign(bad, timestamp=int(time.time()) - 600)}),  # too old
        (bad, {"Stripe-Signature": "t=abc,v1=zz"}),  # not a signature header
        (not_event, {"Stripe-Signature": sign(not_event)}),  # signed, but not an event
        (not_json, {"Stripe-Signature": sign(not_json)}),  # signed, but not JSON
    ]
    for payload, headers in refusals:
        status, answer = post(port, payload, headers)
        assert status == 400, (payload, headers, answer)
    assert post(port, b"", method="PUT")[0] == 405
    status, health = post(port, b"", method="GET")
    assert status == 200 and json.loads(health)["events_written"] == 2

    # the hour's hidden file (two of them, should the test straddle the top of an hour)
    written = hour_lines(landing, "*capital_events_*.ndjson*")
    assert sorted(written) == sorted([body, pretty.replace(b"\n", b"")])
    assert [json.loads(line) for line in written if b"evt_2" in line] == [json.loads(pretty)]

    # the hour being written is never landed, and no notice is printed about it
    landed = warehouse.run("land", str(landing))
    assert "notice" not in landed.stderr and warehouse.scalar("select count(*) from raw.capital_events") == 0

    receiver.stop()
    refused = [line for line in receiver.log if " refused " in line]
    assert len(refused) == len(refusals) + 1, receiver.log
    assert not any("SECRET-PAYLOAD-MARKER" in line for line in receiver.log)
    assert all(line.count("\n") == 1 for line in refused)

    closed = warehouse.run("receive", str(landing), "--close")
    assert "closed 1 hourly files" in closed.stdout or "closed 2 hourly files" in closed.stdout
    assert not list(landing.glob(".*.partial"))
    warehouse.run("land", str(landing))
    assert warehouse.scalar("select count(*) from raw.capital_events") == 2
    assert warehouse.scalar("select count(*) from raw.landing_rejects") == 0


def test_receive_refuses_without_secret_and_a_second_receiver(warehouse: Warehouse, tmp_path: Path) -> None:
    result = warehouse.run("receive", str(tmp_path), check=False, WH_WEBHOOK_SECRET="")
    assert result.returncode == 1 and result.stderr.startswith("error: WH_WEBHOOK_SECRET is not set")
    assert "Traceback" not in result.stderr
    receiver = Receiver(tmp_path).start()
    try:
        second = warehouse.run("receive", str(tmp_path), "--port", "0", check=False, WH_WEBHOOK_SECRET=SECRET)
        assert second.returncode == 1 and "another `wh receive` is writing into it" in second.stderr
        closing = warehouse.run("receive", str(tmp_path), "--close", check=False)
        assert closing.returncode == 1 and "stop it first" in closing.stderr
        other = tmp_path / "other"
        missing = warehouse.run("receive", str(other), check=False, WH_WEBHOOK_SECRET=SECRET)
        assert missing.returncode == 1 and "no such landing directory" in missing.stderr
        other.mkdir()
        taken = warehouse.run(
            "receive", str(other), "--port", str(receiver.port), check=False, WH_WEBHOOK_SECRET=SECRET
        )
        assert taken.returncode == 1
        assert taken.stderr.startswith(f"error: cannot listen on 127.0.0.1 port {receiver.port} (")
    finally:
        receiver.stop()


def test_leftover_hours_are_repaired_and_finalized_at_start(tmp_path: Path) -> None:
    """A receiver killed mid-write leaves a torn last line: never acknowledged, so cut off
    (kept aside in a hidden `.torn` file) and the whole lines before it land."""
    whole = b'{"id":"evt_a","object":"event","type":"account.updated","data":{"object":{}}}\n' * 2
    (tmp_path / ".capital_events_2026010100.ndjson.partial").write_bytes(whole + b'{"id":"evt_b","obj')
    (tmp_path / "capital_events_2026010100.ndjson").write_bytes(b"taken\n")  # never overwritten
    receiver = Receiver(tmp_path).start()
    receiver.stop()
    assert (tmp_path / "capital_events_2026010100_2.ndjson").read_bytes() == whole
    torn = tmp_path / ".capital_events_2026010100.ndjson.partial.torn"
    assert torn.read_bytes() == b'{"id":"evt_b","obj\n'
    assert (tmp_path / "capital_events_2026010100.ndjson").read_bytes() == b"taken\n"
    assert any("finalized capital_events_2026010100_2.ndjson" in line for line in receiver.log)


def test_concurrent_appends_share_one_fsync_and_the_hour_is_finalized_when_it_ends(tmp_path: Path) -> None:
    from warehouse.eventlog import EventLog

    now = [T0 + 3599.0]  # 2026-01-01 00:59:59 UTC
    log = EventLog(tmp_path, clock=lambda: now[0])
    log.open()

    async def run() -> None:
        await log.start()
        await asyncio.gather(*(log.append(b'{"n":%d}\n' % n) for n in range(10)))
        assert log.flushes == 1  # ten requests waiting together: one write, one fsync
        now[0] = T0 + 3600 + 1  # the next hour: its first flush finalizes the previous one
        await log.append(b'{"n":10}\n')
        now[0] = T0 + 7200 + 1  # and with no event, the boundary's roll-over does
        log._roll_over()
        await log.close()

    asyncio.run(run())
    assert (tmp_path / "capital_events_2026010100.ndjson").read_bytes() == b"".join(
        b'{"n":%d}\n' % n for n in range(10)
    )
    assert (tmp_path / "capital_events_2026010101.ndjson").read_bytes() == b'{"n":10}\n'
    assert not list(tmp_path.glob(".*.partial"))


def test_bench_receive_prints_its_figures(warehouse: Warehouse) -> None:
    result = warehouse.run("bench-receive", "--events", "400", "--senders", "4")
    for words in ("400 events", "4 concurrent senders", "events/s acknowledged, 0 refused",
                  "latency p50", "p99", "lines on disk: 400", "events per fsync"):
        assert words in result.stdout, result.stdout


# -- load, with kill -9 in the middle --------------------------------------------------------
EVENTS, SENDERS = 20_000, 8


class Records:
    def __init__(self) -> None:
        self.acked: list[bytes] = []
        self.unacked: list[bytes] = []  # sent, no 2xx seen (in flight at the kill)
        self.failed_at: list[float] = []  # when each of those failed (time.monotonic)
        self.latencies: list[float] = []


async def send_all(port: int, bodies: list[bytes], records: Records) -> None:
    """One keep-alive connection; after a connection failure, reconnect once the receiver is back.
    An event without a 2xx is not sent again: the check is then exactly-once for the acked."""
    reader = writer = None
    for body in bodies:
        while writer is None:
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.05)
        request = (
            f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Stripe-Signature: {sign(body)}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        started = time.perf_counter()
        try:
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            status = int(status_line.split()[1])
        except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
            records.unacked.append(body)
            records.failed_at.append(time.monotonic())
            writer = None
            continue
        records.latencies.append(time.perf_counter() - started)
        (records.acked if 200 <= status < 300 else records.unacked).append(body)


async def load(receiver: Receiver, bodies: list[bytes], records: Records) -> dict[str, float]:
    senders = [asyncio.create_task(send_all(receiver.port, bodies[i::SENDERS], records))
               for i in range(SENDERS)]
    while len(records.acked) < EVENTS * 0.45:
        await asyncio.sleep(0.005)
    killed_at = len(records.acked)
    assert receiver.process is not None
    kill_time = time.monotonic()
    os.kill(receiver.process.pid, signal.SIGKILL)
    await asyncio.to_thread(receiver.process.wait)
    await asyncio.to_thread(receiver.start)  # same port, same directory
    back_time = time.monotonic()
    await asyncio.gather(*senders)
    return {"killed_after_acks": killed_at, "kill_time": kill_time, "back_time": back_time}


def test_kill_9_under_load_loses_no_acknowledged_event(warehouse: Warehouse, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    bodies = [
        event(f"evt_load{n:06d}", "capital.financing_offer.created", 1767225600 + n,
              offer(f"financingoffer_load{n}", "undelivered", account=f"acct_{n % 300}")).encode()
        for n in range(EVENTS)
    ]
    records = Records()
    receiver = Receiver(landing).start()
    started = time.perf_counter()
    facts = asyncio.run(load(receiver, bodies, records))
    seconds = time.perf_counter() - started
    receiver.stop()
    warehouse.run("receive", str(landing), "--close")

    assert not list(landing.glob(".*.partial"))
    lines = hour_lines(landing, "capital_events_*.ndjson")
    sent = set(bodies)
    # nothing half-written: every line is one of the bodies, whole
    assert all(line in sent for line in lines)
    counts: dict[bytes, int] = {}
    for line in lines:
        counts[line] = counts.get(line, 0) + 1
    assert max(counts.values()) == 1
    # every acknowledged event exactly once, as sent
    assert all(counts.get(body) == 1 for body in records.acked)
    unacked_written = sum(1 for body in records.unacked if body in counts)
    assert len(lines) == len(records.acked) + unacked_written
    assert len(records.acked) + len(records.unacked) == EVENTS
    # the only requests without a 2xx are those in flight between the kill and the restart
    # (one per sender, or two when a sender reconnected to the dying process's backlog)
    assert all(facts["kill_time"] <= t <= facts["back_time"] for t in records.failed_at)
    assert len(records.unacked) <= 2 * SENDERS

    warehouse.run("land", str(landing))
    landed = warehouse.query("select raw_record from raw.capital_events")
    assert sorted(row[0].encode() for row in landed) == sorted(lines)
    assert warehouse.scalar("select count(*) from raw.landing_rejects") == 0

    latencies = sorted(records.latencies)
    ENGINE_TIMINGS.append(
        f"wh receive, kill -9 after {facts['killed_after_acks']} acks: {EVENTS} events from {SENDERS} "
        f"senders in {seconds:.1f} s; acknowledged {len(records.acked)}, found {len(records.acked)} "
        f"of them exactly once (+{unacked_written} of {len(records.unacked)} unacknowledged written); "
        f"p50 {latencies[len(latencies) // 2] * 1000:.1f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms"
    )
