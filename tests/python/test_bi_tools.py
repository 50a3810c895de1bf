"""A BI tool on the published warehouse (README, "BI tools and SQL clients"), as Superset reads
it: SQLAlchemy with the DuckDB dialect (duckdb-engine), the file opened read-only. Its open
connection survives `wh nightly` publishing tonight's file and keeps reading last night's; its
next connection (a pool that does not keep connections, or a reconnect) reads tonight's. A
read-write client, by contrast, locks every other reader out, and a `wh build` in place cannot
run under a reader.

The night is conftest's `published_night` (shared with test_progress): last night's file is a
copy of the generated warehouse; tonight adds one paid transaction of 7000 to a tip-model
collection, all of it collected by its club.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from conftest import PublishedNight

COLLECTED = sa.text("select sum(amount_collected) from collections.club_collections_monthly")


def test_a_sqlalchemy_client_survives_the_publish_and_reads_tonight_on_its_next_connection(
    published_night: PublishedNight,
) -> None:
    night = published_night
    assert night.result.stdout.splitlines()[-1].startswith(f"nightly: published {night.warehouse.path} ")
    before = night.reads["before"]
    assert isinstance(before, int)
    assert night.reads == {
        "before": before,
        "access_mode": "read_only",
        "write": "refused: read-only",
        "after, same connection": before,  # still last night's file, whole
        "after, new connection while one is open": before,  # the process's open file, last night's
        "after, new connection": before + 7000,  # tonight's
        "after, the pool's next connection": before + 7000,
    }
    # and the published file holds tonight's transaction, collected whole
    assert night.warehouse.query(
        "select status, amount, collected_amount from collections.transactions "
        "where transaction_id = 'transaction_tonight'"
    ) == [("paid", 7000, 7000)]


def test_a_read_write_client_locks_every_reader_out(published_night: PublishedNight) -> None:
    warehouse = published_night.warehouse
    total = warehouse.scalar("select sum(amount_collected) from collections.collection_summary")
    writer = sa.create_engine(f"duckdb:///{warehouse.path}", poolclass=NullPool)  # what not to do
    with writer.connect() as connection:
        assert connection.execute(COLLECTED).scalar() == total  # the monthly mart adds up
        blocked = warehouse.run("sql", "select 1", check=False)
    assert blocked.returncode == 1
    assert blocked.stderr.startswith(f"error: {warehouse.path}: cannot be opened (")
    assert warehouse.run("sql", "select 1").returncode == 0  # the writer gone, readers are back


def test_a_build_after_a_night_runs_under_a_reader_and_publishes_by_rename(
    published_night: PublishedNight,
) -> None:
    """Once a night has made the build state, `wh build` builds there and renames a new
    readers' file over `$WH_DB`: the reader's open connection keeps its file."""
    warehouse = published_night.warehouse
    reader = sa.create_engine(f"duckdb:///{warehouse.path}?access_mode=read_only", poolclass=NullPool)
    schemas = sa.text("select count(distinct table_schema) from information_schema.tables")
    with reader.connect() as connection:
        assert connection.execute(sa.text("select current_setting('access_mode')")).scalar() == "read_only"
        before = connection.execute(schemas).scalar()
        rebuilt = warehouse.run("build", "--as-of", "2026-10-31", check=False)
        assert connection.execute(schemas).scalar() == before  # still the file it opened
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert warehouse.path.with_name("warehouse.build.duckdb").exists()
