"""A BI tool on the published warehouse (README, "BI tools and SQL clients"), as Superset reads
it: SQLAlchemy with the DuckDB dialect (duckdb-engine), the file opened read-only. Its open
connection survives `wh nightly` publishing tonight's file and keeps reading last night's; its
next connection (a pool that does not keep connections, or a reconnect) reads tonight's. A
read-write client, by contrast, locks every other reader out, and a `wh build` in place cannot
run under a reader.

Club B (hand-written files of test_dashboard_collections) collected 20000 cents on night one;
night two lands one more paid transaction of 7000: 27000.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from conftest import Warehouse, write
from events import T0, account, event
from test_dashboard_collections import FILES

AS_OF = "2026-03-31"
COLLECTED = sa.text(
    "select sum(amount_collected) from collections.club_collections_monthly where account_id = 'acct_B'"
)
NIGHT_TWO = {
    "transactions_2.csv": (
        "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
        "installment_number,installment_count,updated_at\n"
        "t_b2,c_b_members,py_b,7000,0,paid,2026-03-02,2026-03-02T10:00:00Z,,1,1,2026-03-02T10:00:00Z\n"
    ),
    "transaction_participants_2.csv": "transaction_id,participant_id\nt_b2,p_b\n",
}


def read_only_url(path: Path) -> str:
    """What a BI tool is given: the published file, read-only (the README's URI)."""
    return f"duckdb:///{path}?access_mode=read_only"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, Path]:
    tmp = tmp_path_factory.mktemp("bi")
    for name, text in FILES.items():
        write(tmp / "night1", name, text)
    accounts = [event("evt_b", "account.updated", T0, account("acct_B", "b@club.fr", "Club B"))]
    write(tmp / "night1", "capital_events.ndjson", "\n".join(accounts) + "\n")
    for name, text in NIGHT_TWO.items():
        write(tmp / "night2", name, text)
    warehouse = Warehouse(tmp / "warehouse.duckdb")
    warehouse.run("nightly", str(tmp / "night1"), "--as-of", AS_OF)
    return warehouse, tmp


def test_a_sqlalchemy_client_survives_the_publish_and_reads_tonight_on_its_next_connection(
    published: tuple[Warehouse, Path],
) -> None:
    warehouse, tmp = published
    pooled = sa.create_engine(read_only_url(warehouse.path))  # keeps its connection, as a BI server does
    fresh = sa.create_engine(read_only_url(warehouse.path), poolclass=NullPool)  # a connection per query
    long_lived = pooled.connect()
    try:
        assert long_lived.execute(COLLECTED).scalar() == 20000
        assert long_lived.execute(sa.text("select current_setting('access_mode')")).scalar() == "read_only"
        with pytest.raises(sa.exc.ProgrammingError, match="read-only"):
            long_lived.execute(sa.text("create table collections.notes (note varchar)"))
        long_lived.rollback()

        tonight = warehouse.run("nightly", str(tmp / "night2"), "--as-of", AS_OF)  # under the open reader
        assert "nightly: published" in tonight.stdout.splitlines()[-1]
        assert long_lived.execute(COLLECTED).scalar() == 20000  # still last night's file, whole
        # while one connection of the process is open, DuckDB hands the same open file to the
        # process's next connections: they read last night's too
        with fresh.connect() as connection:
            assert connection.execute(COLLECTED).scalar() == 20000
    finally:
        long_lived.close()
        pooled.dispose()  # the reconnect after the publish: no connection of the process left open
    with fresh.connect() as connection:
        assert connection.execute(COLLECTED).scalar() == 27000  # tonight's
    with pooled.connect() as connection:
        assert connection.execute(COLLECTED).scalar() == 27000
    pooled.dispose()


def test_a_read_write_client_locks_every_reader_out(published: tuple[Warehouse, Path]) -> None:
    warehouse, _ = published
    writer = sa.create_engine(f"duckdb:///{warehouse.path}", poolclass=NullPool)  # what not to do
    with writer.connect() as connection:
        assert connection.execute(COLLECTED).scalar() == 27000
        blocked = warehouse.run("sql", "select 1", check=False)
    assert blocked.returncode == 1
    assert blocked.stderr.startswith(f"error: {warehouse.path}: cannot be opened (")
    assert warehouse.run("sql", "select 1").returncode == 0  # the writer gone, readers are back


def test_a_build_in_place_cannot_run_under_a_reader(published: tuple[Warehouse, Path]) -> None:
    warehouse, _ = published
    reader = sa.create_engine(read_only_url(warehouse.path), poolclass=NullPool)
    with reader.connect() as connection:
        assert connection.execute(COLLECTED).scalar() == 27000
        in_place = warehouse.run("build", "--as-of", AS_OF, check=False)
    assert in_place.returncode == 1
    assert "cannot be opened" in in_place.stderr or "lock" in in_place.stderr.lower()
