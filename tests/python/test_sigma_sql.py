"""`scripts/wh sql` runs Sigma's queries: unqualified table names, Trino SQL through sqlglot.

Hand-written events (values worked out by hand): offers financingoffer_1 (paid_out) and
financingoffer_2 (canceled), both created at unix 1767225610 = 2026-01-01 00:00:10 UTC
(2025-12-31 19:00:10 in New York, UTC-5 in winter) and expiring 30 days later; a payout
cptxn_1 at 2026-01-01 00:00:30 UTC (1000.00 + 100.00 €) and a payment cptxn_2 at
2026-01-02 01:00:00 UTC (300.00 + 30.00 €, 2026-01-01 20:00 in New York); built as of
2026-01-05, so financingoffer_1 has five daily balances, principal 1000.00 € then 700.00 €.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import Warehouse, write
from events import T0, event, lifecycle_events, transaction


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    tmp = tmp_path_factory.mktemp("sigma_sql")
    payment = transaction(
        "cptxn_2", "financingoffer_1", "payment", 30000, 3000, reason="automatic_withholding"
    )
    payment["created_at"] = T0 + 86400 + 3600  # 2026-01-02 01:00:00 UTC
    lines = [
        *lifecycle_events(),
        event("evt_t16", "capital.financing_transaction.created", T0 + 86400 + 3600, payment),
    ]
    write(tmp / "landing", "capital_events.ndjson", "\n".join(lines) + "\n")
    warehouse = Warehouse(tmp / "warehouse.duckdb")
    warehouse.run("land", str(tmp / "landing"))
    warehouse.run("build", "--as-of", "2026-01-05")
    return warehouse


def rows(stdout: str) -> list[tuple[str, ...]]:
    """The cells of `wh sql`'s table, as printed (the column-name and type lines left out)."""
    lines = [line for line in stdout.splitlines() if line.startswith("│")]
    return [tuple(cell.strip() for cell in line.strip("│").split("│")) for line in lines[2:]]


def sql(warehouse: Warehouse, query: str, dialect: str = "duckdb", **env: str) -> list[tuple[str, ...]]:
    return rows(warehouse.run("sql", "--dialect", dialect, query, **env).stdout)


def fails(warehouse: Warehouse, query: str, dialect: str = "trino") -> str:
    """The one line on stderr of a `wh sql` that must fail (exit 1, nothing on stdout)."""
    result = warehouse.run("sql", "--dialect", dialect, query, check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# The same question about each Sigma table, in DuckDB's SQL and in Trino's (Sigma's), unqualified.
SIGMA_QUERIES = {
    "financing_offers": (
        "select id, state, strftime(created_at, '%Y-%m-%d %H:%M:%S') as created_utc, "
        "strftime(date_trunc('month', expires_at), '%Y-%m-%d') as expiry_month, "
        "cast(max_advance_amount as varchar) || ' ' || currency as max_advance "
        "from financing_offers order by id",
        "select id, state, date_format(created_at, '%Y-%m-%d %H:%i:%s') as created_utc, "
        "date_format(date_trunc('month', expires_at), '%Y-%m-%d') as expiry_month, "
        "cast(max_advance_amount as varchar) || ' ' || currency as max_advance "
        "from financing_offers order by id",
        [
            ("financingoffer_1", "paid_out", "2026-01-01 00:00:10", "2026-01-01", "100000 eur"),
            ("financingoffer_2", "canceled", "2026-01-01 00:00:10", "2026-01-01", "100000 eur"),
        ],
    ),
    "financing_balances": (
        "select financing_offer, count(*) as days, "
        "approx_count_distinct(principal_outstanding_amount) as principals, "
        "strftime(min(effective_date_utc), '%Y-%m-%d') as first_day, "
        "strftime(max(effective_date_utc), '%Y-%m-%d') as last_day "
        "from financing_balances group by financing_offer",
        "select financing_offer, count(*) as days, "
        "approx_distinct(principal_outstanding_amount) as principals, "
        "date_format(min(effective_date_utc), '%Y-%m-%d') as first_day, "
        "date_format(max(effective_date_utc), '%Y-%m-%d') as last_day "
        "from financing_balances group by financing_offer",
        [("financingoffer_1", "5", "2", "2026-01-01", "2026-01-05")],
    ),
    "connected_account_financing_transactions": (
        "select id, transaction_type, strftime(effective_time, '%Y-%m-%d %H:%M') as effective_utc, "
        "cast(epoch(effective_time) as bigint) - 1767225600 as seconds_after_t0, total_amount "
        "from connected_account_financing_transactions "
        "where effective_time >= to_timestamp(1767225600) order by effective_time",
        "select id, transaction_type, date_format(effective_time, '%Y-%m-%d %H:%i') as effective_utc, "
        "cast(to_unixtime(effective_time) as bigint) - 1767225600 as seconds_after_t0, total_amount "
        "from connected_account_financing_transactions "
        "where effective_time >= from_unixtime(1767225600) order by effective_time",
        [
            ("cptxn_1", "payout", "2026-01-01 00:00", "30", "110000"),
            ("cptxn_2", "payment", "2026-01-02 01:00", "90000", "33000"),
        ],
    ),
}


@pytest.mark.parametrize("table", SIGMA_QUERIES)
def test_sigma_tables_in_duckdb_and_trino_sql(built: Warehouse, table: str) -> None:
    duckdb_query, trino_query, expected = SIGMA_QUERIES[table]
    duckdb_out = built.run("sql", duckdb_query).stdout
    trino_out = built.run("sql", "--dialect", "trino", trino_query).stdout
    assert rows(duckdb_out) == expected
    assert trino_out == duckdb_out  # same columns, types and values


# `x AT TIME ZONE 'Zone'` on a timestamptz (an instant, as Sigma's columns are) is the wall time
# there; the text is the same in both dialects.
WALL_TIME_QUERIES = {
    "financing_offers": (
        "select id, created_at at time zone 'America/New_York' as created_ny "
        "from financing_offers order by id",
        [("financingoffer_1", "2025-12-31 19:00:10"), ("financingoffer_2", "2025-12-31 19:00:10")],
    ),
    "connected_account_financing_transactions": (
        "select id, cast(effective_time at time zone 'America/New_York' as date) as day_ny "
        "from connected_account_financing_transactions order by id",
        [("cptxn_1", "2025-12-31"), ("cptxn_2", "2026-01-01")],
    ),
}


@pytest.mark.parametrize("dialect", ["duckdb", "trino"])
@pytest.mark.parametrize("table", WALL_TIME_QUERIES)
def test_at_time_zone_is_the_wall_time_of_the_instant(built: Warehouse, table: str, dialect: str) -> None:
    query, expected = WALL_TIME_QUERIES[table]
    assert sql(built, query, dialect) == expected


def test_trino_date_functions_on_a_timestamptz(built: Warehouse) -> None:
    # New York months: the payout (2025-12-31 19:00:30 there) falls in December
    assert sql(
        built,
        "select id, date_format(effective_time at time zone 'America/New_York', '%Y-%m-%d %H:%i') as ny, "
        "date_format(date_trunc('month', effective_time at time zone 'America/New_York'), '%Y-%m') "
        "as month_ny from connected_account_financing_transactions order by id",
        "trino",
    ) == [("cptxn_1", "2025-12-31 19:00", "2025-12"), ("cptxn_2", "2026-01-01 20:00", "2026-01")]


def test_session_time_zone_is_utc_whatever_the_machine(built: Warehouse) -> None:
    assert sql(
        built,
        "select current_setting('TimeZone') as tz, from_unixtime(1767225610) as created, "
        "date_format(from_unixtime(1767225610), '%Y-%m-%d %H:%i:%s') as created_text",
        "trino",
        TZ="America/New_York",
    ) == [("UTC", "2026-01-01 00:00:10+00", "2026-01-01 00:00:10")]


def test_unqualified_names_resolve_in_capital_then_collections(built: Warehouse, tmp_path: Path) -> None:
    # a copy where collections also has a financing_offers table: capital's comes first
    shadowed = Warehouse(tmp_path / "warehouse.duckdb")
    shutil.copyfile(built.path, shadowed.path)
    with duckdb.connect(str(shadowed.path)) as con:
        con.execute("create table collections.financing_offers as select 'shadow' as id")
    for dialect in ("duckdb", "trino"):
        assert sql(shadowed, "select count(*) as offers from financing_offers", dialect) == [("2",)]
        assert sql(shadowed, "select id from collections.financing_offers", dialect) == [("shadow",)]
    # `transactions` exists in collections only
    unqualified = built.run("sql", "select * from transactions limit 0").stdout
    assert unqualified == built.run("sql", "select * from collections.transactions limit 0").stdout
    assert "│ transaction_id │ collection_id │" in unqualified


@pytest.mark.parametrize("dialect", ["duckdb", "trino"])
def test_qualified_names_and_information_schema_still_resolve(built: Warehouse, dialect: str) -> None:
    assert sql(
        built,
        "select count(*) as tables from information_schema.tables where table_schema = 'capital'",
        dialect,
    ) == [("14",)]  # 11 tables and the 3 views of the Sigma section's other names
    assert sql(
        built, "select cast(as_of_date as varchar) as as_of from audit.build_info", dialect
    ) == [("2026-01-05",)]
    assert sql(built, "select count(*) as offers from capital.financing_offers", dialect) == [("2",)]


def test_a_table_off_the_search_path_is_one_sentence(built: Warehouse) -> None:
    assert fails(built, "select * from build_info", "duckdb") == (
        "error: Catalog Error: Table with name build_info does not exist!\n"
    )


def test_trino_parse_error_is_one_sentence(built: Warehouse) -> None:
    assert fails(built, "select id, state from financing_offers where") == (
        "error: the query does not parse as Trino SQL: an incomplete where at line 1, column 44 "
        "(near 'where').\n"
    )
    assert fails(built, "select count(* from financing_offers") == (
        "error: the query does not parse as Trino SQL: expecting ) at line 1, column 19 (near 'from').\n"
    )
    assert fails(built, "select 'paid_out") == (
        "error: the query does not parse as Trino SQL: cannot read the text at 'select 'paid_ou' "
        "(an unclosed quote?).\n"
    )


def test_sql_errors_are_one_sentence(built: Warehouse) -> None:
    assert fails(built, "select nope from financing_offers", "duckdb") == (
        'error: Binder Error: Referenced column "nope" not found in FROM clause!\n'
    )
    assert fails(built, "select nope from financing_offers") == (
        'error: Binder Error: Referenced column "nope" not found in FROM clause! '
        "(in sqlglot 30.30.0's DuckDB translation: SELECT nope FROM financing_offers)\n"
    )
    assert fails(built, "  ") == "error: the query is empty.\n"


def test_untranslated_trino_function_is_refused(built: Warehouse) -> None:
    assert fails(built, "select format_datetime(created_at, 'yyyy-MM') from financing_offers") == (
        "error: the Trino function format_datetime has no DuckDB translation in sqlglot 30.30.0 "
        "(and DuckDB has no function of that name); write the query in DuckDB SQL.\n"
    )


def test_wrong_translations_are_refused(built: Warehouse) -> None:
    # Trino: date_diff('day', 23:00, 01:00 the next day) = 0; DuckDB's date_diff says 1
    message = fails(built, "select date_diff('day', created_at, expires_at) from financing_offers")
    assert message.startswith("error: date_diff is refused: sqlglot 30.30.0 translates it to DuckDB's ")
    assert "date_sub(unit, start, end)" in message
    # Trino: from_unixtime(1767225610, 'America/New_York') is 2025-12-31 19:00:10 New York time
    message = fails(built, "select from_unixtime(1767225610, 'America/New_York')")
    assert message.startswith("error: from_unixtime with a time zone or an offset is refused: ")


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("copy (select 1) to 'out.csv'", 'Cannot access file "out.csv"'),
        ("attach 'other.duckdb' as other", 'other.duckdb" - file system operations are disabled'),
        ("select * from read_csv('/etc/hostname')", 'Cannot access file "/etc/hostname"'),
        ("set enable_external_access = true", "the configuration has been locked"),
    ],
)
def test_wh_sql_is_truly_read_only(built: Warehouse, tmp_path: Path, query: str, error: str) -> None:
    result = built.run("sql", query, check=False)
    assert result.returncode == 1
    assert error in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists() and not Path("out.csv").exists()
