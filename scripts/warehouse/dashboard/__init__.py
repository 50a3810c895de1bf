"""`wh dashboard`: the Capital and Collections dashboard, a Streamlit app on the published warehouse.

The app (`app.py`, its pages under `pages/`, their views in this package) only reads: every
run of a page opens `$WH_DB` read-only and closes it at the end, so the nightly run can
publish under it and the next page run reads the new file.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from pathlib import Path

from warehouse.settings import ROOT, WarehouseError, open_read_only, warehouse_path

APP = Path(__file__).with_name("app.py")


def _check_port(address: str, port: int) -> None:
    try:
        with socket.create_server((address, port)):
            pass
    except OSError as error:
        reason = (
            "is already in use" if error.errno == errno.EADDRINUSE else f"cannot be used ({error.strerror})"
        )
        raise WarehouseError(f"--port {port} on {address} {reason}.") from None


def serve(port: int, address: str) -> None:
    """Replace this process with the Streamlit server (Ctrl+C stops it)."""
    open_read_only().close()  # one plain sentence now if there is no warehouse to read
    _check_port(address, port)
    env = dict(os.environ)
    env["WH_DB"] = str(warehouse_path())  # absolute: the server's working directory does not matter
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "scripts"), env.get("PYTHONPATH")]))
    env.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
    ]
    print(f"dashboard: http://{address}:{port}/ reading {warehouse_path()} (read-only); Ctrl+C stops it.")
    sys.stdout.flush()
    os.execve(sys.executable, command, env)
