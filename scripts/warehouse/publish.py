"""The two files of a warehouse and how a night publishes one from the other, with
nothing committed ever lost.

- The build state, `<stem>.build.duckdb` beside `$WH_DB`: raw, staging, intermediate and
  the marts as dbt builds them. Only `wh` writers touch it (`nightly`, `land`, `build`,
  `demo`), in place, one at a time (`<file>.lock`).
- The readers' file, `$WH_DB`: the public schemas only (`PUBLIC_SCHEMAS`). A night writes
  a new one (`<file>.nightly`: the public tables and views of the build state, its
  `audit.runs`), checkpoints it, writes it to disk and renames it over `$WH_DB`: a reader
  sees last night's file or tonight's, whole, and one that holds last night's open keeps
  reading it. What the night writes is the size of the marts, not of the warehouse.

A warehouse of one file (`wh land` and `wh build` before any night, and the layout before
the split) becomes a build state on its first night: the file *and* its write-ahead log
are copied and checkpointed (DuckDB commits into `<file>.wal` first and moves the log into
the file at a checkpoint; a `wh land` killed under `kill -9` leaves its committed rows in
the log). A log replays only onto the file it was written for: beside another file, DuckDB
refuses to open either ("WAL does not match database file"). So:

- before the rename, the readers' file's log (there is one only if something wrote that
  file) is set aside as `<file>.wal.superseded`, and removed after the rename. A night
  killed between the two is finished by the next writer: while the night's `<file>.nightly`
  exists the rename did not happen, so the log goes back beside its file; once it is gone,
  the rename happened and the log is removed;
- a log that matches no file cannot be replayed by DuckDB at all: it is set aside as
  `<file>.wal.stale-<time>`, kept, and said.
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

from warehouse import lookup_indexes
from warehouse.settings import WarehouseError, os_error_sentence


def wal(database: Path) -> Path:
    return Path(f"{database}.wal")


# what readers open: the marts, the audit tables, the semantic layer's time spine, the seeds
PUBLIC_SCHEMAS = ("capital", "collections", "audit", "semantic", "reference")


def night_copy(published: Path) -> Path:
    """The readers' file a night writes (and, on a warehouse's first night, the copy of a
    one-file warehouse that becomes its build state)."""
    return published.with_name(published.name + ".nightly")


def state_path(published: Path) -> Path:
    """The build state beside the readers' file: `warehouse.duckdb` -> `warehouse.build.duckdb`
    (DuckDB and dbt name its database `warehouse` too, as the readers' file)."""
    return published.with_name(published.name.split(".")[0] + ".build.duckdb")


def build_target(published: Path) -> Path:
    """The file `wh land` and `wh build` write: the build state once a night has made one,
    else the warehouse of one file."""
    state = state_path(published)
    return state if state.exists() else published


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
    with exclusive_lock(published):
        finish_interrupted_publish(published)
        yield


@contextlib.contextmanager
def exclusive_lock(written: Path) -> Iterator[None]:
    """`<path>.lock`, held while a `wh` command writes `written` (the DuckDB file, or the Spark
    targets' tables): a second writer is refused in one sentence."""
    lock = written.with_name(written.name + ".lock")
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
                f"{written}: another nightly run, landing or build is writing it; "
                "run this again when it has finished."
            ) from None
        yield


def finish_interrupted_publish(published: Path) -> None:
    """Put right a publish killed between setting the old log aside and the rename."""
    aside = superseded_wal(published)
    if not aside.exists():
        # a night killed before its rename: its readers' file is not published, ever
        for path in (night_copy(published), wal(night_copy(published))):
            path.unlink(missing_ok=True)
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


def open_state(published: Path) -> str | None:
    """The night's build state: made on the first night from the one-file warehouse (its log
    folded in), else as it is. Returns a warning sentence when a log beside the readers'
    file was stale (set aside, not used)."""
    state = state_path(published)
    if state.exists():
        return _check_readers_wal(published)
    if not published.exists():
        return None  # a new warehouse: the night's landing creates the state
    work = night_copy(published)
    warning = copy_for_night(published, work)
    os.replace(work, state)
    fsync(published.parent)
    return warning


def _check_readers_wal(published: Path) -> str | None:
    """A log beside the readers' file that DuckDB cannot replay onto it is set aside (kept)."""
    if not wal(published).exists() or not published.exists():
        return None
    try:
        duckdb.connect(str(published), read_only=True).close()
    except duckdb.IOException as error:
        if "does not match" not in str(error):
            raise
        return _set_stale_wal_aside(published, error)
    return None


def write_readers_file(state: Path, readers: Path) -> None:
    """The public schemas of the build state, tables and views, into a new file `readers`, and
    the offer lookups' indexes (warehouse.lookup_indexes)."""
    for path in (readers, wal(readers)):
        path.unlink(missing_ok=True)
    with duckdb.connect(str(readers)) as con:
        con.execute(f"attach '{state}' as build_state (read_only)")
        schemas = list(PUBLIC_SCHEMAS)
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'build_state' and schema_name in ? order by all",
            [schemas],
        ).fetchall()
        views = con.execute(
            "select sql from duckdb_views() where database_name = 'build_state' "
            "and not internal and schema_name in ? order by schema_name, view_name",
            [schemas],
        ).fetchall()
        for schema in sorted({schema for schema, _ in tables}):
            con.execute(f'create schema "{schema}"')
        for schema, table in tables:
            con.execute(f'create table "{schema}"."{table}" as from build_state."{schema}"."{table}"')
        con.execute("detach build_state")
        for (sql,) in views:  # they read the public tables only, named without a database
            con.execute(sql)
        lookup_indexes.create(con)
        con.execute("checkpoint")


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
