"""The published warehouse file and DuckDB's write-ahead log: one writer at a time, the
night's copy, and the rename that publishes it, with nothing committed ever lost.

DuckDB commits into `<file>.wal` first and moves the log into the file at a checkpoint
(at the latest when the last connection closes); a process killed before that (a `wh
land` under `kill -9`) leaves its committed transactions in the log, and the next
connection replays them, in memory when it is read-only. A log replays only onto the file
it was written for: beside another file, DuckDB refuses to open either ("WAL does not
match database file"). So:

- the night copies the file *and* its log, and checkpoints the copy at once: the copy
  holds everything committed to the published warehouse, in the file alone;
- before the rename, the copy is checkpointed again (no `.wal` of its own) and the
  published file's log, whose content the copy holds, is set aside as `<file>.wal.superseded`;
  after the rename it is removed. A night killed between the two is finished by the next
  writer: the published file is still the old one while the night's copy exists, so the
  log goes back beside it; once the copy is gone, the rename happened and the log is removed;
- a log that matches no file (left by a publish that did not set it aside) cannot be
  replayed by DuckDB at all: it is set aside as `<file>.wal.stale-<time>`, kept, and said.

Every writer through `wh` (`nightly`, `land`, `build`, `demo`) holds `<file>.lock`, so no
landing runs while a night works on its copy (its rows would be lost at the rename).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse.settings import WarehouseError, os_error_sentence


def wal(database: Path) -> Path:
    return Path(f"{database}.wal")


def night_copy(published: Path) -> Path:
    return published.with_name(published.name + ".nightly")


def superseded_wal(published: Path) -> Path:
    return published.with_name(published.name + ".wal.superseded")


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writer_lock(published: Path) -> Iterator[None]:
    """`<file>.lock`, held while a `wh` command writes the warehouse; a publish that a kill
    interrupted is finished first."""
    lock = published.with_name(published.name + ".lock")
    try:
        handle = lock.open("w")
    except OSError as error:
        raise WarehouseError(
            os_error_sentence(error, "the warehouse's lock file cannot be created")
        ) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WarehouseError(
                f"{published}: another nightly run, landing or build is writing it; "
                "run this again when it has finished."
            ) from None
        finish_interrupted_publish(published)
        yield


def finish_interrupted_publish(published: Path) -> None:
    """Put right a publish killed between setting the old log aside and the rename."""
    aside = superseded_wal(published)
    if not aside.exists():
        return
    if not night_copy(published).exists():  # the rename happened: the file holds the log's content
        aside.unlink()
    elif wal(published).exists():
        raise WarehouseError(
            f"{aside}: the log of {published.name} set aside by an interrupted publish, and "
            f"{wal(published).name} has been written since; neither is removed: keep both and "
            "ask the warehouse's maintainers."
        )
    else:  # the rename did not happen: the log goes back beside its file, the copy goes
        os.replace(aside, wal(published))
        for path in (night_copy(published), wal(night_copy(published))):
            path.unlink(missing_ok=True)
    fsync(published.parent)


def copy_for_night(published: Path, work: Path) -> str | None:
    """Copy the published file and its log to `work`, the log folded into the copy.

    Returns a warning sentence when the published log was stale (set aside, not used).
    """
    warning = None
    try:
        if published.exists():
            shutil.copyfile(published, work)
            if wal(published).exists():
                shutil.copyfile(wal(published), wal(work))
        try:
            checkpoint(work)
        except duckdb.IOException as error:
            if not wal(work).exists() or "does not match" not in str(error):
                raise
            warning = _set_stale_wal_aside(published, error)
            wal(work).unlink()
            checkpoint(work)
    except OSError as error:
        raise WarehouseError(
            os_error_sentence(error, f"the night's copy of {published.name} cannot be written")
        ) from None
    return warning


def _set_stale_wal_aside(published: Path, error: duckdb.Error) -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = published.with_name(f"{published.name}.wal.stale-{stamp}")
    os.replace(wal(published), aside)
    fsync(published.parent)
    reason = str(error).strip().splitlines()[0].rsplit(": ", 1)[-1].rstrip(".")
    return (
        f"{wal(published).name} was not written for {published.name} and DuckDB cannot replay it "
        f"({reason}); it is kept as {aside.name}, and nothing of it is in the warehouse."
    )


def checkpoint(database: Path) -> None:
    """Move the database's log into the file; afterwards the file alone holds everything."""
    with duckdb.connect(str(database)) as con:
        con.execute("checkpoint")
    if wal(database).exists():
        raise WarehouseError(f"{database}: its log {wal(database).name} could not be checkpointed.")


def set_old_wal_aside(published: Path) -> None:
    """Before the rename: the published file's log (its content is in the night's copy)."""
    if wal(published).exists():
        os.replace(wal(published), superseded_wal(published))
        fsync(published.parent)


def restore_old_wal(published: Path) -> None:
    """A night that fails after setting the old log aside, but before the rename (its copy is
    still there), puts the log back beside its file."""
    if superseded_wal(published).exists() and night_copy(published).exists():
        os.replace(superseded_wal(published), wal(published))
        fsync(published.parent)


def replace(work: Path, published: Path) -> None:
    """The rename that publishes the night's copy (checkpointed, on disk), then the old log goes.

    Once the rename is done the night is published: what follows cannot fail it (a log left
    aside is removed by the next writer, as after a kill)."""
    os.replace(work, published)
    with contextlib.suppress(OSError):
        fsync(published.parent)
        superseded_wal(published).unlink(missing_ok=True)
        fsync(published.parent)
