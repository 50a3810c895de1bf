"""Shared helpers: run the real `scripts/wh` commands against a temporary warehouse."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import shutil
import socket
import subprocess
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
WH = ROOT / "scripts" / "wh"
# scripts/setup's notice when it (re)installs .venv, e.g. one shared by checkouts of other locks:
# the environment's, not the command's output
SETUP_NOTICE = f"setting up {ROOT}/.venv from requirements.lock (first run only, about a minute) ...\n"
FAULTS = Path(__file__).with_name("faults")


def injected(fault: str) -> dict[str, str]:
    """The environment that makes a `scripts/wh` command meet `fault` (faults/sitecustomize.py)."""
    return {"PYTHONPATH": str(FAULTS), "WH_TEST_FAULT": fault}


# Lines for the end of the pytest report: tests that time the engines add theirs.
ENGINE_TIMINGS: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if ENGINE_TIMINGS:
        terminalreporter.section("engine timings")
        for line in ENGINE_TIMINGS:
            terminalreporter.write_line(line)


class Warehouse:
    """A warehouse file in a temporary directory, driven through `scripts/wh`."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str, check: bool = True, **env_vars: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, WH_DB=str(self.path), **env_vars)
        # a session of its own: a test may kill the run's whole process group
        raw = subprocess.run(
            [str(WH), *args], env=env, capture_output=True, check=False, start_new_session=True
        )
        # decoded by hand: text mode would turn the CSV exports' CRLF into LF
        result = subprocess.CompletedProcess(
            raw.args,
            raw.returncode,
            raw.stdout.decode("utf-8"),
            raw.stderr.decode("utf-8").removeprefix(SETUP_NOTICE),
        )
        if check and result.returncode != 0:
            raise AssertionError(f"wh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def query(self, sql: str, *params: object) -> list[tuple]:
        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]


@pytest.fixture
def warehouse(tmp_path: Path) -> Warehouse:
    return Warehouse(tmp_path / "warehouse.duckdb")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# interface.md, "Schemas and tables"
INTERFACE_TABLES = {
    "capital.financing_offers",
    "capital.financing_balances",
    "capital.connected_account_financing_transactions",
    "capital.topline",
    "capital.monthly_financing",
    "capital.daily_program_metrics",
    "capital.daily_loan_size",
    "capital.pending_offers",
    "capital.platform_earnings_monthly",
    "collections.participants",
    "collections.payers",
    "collections.transactions",
    "collections.transfers",
    "collections.collection_summary",
    "audit.rejected_rows",
}
PUBLIC_SCHEMAS = ("capital", "collections", "audit")
NOT_COMPARED_TABLES = ("build_info", "runs")  # bookkeeping of a build, different by nature


def differing_tables(a: Path, b: Path) -> dict[str, tuple[int, int]]:
    """Public tables whose rows differ between two warehouses (bookkeeping columns `_*`,
    landing times and `batch_timestamp`, when a build wrote the row, left out):
    {table: (rows only in a, rows only in b)}."""
    con = duckdb.connect()
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    tables = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_catalog = 'a' and table_schema in ? and table_name not in ? order by 1",
        [list(PUBLIC_SCHEMAS), list(NOT_COMPARED_TABLES)],
    ).fetchall()
    differing = {}
    for (table,) in tables:
        schema, name = table.split(".")
        columns = [
            f'"{c}"'
            for (c,) in con.execute(
                "select column_name from information_schema.columns where table_catalog = 'a' "
                "and table_schema = ? and table_name = ? and column_name not like '\\_%' escape '\\' "
                "and column_name not in ('landed_at', 'batch_timestamp') order by ordinal_position",
                [schema, name],
            ).fetchall()
        ]
        select = ", ".join(columns)
        only_a = con.execute(
            f"select count(*) from (select {select} from a.{table} except all select {select} from b.{table})"
        ).fetchone()[0]
        only_b = con.execute(
            f"select count(*) from (select {select} from b.{table} except all select {select} from a.{table})"
        ).fetchone()[0]
        if only_a or only_b:
            differing[table] = (only_a, only_b)
    con.close()
    return differing


GENERATED_AS_OF = "2026-10-31"


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A warehouse built from a generated landing set (scale 120, seed 7, bad rows, as of
    2026-10-31): the one `scripts/test` has just built (`$WH_TEST_WAREHOUSE`), else built
    here the same way. Tests only read it."""
    given = os.environ.get("WH_TEST_WAREHOUSE")
    if given and Path(given).exists():
        return Warehouse(Path(given))
    tmp = tmp_path_factory.mktemp("generated")
    warehouse = Warehouse(tmp / "warehouse.duckdb")
    warehouse.run("generate", "--out", str(tmp / "landing"), "--scale", "120", "--seed", "7", "--bad-rows")
    warehouse.run("land", str(tmp / "landing"))
    warehouse.run("build", "--as-of", GENERATED_AS_OF)
    return warehouse


@pytest.fixture(scope="session")
def dashboard_db(generated: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    """A copy of the generated warehouse with its dbt docs page beside it, for the dashboard."""
    copy = Warehouse(tmp_path_factory.mktemp("dashboard") / "warehouse.duckdb")
    shutil.copyfile(generated.path, copy.path)
    copy.run("docs")
    return copy


@dataclasses.dataclass
class PublishedNight:
    """`wh nightly` on a copy of the generated warehouse, published while a BI client held the
    file open: the night's output and what the client read before, during and after it."""

    warehouse: Warehouse
    result: subprocess.CompletedProcess[str]
    added: int  # what tonight's one paid transaction (a tip-model collection) adds to its club's
    reads: dict[str, int | str]  # the club's amount collected in the month, read at each step


@pytest.fixture(scope="session")
def published_night(generated: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> PublishedNight:
    """One real night, shared by the tests of what a night prints (test_progress) and of a BI
    tool on the published file (test_bi_tools): one nightly costs a minute on a shared machine.

    Last night's file is a copy of the generated warehouse; tonight lands one more paid
    transaction of 7000 in a tip-model collection (nothing taken by the platform: the club
    collects all of it). A BI server's SQLAlchemy engine (duckdb-engine, read-only, its pool
    keeping the connection) holds a connection across the night.
    """
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    tmp = tmp_path_factory.mktemp("night")
    night = Warehouse(tmp / "warehouse.duckdb")
    shutil.copyfile(generated.path, night.path)
    collection, account, currency, payer, participant, opened = night.query(
        "select p.collection_id, c.account_id, c.currency, p.payer_id, p.participant_id, c.opened_at "
        "from collections.participants as p inner join collections.collection_summary as c "
        "using (collection_id) where c.fee_model = 'tip' and p.payer_id is not null "
        "order by p.participant_id limit 1"
    )[0]
    paid = opened + dt.timedelta(days=1)
    write(
        tmp / "tonight",
        "transactions_tonight.csv",
        "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
        "installment_number,installment_count,updated_at\n"
        f"transaction_tonight,{collection},{payer},7000,0,paid,{paid:%Y-%m-%d},{paid:%Y-%m-%dT%H:%M:%SZ},,"
        f"1,1,{paid:%Y-%m-%dT%H:%M:%SZ}\n",
    )
    write(
        tmp / "tonight",
        "transaction_participants_tonight.csv",
        f"transaction_id,participant_id\ntransaction_tonight,{participant}\n",
    )
    collected = sa.text(
        "select coalesce(sum(amount_collected), 0) from collections.club_collections_monthly "
        "where account_id = :account and currency = :currency and month = :month"
    ).bindparams(account=account, currency=currency, month=paid.date().replace(day=1))
    url = f"duckdb:///{night.path}?access_mode=read_only"  # what a BI tool is given (README)
    pooled = sa.create_engine(url)  # keeps its connection, as a BI server does
    fresh = sa.create_engine(url, poolclass=NullPool)  # a connection per query
    reads: dict[str, int | str] = {}
    long_lived = pooled.connect()
    try:
        reads["before"] = long_lived.execute(collected).scalar()
        reads["access_mode"] = long_lived.execute(sa.text("select current_setting('access_mode')")).scalar()
        try:
            long_lived.execute(sa.text("create table collections.notes (note varchar)"))
            reads["write"] = "allowed"
        except sa.exc.ProgrammingError as error:
            reads["write"] = "refused: read-only" if "read-only" in str(error) else f"refused: {error}"
        long_lived.rollback()
        result = night.run("nightly", str(tmp / "tonight"), "--as-of", GENERATED_AS_OF)  # under the reader
        reads["after, same connection"] = long_lived.execute(collected).scalar()
        # while one connection of the process is open, DuckDB hands the same open file to the
        # process's next connections
        with fresh.connect() as connection:
            reads["after, new connection while one is open"] = connection.execute(collected).scalar()
    finally:
        long_lived.close()
        pooled.dispose()  # the reconnect after the publish: no connection of the process left open
    with fresh.connect() as connection:
        reads["after, new connection"] = connection.execute(collected).scalar()
    with pooled.connect() as connection:
        reads["after, the pool's next connection"] = connection.execute(collected).scalar()
    pooled.dispose()
    return PublishedNight(night, result, 7000, reads)
