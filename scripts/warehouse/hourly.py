"""Hourly `capital_events_<YYYYMMDDHH>*.ndjson` landing files, written whole or not at all.

An hour being written is a hidden file, `.capital_events_<hour><tag>.ndjson.partial`:
`wh land` skips names that start with a dot, so it never reads an hour in progress.
When the hour is complete the file is fsynced and renamed into its final name
(`capital_events_<hour><tag>.ndjson`, or `..._2.ndjson` and so on when that name is
taken: a final file is never overwritten), and the directory is fsynced.

A process killed while writing can leave a torn last line (bytes after the last LF).
Such bytes were never acknowledged (an event is acknowledged only once its whole line
is fsynced), so `repair` cuts them off the file and keeps them beside it, hidden, in
`.<name>.torn`, for whoever wants to look; the sender re-sends what was not
acknowledged. A final file therefore holds whole lines only.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "capital_events_"
PARTIAL_SUFFIX = ".ndjson.partial"
_PARTIAL = re.compile(r"^\.capital_events_(\d{10})(.*)\.ndjson\.partial$")


def hour_of(timestamp: float) -> str:
    """The UTC hour of a Unix timestamp, as `YYYYMMDDHH`."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y%m%d%H")


def partial_path(directory: Path, hour: str, tag: str = "") -> Path:
    return directory / f".{PREFIX}{hour}{tag}{PARTIAL_SUFFIX}"


def parse_partial(path: Path) -> tuple[str, str] | None:
    """(hour, tag) of a partial file's name, or None for any other name."""
    match = _PARTIAL.match(path.name)
    return (match.group(1), match.group(2)) if match else None


def partials(directory: Path, tag: str = "") -> list[Path]:
    """The partial files of `directory` written under `tag`, in hour order."""
    found = []
    for path in directory.iterdir():
        parsed = parse_partial(path)
        if parsed and parsed[1] == tag:
            found.append(path)
    return sorted(found)


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def repair(path: Path) -> int:
    """Cut a torn last line off `path` (kept in `.<name>.torn`); the number of bytes cut."""
    with path.open("r+b") as handle:
        size = handle.seek(0, os.SEEK_END)
        keep = size
        while keep > 0:  # find the last LF, reading backwards in blocks
            start = max(0, keep - 65536)
            handle.seek(start)
            block = handle.read(keep - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            keep = start
        if keep == size:
            return 0
        handle.seek(keep)
        tail = handle.read()
        torn = path.with_name(f"{path.name}.torn")
        with torn.open("ab") as out:
            out.write(tail + b"\n")
            out.flush()
            os.fsync(out.fileno())
        handle.truncate(keep)
        handle.flush()
        os.fsync(handle.fileno())
    return size - keep


def finalize(path: Path) -> Path | None:
    """Repair and rename a complete hour's partial file into its final name.

    The final name is never overwritten (a hard link fails if the name exists; then
    `_2`, `_3`, ... is tried). An empty partial file is removed: no file for an hour
    without events. Returns the final path, or None when nothing was left to land.
    """
    parsed = parse_partial(path)
    if parsed is None:
        raise ValueError(f"{path.name} is not a partial hourly file")
    hour, tag = parsed
    repair(path)
    if path.stat().st_size == 0:
        path.unlink()
        fsync_dir(path.parent)
        return None
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
    number = 1
    while True:
        suffix = "" if number == 1 else f"_{number}"
        final = path.with_name(f"{PREFIX}{hour}{tag}{suffix}.ndjson")
        try:
            os.link(path, final)
            break
        except FileExistsError:
            number += 1
    path.unlink()
    fsync_dir(path.parent)
    return final
