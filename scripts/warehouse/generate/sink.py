"""Output files: per-file chunk buffers, shuffled and appended in bounded memory."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import TextIO

from warehouse.generate.common import rng_for


class Sink:
    """Buffers one chunk of records per file, then shuffles and appends them.

    CSV records are lists of cells (already text, or None for an empty cell);
    NDJSON records are finished lines without their newline. A file is created
    when it is declared with `eager=True` or, otherwise, at its first record, so
    that no empty NDJSON file is ever written.
    """

    def __init__(self, out_dir: Path, seed: int) -> None:
        self.out_dir = out_dir
        self.seed = seed
        self.counts: dict[str, int] = {}
        self._buffers: dict[str, list] = {}
        self._headers: dict[str, list[str] | None] = {}
        self._dup_rate: dict[str, float] = {}
        self._handles: dict[str, TextIO] = {}
        self._writers: dict[str, object] = {}

    def csv(self, name: str, header: list[str], dup_rate: float = 0.0, eager: bool = True) -> list:
        """Declare a CSV file; return its buffer (append rows to it)."""
        self._declare(name, header, dup_rate)
        if eager:
            self._open(name)
        return self._buffers[name]

    def ndjson(self, name: str) -> list:
        """Declare an NDJSON file; return its buffer (append lines to it)."""
        self._declare(name, None, 0.0)
        return self._buffers[name]

    def buffer(self, name: str) -> list:
        return self._buffers[name]

    def _declare(self, name: str, header: list[str] | None, dup_rate: float) -> None:
        if name not in self._buffers:
            self._buffers[name] = []
            self._headers[name] = header
            self._dup_rate[name] = dup_rate

    def _open(self, name: str) -> None:
        if name in self._handles:
            return
        handle = (self.out_dir / name).open("w", encoding="utf-8", newline="")
        self._handles[name] = handle
        self.counts[name] = 0
        header = self._headers[name]
        if header is not None:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            self._writers[name] = writer

    def flush(self, chunk: int | str, shuffle: bool = True) -> None:
        """Write every buffered record (with the file's duplicates), shuffled per file."""
        for name in sorted(self._buffers):
            items = self._buffers[name]
            if not items:
                continue
            rng = rng_for(self.seed, chunk, f"shuffle:{name}")
            rate = self._dup_rate[name]
            if rate and shuffle:
                extra = int(len(items) * rate + rng.random())
                if extra:
                    items.extend(rng.sample(items, min(extra, len(items))))
            if shuffle:
                rng.shuffle(items)
            self._write(name, items)
            items.clear()

    def _write(self, name: str, items: list) -> None:
        self._open(name)
        if self._headers[name] is None:
            self._handles[name].write("\n".join(items) + "\n")
        else:
            self._writers[name].writerows(items)
        self.counts[name] += len(items)

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()


class Progress:
    """`generate: done/total accounts` on stderr: in place on a TTY, else every ~10 %."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total > 0
        self.tty = sys.stderr.isatty()
        self.step = max(1, total // 10)
        self.next = self.step

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        message = f"generate: {done}/{self.total} accounts"
        if self.tty:
            sys.stderr.write("\r" + message)
            sys.stderr.flush()
        elif done >= self.next or done == self.total:
            print(message, file=sys.stderr, flush=True)
            while self.next <= done:
                self.next += self.step

    def finish(self, note: str) -> None:
        if not self.enabled:
            return
        if self.tty:
            sys.stderr.write("\n")
        print(f"generate: {note}", file=sys.stderr, flush=True)
