"""The landing directory as both engines see it: which files land, in which order, and the
file-level checks that refuse a file whole (land.py lands into DuckDB, land_spark.py into Spark).

A landing directory is walked whole, subfolders included (date-partitioned deliveries such
as `2026/11/23/capital_events.ndjson`); a file is named by its path below the directory and
its kind is read from its base name. A gzip file (`<name>.gz`) lands as its content. Files
land in the order of their paths, folder by folder. A file whose content was landed before
(the SHA-256 of its content, gzip'ed or not, whatever its name and folder) adds nothing.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import hashlib
import io
import json
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from warehouse.contract import Kind, kind_of
from warehouse.settings import WarehouseError

_CHUNK = 1 << 20
GZIP_SUFFIX = ".gz"
# JSON's white space (RFC 8259): a line of nothing else is a blank line, counted, not landed
JSON_WHITE_SPACE = b" \t\r\n"


class LandingError(WarehouseError):
    """A file refused whole; the message is one sentence naming the file."""


@dataclass
class LandingReport:
    landed: dict[str, int] = field(default_factory=dict)  # file -> records landed
    rejected: dict[str, int] = field(default_factory=dict)  # file -> malformed rows
    skipped: list[str] = field(default_factory=list)  # landed before
    ignored: list[str] = field(default_factory=list)  # notices: files that match no kind
    refused: list[str] = field(default_factory=list)  # one sentence each
    shown: bool = False  # the landed files were printed as they landed

    @property
    def rows_landed(self) -> int:
        return sum(self.landed.values())

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())


@dataclass(frozen=True)
class Candidate:
    """A file that passed the file-level checks and was not landed before: to land."""

    path: Path
    name: str  # its path below the landing directory, as `_source_file` records it
    kind: Kind
    sha256: str  # of its content (decompressed, for a gzip file)
    header: list[str]  # the CSV header as read (empty for NDJSON)

    @property
    def gzipped(self) -> bool:
        return is_gzipped(self.path)


def is_gzipped(path: Path) -> bool:
    return path.name.endswith(GZIP_SUFFIX)


def open_content(path: Path) -> IO[bytes]:
    """The file's content, binary: a gzip file decompressed."""
    return gzip.open(path, "rb") if is_gzipped(path) else path.open("rb")


def _files(directory: Path, report: LandingReport) -> list[tuple[str, Path]]:
    """Every file below `directory` as (name, path), in path order, folder by folder."""
    found: list[Path] = []

    def unreadable_folder(error: OSError) -> None:
        name = Path(error.filename).relative_to(directory).as_posix()
        report.refused.append(
            f"{name}: this folder cannot be read ({error.strerror}); its files did not land."
        )

    for folder, subfolders, files in os.walk(directory, onerror=unreadable_folder):
        for name in list(subfolders):
            if Path(folder, name).is_symlink():  # not followed: a link may loop or leave the directory
                subfolders.remove(name)
                relative = Path(folder, name).relative_to(directory).as_posix()
                report.ignored.append(f"{relative}: a link to a folder, not followed; ignored.")
        found.extend(Path(folder, name).relative_to(directory) for name in files)
    return [(relative.as_posix(), directory / relative) for relative in sorted(found)]


def contract_file_count(directory: Path) -> int:
    """How many files below `directory` `candidates` will consider: not hidden, of a kind,
    regular (the denominator of the landing progress; nothing is read or recorded)."""
    count = 0
    for _name, path in _files(directory, LandingReport()):
        if path.name.startswith(".") or kind_of(path.name.removesuffix(GZIP_SUFFIX)) is None:
            continue
        try:
            count += stat.S_ISREG(path.stat().st_mode)
        except OSError:
            count += 1  # refused by `candidates`, which counts it as done
    return count


def candidates(
    directory: Path, report: LandingReport, landed_before: Callable[[str], bool]
) -> Iterator[Candidate]:
    """The contract files below `directory` to land, in path order, whatever the engine.

    Hidden files (a name starting with a dot) are skipped without a word: they are files
    still being written (`wh receive`'s hour in progress), locks and cursors. Files of no
    kind, landed before (`landed_before(sha256)`) or refused by the file-level
    checks (unreadable, not a valid gzip file, not UTF-8, empty, a CSV header lacking a
    required column, NDJSON whose first line is not a JSON object) are recorded in `report`.
    The caller lands each candidate before asking for the next one.
    """
    if not directory.is_dir():
        raise LandingError(f"{directory}: no such directory to land.")
    for name, path in _files(directory, report):
        if path.name.startswith("."):  # hidden: an hour `wh receive` is still writing, a lock
            continue
        base = path.name.removesuffix(GZIP_SUFFIX)
        kind = kind_of(base)
        if kind is None:
            report.ignored.append(f"{name}: matches no landing file kind; ignored.")
            continue
        try:
            if not stat.S_ISREG(path.stat().st_mode):
                report.ignored.append(f"{name}: not a regular file; ignored.")
                continue
            sha256 = checked_digest(path, name)
            if landed_before(sha256):
                report.skipped.append(name)
                continue
            header = check_csv_header(path, name, kind) if kind.ext == "csv" else check_ndjson(path, name)
        except LandingError as error:
            report.refused.append(str(error))
            continue
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            report.refused.append(f"{name}: is not a valid gzip file ({error or 'it ends too early'}).")
            continue
        except OSError as error:
            report.refused.append(f"{name}: cannot be read ({error.strerror or error}).")
            continue
        yield Candidate(path, name, kind, sha256, header)


def checked_digest(path: Path, name: str) -> str:
    """SHA-256 of the file's content, refusing a file that is empty or not UTF-8 text."""
    digest, decoder = hashlib.sha256(), codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open_content(path) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise LandingError(
                    f"{name}: is not UTF-8 text (invalid byte at offset {offset + error.start})."
                ) from None
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise LandingError(f"{name}: is not UTF-8 text (it ends within a character).") from None
    if offset == 0:
        raise LandingError(f"{name}: is empty.")
    return digest.hexdigest()


def check_csv_header(path: Path, name: str, kind: Kind) -> list[str]:
    with io.TextIOWrapper(open_content(path), encoding="utf-8-sig", newline="") as handle:
        try:
            header = next(csv.reader(handle))
        except (StopIteration, csv.Error):
            header = []
    missing = [c for c in kind.columns if c not in header]
    if missing:
        raise LandingError(
            f"{name}: refused as a {kind.name} file: its header lacks the required "
            f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}."
        )
    return header


def check_ndjson(path: Path, name: str) -> list[str]:
    for number, line in ndjson_lines(path):
        try:
            is_object = isinstance(json.loads(line), dict)
        except ValueError:
            is_object = False
        if not is_object:
            raise LandingError(f"{name}: is not NDJSON: line {number} is not a JSON object.")
        return []
    raise LandingError(f"{name}: holds no JSON object.")


def ndjson_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of every line that is not blank, without its line end.

    A line ends at LF; a CR before it is part of the line end (CRLF); a line of JSON white
    space only is blank (counted, not landed). Nothing else is changed: a CR elsewhere is
    JSON white space, kept in the record.
    """
    with open_content(path) as handle:
        for number, line in enumerate(handle, start=1):  # binary: split at LF only
            line = line.removesuffix(b"\n").removesuffix(b"\r")
            if line.strip(JSON_WHITE_SPACE):
                yield number, line.decode("utf-8")
