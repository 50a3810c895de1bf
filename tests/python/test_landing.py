"""`scripts/wh land` and the staging layer, end to end through the real commands."""

from __future__ import annotations

from pathlib import Path

from conftest import Warehouse, write
from events import lifecycle_events

AS_OF = "2026-10-31"

OFFERS = "select financing_offer_id, status, account_id from staging.stg_stripe_capital__financing_offers"
STATE_QUERIES = {
    "offers": OFFERS + " order by 1",
    "transactions": (
        "select financing_transaction_id, financing_offer_id, transaction_type, total_amount "
        "from staging.stg_stripe_capital__financing_transactions order by 1"
    ),
    "accounts": "select account_id, email, account_name from staging.stg_stripe_capital__accounts order by 1",
    "events": (
        "select event_id, event_type, event_created_at from staging.stg_stripe_capital__events order by 1"
    ),
}

CSV_FILES = {
    "rates.csv": "rate_id,collection_id,label,amount\nr1,c1,Adultes,10000\nr2,c1,Enfants,5000\n",
    "transfers.csv": (
        "transfer_id,account_id,amount,currency,status,sent_at,delivered_at,updated_at\n"
        "tr1,acct_A,15000,eur,sent,2026-03-01T09:30:00+01:00,,2026-03-01T09:30:00+01:00\n"
    ),
}


def _table_counts(warehouse: Warehouse) -> dict[str, int]:
    tables = warehouse.query(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema = 'raw' order by 1"
    )
    return {t: warehouse.scalar(f"select count(*) from {t}") for (t,) in tables}


def test_landing_twice_adds_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write(landing, "capital_events_2026-01.ndjson", "\n".join(lifecycle_events()) + "\n")
    for name, text in CSV_FILES.items():
        write(landing, name, text)

    warehouse.run("land", str(landing))
    first = _table_counts(warehouse)
    second_run = warehouse.run("land", str(landing))
    assert _table_counts(warehouse) == first
    assert first["raw.capital_events"] == 13
    assert first["raw.rates"] == 2
    assert first["raw.transfers"] == 1
    assert first["raw.landed_files"] == 3
    assert second_run.stdout.count("landed before; nothing added") == 3

    # the same content under another name is the same delivery
    write(landing, "rates_again.csv", CSV_FILES["rates.csv"])
    warehouse.run("land", str(landing))
    assert warehouse.scalar("select count(*) from raw.rates") == 2


def test_duplicated_and_shuffled_events_give_the_same_state(tmp_path: Path) -> None:
    events = lifecycle_events()
    clean = Warehouse(tmp_path / "clean.duckdb")
    write(tmp_path / "clean", "capital_events.ndjson", "\n".join(events) + "\n")
    clean.run("land", str(tmp_path / "clean"))
    clean.run("build", "--as-of", AS_OF)

    # every event twice, in reverse order, across two part files
    messy_lines = list(reversed(events + events))
    messy = Warehouse(tmp_path / "messy.duckdb")
    write(tmp_path / "messy", "capital_events_part1.ndjson", "\n".join(messy_lines[:9]) + "\n")
    write(tmp_path / "messy", "capital_events_part2.ndjson", "\n".join(messy_lines[9:]) + "\n")
    messy.run("land", str(tmp_path / "messy"))
    messy.run("build", "--as-of", AS_OF)

    assert messy.scalar("select count(*) from raw.capital_events") == 26
    for name, sql in STATE_QUERIES.items():
        assert messy.query(sql) == clean.query(sql), name

    # and that state is the contract's (see events.lifecycle_events)
    assert clean.query(STATE_QUERIES["offers"]) == [
        ("financingoffer_1", "paid_out", "acct_A"),
        ("financingoffer_2", "canceled", "acct_A"),
    ]
    assert clean.query(STATE_QUERIES["accounts"]) == [("acct_A", "new@club.fr", "Club A")]
    assert clean.query(STATE_QUERIES["transactions"]) == [("cptxn_1", "financingoffer_1", "payout", 110000)]
    assert len(clean.query(STATE_QUERIES["events"])) == 11
