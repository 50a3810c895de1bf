"""The receiver's hourly event log: appends lines to the hour's file with grouped fsyncs.

Requests append their line and wait; one flush at a time writes every line waiting
since the last flush with one `write` and one `fsync` (in a worker thread, so the
server goes on reading requests meanwhile), then wakes all of them. Under load a
flush carries as many events as arrived during the previous fsync: throughput does
not pay one fsync per event, and no request is answered before its line is on disk.

The hour is the UTC hour when its flush starts. At every hour boundary (and at each
flush, whichever comes first) the finished hour's file is renamed into its final name
(`hourly.finalize`). At start, the leftover partial files of a killed or stopped
receiver are repaired (a torn last line cut off) and those of past hours finalized;
the current hour's is appended to.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import time
from collections.abc import Callable
from pathlib import Path

from warehouse import hourly


class DirectoryBusy(Exception):
    """Another receiver (or `wh receive --close`) holds the landing directory."""


class EventLog:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.directory = directory
        self.clock = clock
        self.events_written = 0
        self.flushes = 0
        self.finalized: list[Path] = []
        self._pending: list[bytes] = []
        self._waiters: list[asyncio.Future[None]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._ticker: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()  # one flush or rotation at a time
        self._fd: int | None = None
        self._hour: str | None = None
        self._lock_fd: int | None = None

    # -- start and stop ------------------------------------------------------------------
    def open(self) -> None:
        """Take the directory's lock, repair leftovers, finalize past hours (synchronous)."""
        self._lock_fd = lock_directory(self.directory)
        current = hourly.hour_of(self.clock())
        for path in hourly.partials(self.directory):
            hour, _ = hourly.parse_partial(path) or ("", "")
            if hour < current:
                self._record(hourly.finalize(path))
            else:
                hourly.repair(path)

    async def start(self) -> None:
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def close(self) -> None:
        """Write what is waiting and close the hour's file (it stays partial: the hour goes on)."""
        if self._ticker:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self._flusher:
            await self._flusher
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- appending -----------------------------------------------------------------------
    async def append(self, line: bytes) -> None:
        """Returns once `line` (which ends in LF) is fsynced into the hour's file."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        self._pending.append(line)
        self._waiters.append(waiter)
        if self._flusher is None or self._flusher.done():
            self._flusher = loop.create_task(self._flush_all())
        await waiter

    async def _flush_all(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            lines, waiters = self._pending, self._waiters
            self._pending, self._waiters = [], []
            try:
                async with self._lock:
                    await loop.run_in_executor(None, self._write, b"".join(lines))
            except OSError as error:
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(error)
                continue
            self.events_written += len(lines)
            self.flushes += 1
            for waiter in waiters:
                if not waiter.done():  # a client that went away cancels its waiter
                    waiter.set_result(None)

    def _write(self, data: bytes) -> None:
        self._rotate(hourly.hour_of(self.clock()))
        assert self._fd is not None
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    # -- hours ---------------------------------------------------------------------------
    def _rotate(self, hour: str) -> None:
        """Finalize the open file if its hour is over; open (or reopen) the hour's file."""
        if self._hour == hour and self._fd is not None:
            return
        if self._fd is not None and self._hour is not None:
            os.close(self._fd)
            self._fd = None
            self._record(hourly.finalize(hourly.partial_path(self.directory, self._hour)))
        path = hourly.partial_path(self.directory, hour)
        created = not path.exists()
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        self._hour = hour
        if created:
            hourly.fsync_dir(self.directory)

    async def _tick(self) -> None:
        """At each hour boundary, finalize the finished hour even when no event comes."""
        loop = asyncio.get_running_loop()
        while True:
            now = self.clock()
            await asyncio.sleep(3600 - now % 3600 + 0.05)
            async with self._lock:
                await loop.run_in_executor(None, self._roll_over)

    def _roll_over(self) -> None:
        hour = hourly.hour_of(self.clock())
        if self._hour is not None and self._hour < hour and self._fd is not None:
            os.close(self._fd)
            self._fd = None
            self._record(hourly.finalize(hourly.partial_path(self.directory, self._hour)))
            self._hour = None

    def _record(self, final: Path | None) -> None:
        if final is not None:
            self.finalized.append(final)

    @property
    def current_file(self) -> str | None:
        return hourly.partial_path(self.directory, self._hour).name if self._hour else None


def lock_directory(directory: Path) -> int:
    """An exclusive lock on `<directory>/.receive.lock`, held while the descriptor is open."""
    fd = os.open(directory / ".receive.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DirectoryBusy(str(directory)) from None
    return fd


def close_all(directory: Path) -> list[Path]:
    """`wh receive DIR --close`: finalize every partial hour, the current one included."""
    fd = lock_directory(directory)
    try:
        return [final for path in hourly.partials(directory) if (final := hourly.finalize(path))]
    finally:
        os.close(fd)
