"""Faults injected into the real `scripts/wh` process, for the fault tests (test_faults.py).

A test puts this directory on `PYTHONPATH` (`scripts/wh` keeps what is there) and names one
fault in `WH_TEST_FAULT`; Python then imports this module when it starts, in `scripts/wh`
and in the Python processes that it starts (dbt), before any project code. Without
`WH_TEST_FAULT` it does nothing. The product's code knows nothing of it: the fault comes
from the standard library call that the code makes, as it would on a real machine.

- `disk_full:<pattern>`: `shutil.copyfile` to a file whose name matches the `fnmatch`
  pattern writes half of the data, then fails as a full disk does (`ENOSPC`);
- `unreadable:<name>`: opening a file of that name for reading fails with `EACCES`, as it
  does for a file of mode 000 (the tests may run as root, who reads every file);
- `stall:<name>:<marker>`: opening a file of that name for reading writes the file
  `<marker>` and then blocks, so that a test can `kill -9` the command at a known point.
"""

from __future__ import annotations

import builtins
import errno
import fnmatch
import io
import os
import shutil
import time

_FAULT = os.environ.get("WH_TEST_FAULT", "")
_KIND, _, _ARGUMENT = _FAULT.partition(":")


def _reads(mode: str) -> bool:
    return not any(flag in mode for flag in "wax+")


def _guarded_open(original):
    def guarded(file, mode="r", *args, **kwargs):
        if isinstance(file, str | os.PathLike) and _reads(mode):
            name = os.path.basename(os.fspath(file))
            if _KIND == "unreadable" and name == _ARGUMENT:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
            stalled, _, marker = _ARGUMENT.partition(":")
            if _KIND == "stall" and name == stalled:
                with original(marker, "w") as handle:
                    handle.write(str(os.getpid()))
                time.sleep(3600)
        return original(file, mode, *args, **kwargs)

    return guarded


def _full_disk_copyfile(original):
    def copyfile(src, dst, *args, **kwargs):
        if not fnmatch.fnmatch(os.path.basename(os.fspath(dst)), _ARGUMENT):
            return original(src, dst, *args, **kwargs)
        with open(src, "rb") as source, open(dst, "wb") as target:
            target.write(source.read(max(1, os.path.getsize(src) // 2)))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(dst))

    return copyfile


if _KIND in ("unreadable", "stall"):
    builtins.open = io.open = _guarded_open(io.open)
elif _KIND == "disk_full":
    shutil.copyfile = _full_disk_copyfile(shutil.copyfile)
