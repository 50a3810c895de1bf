"""`wh bench-receive`: load a `wh receive` on 127.0.0.1 and print events/s and latency.

Starts `wh receive` (its own process, as in production) into a temporary landing
directory with a random secret, then sends signed financing-offer events (about 1 kB
each, like the provider's) from concurrent senders, each on one keep-alive connection
sending its next event as soon as the previous one is acknowledged. Latency is from
the request's first byte sent to the response's last byte read; throughput is the
events acknowledged divided by the time from the first send to the last answer.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from stripe import WebhookSignature

from warehouse.settings import ROOT, WarehouseError


def event_body(number: int, run: str) -> bytes:
    created = int(time.time())
    offer = {
        "id": f"financingoffer_bench{run}{number}", "object": "capital.financing_offer",
        "account": f"acct_bench{number % 500}", "created": created, "expires_after": created + 30 * 86400,
        "financing_type": "cash_advance", "livemode": True, "metadata": {"campaign": "bench"},
        "offered_terms": {
            "advance_amount": 500000 + number, "campaign_type": "newly_eligible_user", "currency": "eur",
            "fee_amount": 50000, "previous_financing_fee_discount_rate": None, "withhold_rate": 0.15,
            "repayment_interval_configuration": None, "target_payback_days": None,
        },
        "accepted_terms": None, "charged_off_at": None, "product_type": "standard", "replacement": None,
        "replacement_for": None, "replacement_type": None, "status": "undelivered",
        "status_transitions": None,
    }
    envelope = {
        "id": f"evt_bench{run}{number:08d}", "object": "event", "api_version": "2024-06-20",
        "created": created, "livemode": True, "pending_webhooks": 1,
        "type": "capital.financing_offer.created",
        "request": {"id": None, "idempotency_key": None}, "data": {"object": offer},
    }
    return json.dumps(envelope, separators=(",", ":")).encode()


async def _sender(port: int, secret: str, bodies: list[bytes], latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    failures = 0
    try:
        for body in bodies:
            header = WebhookSignature.generate_signature_header(body.decode(), secret)
            request = (
                b"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Stripe-Signature: " + header.encode() + b"\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
            )
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            failures += status != 200
    finally:
        writer.close()
    return failures


async def _load(port: int, secret: str, events: int, senders: int) -> dict[str, Any]:
    run = secrets.token_hex(3)
    bodies = [event_body(n, run) for n in range(events)]
    latencies: list[float] = []
    started = time.perf_counter()
    failures = await asyncio.gather(
        *(_sender(port, secret, bodies[i::senders], latencies) for i in range(senders))
    )
    seconds = time.perf_counter() - started
    latencies.sort()
    quantile = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "events": events, "senders": senders, "seconds": seconds, "failed": sum(failures),
        "events_per_second": (events - sum(failures)) / seconds,
        "p50_ms": quantile[49] * 1000, "p99_ms": quantile[98] * 1000, "max_ms": latencies[-1] * 1000,
        "body_bytes": len(bodies[0]),
    }


def _start_receiver(directory: Path, secret: str) -> tuple[subprocess.Popen[bytes], int]:
    env = dict(os.environ, WH_WEBHOOK_SECRET=secret, PYTHONPATH=str(ROOT / "scripts"))
    process = subprocess.Popen(
        [sys.executable, "-m", "warehouse", "receive", str(directory), "--port", "0"],
        env=env, stderr=subprocess.PIPE,
    )
    assert process.stderr is not None
    for raw in process.stderr:
        line = raw.decode(errors="replace")
        if "receiving on http://" in line:
            port = int(line.split("receiving on http://")[1].split("/")[0].rsplit(":", 1)[1])
            # keep reading its log, so that a full pipe never blocks it
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, port
    process.wait()
    raise WarehouseError(f"`wh receive` did not start (exit status {process.returncode}).")


def run(events: int, senders: int, directory: Path | None = None) -> dict[str, Any]:
    if events < 100 or senders < 1:
        raise WarehouseError("--events must be at least 100 and --senders at least 1.")
    with tempfile.TemporaryDirectory(prefix="bench-receive-") as temporary:
        landing = directory or Path(temporary)
        landing.mkdir(parents=True, exist_ok=True)
        secret = "whsec_" + secrets.token_hex(16)
        process, port = _start_receiver(landing, secret)
        try:
            figures = asyncio.run(_load(port, secret, events, senders))
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                health = json.load(answer)
            figures["events_per_fsync"] = health["events_written"] / max(1, health["flushes"])
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        files = [*landing.glob(".capital_events_*.partial"), *landing.glob("capital_events_*.ndjson")]
        lines = sum(p.read_bytes().count(b"\n") for p in files)
        figures["lines_on_disk"] = lines
    return figures


def render(figures: dict[str, Any]) -> str:
    return (
        f"{figures['events']} events ({figures['body_bytes']} bytes each) from {figures['senders']} "
        f"concurrent senders in {figures['seconds']:.1f} s: {figures['events_per_second']:.0f} events/s "
        f"acknowledged, {figures['failed']} refused\n"
        f"latency p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, "
        f"max {figures['max_ms']:.1f} ms\n"
        f"lines on disk: {figures['lines_on_disk']}, {figures['events_per_fsync']:.1f} events per fsync"
    )
