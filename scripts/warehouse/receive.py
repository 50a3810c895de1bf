"""`wh receive DIR`: the provider's webhooks, written into the landing directory.

A small ASGI application served by uvicorn. `POST /webhook` verifies the
`Stripe-Signature` header with the provider's library (`stripe.WebhookSignature`:
HMAC-SHA256 of the timestamped body with the endpoint secret, timestamp within the
library's default tolerance of 300 s), checks that the body is an event envelope,
and answers 200 only once its line is fsynced into the hour's file (`eventlog`).
Anything else gets a 4xx, one log line without the payload, and writes nothing.
`GET /healthz` answers 200 with the hour's file and the events written so far.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from stripe import SignatureVerificationError, WebhookSignature

from warehouse.eventlog import DirectoryBusy, EventLog, close_all
from warehouse.settings import WarehouseError

SECRET_VARIABLE = "WH_WEBHOOK_SECRET"
MAX_BODY_BYTES = 1 << 20  # the provider's events are a few kB
TOLERANCE_SECONDS = 300  # the library's default (`stripe.Webhook.DEFAULT_TOLERANCE`)
_LINE_BREAKS = b"\r\n"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

log = logging.getLogger("warehouse.receive")


class Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def event_line(body: bytes) -> bytes:
    """The NDJSON line of a verified body, or `Refused` when it is not an event envelope.

    The line is the body as received, less its line breaks: JSON allows a raw CR or LF
    only between tokens (never inside a string), so removing them changes no value,
    and the provider's pretty-printed payloads become one line.
    """
    line = body.translate(None, _LINE_BREAKS).strip()
    try:
        envelope = json.loads(line)
    except ValueError:  # UnicodeDecodeError included
        raise Refused(400, "the body is not JSON") from None
    if not (
        isinstance(envelope, dict)
        and envelope.get("object") == "event"
        and isinstance(envelope.get("id"), str)
        and envelope["id"]
        and isinstance(envelope.get("type"), str)
        and isinstance(envelope.get("data"), dict)
    ):
        raise Refused(400, "the body is not an event envelope (object, id, type, data)")
    return line + b"\n"


def verify(body: bytes, header: str | None, secret: str) -> None:
    if not header:
        raise Refused(400, "no Stripe-Signature header")
    try:
        WebhookSignature.verify_header(body, header, secret, TOLERANCE_SECONDS)
    except SignatureVerificationError as error:
        raise Refused(400, f"bad signature ({str(error).split('. ')[0]})") from None
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None


class Receiver:
    """The ASGI application."""

    def __init__(self, directory: Path, secret: str) -> None:
        self.log = EventLog(directory)
        self.secret = secret
        self.url = ""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        try:
            if path == "/webhook":
                if method != "POST":
                    raise Refused(405, f"{method} is not allowed on /webhook")
                await self._webhook(scope, receive)
                await _respond(send, 200, {"received": True})
            elif path == "/healthz" and method in ("GET", "HEAD"):
                await _respond(send, 200, self._health())
            else:
                raise Refused(404, "no such endpoint (POST /webhook, GET /healthz)")
        except Refused as refusal:
            client = (scope.get("client") or ("?", 0))[0]
            shown = ascii(path[:200])[1:-1]  # one line whatever the path holds
            log.warning("refused %s %s from %s: %d %s", method, shown, client, refusal.status, refusal.reason)
            await _respond(send, refusal.status, {"error": refusal.reason})
        except OSError as error:
            log.error("could not write the event to %s: %s", self.log.directory, error)
            await _respond(send, 503, {"error": "the event could not be written"})

    async def _webhook(self, scope: Scope, receive: Receive) -> None:
        header = None
        for name, value in scope["headers"]:
            if name == b"stripe-signature":
                header = value.decode("latin-1")
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refused(400, "the client went away before the body ended")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise Refused(413, f"the body is over {MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        verify(body, header, self.secret)
        await self.log.append(event_line(body))

    def _health(self) -> dict[str, Any]:
        return {
            "status": "ok",
            "hour_file": self.log.current_file,
            "events_written": self.log.events_written,
            "flushes": self.log.flushes,
        }

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.log.start()
                await send({"type": "lifespan.startup.complete"})
                # only now: uvicorn handles SIGTERM from here on (a stop is graceful)
                log.info("receiving on %s into %s", self.url, self.log.directory)
            elif message["type"] == "lifespan.shutdown":
                await self.log.close()
                log.info("stopped after %d events; an hour's file left partial is finished at the next start "
                         "(or by `wh receive --close`)", self.log.events_written)
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _respond(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def secret_from_environment() -> str:
    secret = os.environ.get(SECRET_VARIABLE, "").strip()
    if not secret:
        raise WarehouseError(
            f"{SECRET_VARIABLE} is not set: export the endpoint's signing secret (whsec_...) "
            "that the provider shows for this webhook endpoint."
        )
    return secret


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


def serve(directory: Path, address: str, port: int) -> None:
    """Serve until SIGTERM or SIGINT (then in-flight requests finish and the file is closed)."""
    import uvicorn

    secret = secret_from_environment()
    if not directory.is_dir():
        raise WarehouseError(f"{directory}: no such landing directory to write into.")
    receiver = Receiver(directory, secret)
    try:
        receiver.log.open()
    except DirectoryBusy:
        raise WarehouseError(f"{directory}: another `wh receive` is writing into it.") from None
    except OSError as error:
        raise WarehouseError(f"{directory}: cannot be written into ({error.strerror or error}).") from None
    listener = _listen(address, port)
    _configure_logging()
    for final in receiver.log.finalized:
        log.info("finalized %s, left by an earlier run", final.name)
    host, bound = listener.getsockname()[:2]
    receiver.url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/webhook"
    config = uvicorn.Config(
        receiver, lifespan="on", access_log=False, log_level="warning", timeout_keep_alive=75
    )
    uvicorn.Server(config).run(sockets=[listener])


def _listen(address: str, port: int) -> socket.socket:
    try:
        family = socket.getaddrinfo(address, port, type=socket.SOCK_STREAM)[0][0]
        # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say TCP (with
        # Nagle left on, every answer waits for the client's delayed ACK, about 40 ms)
        listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((address, port))
        listener.listen(2048)
    except (OSError, OverflowError) as error:
        reason = str(getattr(error, "strerror", None) or error).rstrip(".")
        raise WarehouseError(f"cannot listen on {address} port {port} ({reason}).") from None
    return listener


def close(directory: Path) -> list[Path]:
    """`wh receive DIR --close`: finalize the hours left partial, for a last landing."""
    if not directory.is_dir():
        raise WarehouseError(f"{directory}: no such landing directory.")
    try:
        return close_all(directory)
    except DirectoryBusy:
        raise WarehouseError(
            f"{directory}: a `wh receive` is writing into it; stop it first (its hour stays partial)."
        ) from None
