"""The dbt docs site: one static HTML page (`dbt docs generate --static`) next to the warehouse.

The nightly run writes it for the warehouse it publishes (`<WH_DB stem>.docs.html`);
`wh docs` writes it for `$WH_DB` as it is; the dashboard shows it.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from warehouse.build import run_dbt
from warehouse.settings import ROOT, WarehouseError, os_error_sentence, warehouse_path


def docs_path(warehouse: Path | None = None) -> Path:
    """Where the docs page of a warehouse file lives: `warehouse.duckdb` -> `warehouse.docs.html`."""
    published = warehouse or warehouse_path()
    return published.with_name(published.stem + ".docs.html")


def generate(target: Path, as_of: str | None = None, announce: bool = False) -> Path:
    """Run `dbt docs generate --static` on `$WH_DB` and write the page to `target`, whole or not at all;
    with `announce`, say so before (it takes about ten seconds) and after.

    `--no-compile`: the page documents every model, column, test and exposure with its
    source SQL and the catalog of the warehouse; compiling every model again would
    triple the time for SQL the build has just run.
    """
    started = time.monotonic()
    if announce:
        print("docs: writing the dbt docs page (the catalog of every table; about 10 s) ...", flush=True)
    status = run_dbt(["--quiet", "docs", "generate", "--static", "--no-compile"], as_of)
    if status != 0:
        raise WarehouseError("dbt docs generate failed; see the log above and logs/dbt.log.")
    placed = place(target)
    if announce:
        print(f"docs: wrote the dbt docs page {placed} in {time.monotonic() - started:.0f} s", flush=True)
    return placed


def place(target: Path) -> Path:
    """Copy the page dbt has just written (`target/static_index.html`) to `target`, whole or not at all."""
    page = ROOT / "target" / "static_index.html"
    if not page.exists():
        raise WarehouseError("dbt docs generate failed; see the log above and logs/dbt.log.")
    partial = partial_path(target)
    try:
        shutil.copyfile(page, partial)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise WarehouseError(os_error_sentence(error, "the docs page cannot be copied into place")) from None
    return target


def partial_path(target: Path) -> Path:
    """Where the page is written before it is renamed into place."""
    return target.with_name(target.name + ".tmp")
