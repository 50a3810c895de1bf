"""Shared helpers: run the real `scripts/wh` commands against a temporary warehouse."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
WH = ROOT / "scripts" / "wh"


class Warehouse:
    """A warehouse file in a temporary directory, driven through `scripts/wh`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, WH_DB=str(self.path))
        raw = subprocess.run([str(WH), *args], env=env, capture_output=True, check=False)
        # decoded by hand: text mode would turn the CSV exports' CRLF into LF
        result = subprocess.CompletedProcess(
            raw.args, raw.returncode, raw.stdout.decode("utf-8"), raw.stderr.decode("utf-8")
        )
        if check and result.returncode != 0:
            raise AssertionError(f"wh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse.duckdb")


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
