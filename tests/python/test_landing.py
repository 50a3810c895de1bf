"""`scripts/wh land` and the staging layer, end to end through the real commands."""

from __future__ import annotations

import gzip
from pathlib import Path

from conftest import Warehouse, injected, write
from events import lifecycle_events

AS_OF = "2026-10-31"

OFFERS = "select financing_offer_id, status, account_id from intermediate.int_financing_offers_current"
STATE_QUERIES = {
    "offers": OFFERS + " order by 1",
    "transactions": (
        "select financing_transaction_id, financing_offer_id, transaction_type, total_amount "
        "from intermediate.int_financing_transactions_deduplicated order by 1"
    ),
    "accounts": "select account_id, email, account_name from intermediate.int_accounts_current order by 1",
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


def test_subfolders_gzip_and_crlf_land_as_their_content(warehouse: Warehouse, tmp_path: Path) -> None:
    """Date-partitioned folders, a gzip part, CRLF line ends (CR is JSON white space: a CR
    inside a line is kept, a line of white space is blank); the same content anywhere,
    gzip'ed or not, lands once."""
    landing = tmp_path / "landing"
    events = lifecycle_events()
    with_cr = events[2].replace(", ", ",\r ", 1)
    crlf = f"{events[0]}\r\n{events[1]}\r\n\r\n \t\r\n{with_cr}\r\n"
    (landing / "2026/11/23").mkdir(parents=True)
    (landing / "2026/11/23/capital_events.ndjson.gz").write_bytes(gzip.compress(crlf.encode()))
    rates = CSV_FILES["rates.csv"].replace("\n", "\r\n")
    (landing / "2026/11/23/rates.csv.gz").write_bytes(gzip.compress(rates.encode()))
    write(landing / "2026/11/23", "notes.txt", "not a landing file\n")
    write(landing / "2026/11/24", "capital_events_late.ndjson", events[3] + "\n")
    write(landing, "rates_again.csv", rates)  # the gzip part's content, plain

    first = warehouse.run("land", str(landing))
    assert first.stdout == (  # each file as it lands, in path order; then what landed before
        "2026/11/23/capital_events.ndjson.gz: 3 records landed\n"
        "2026/11/23/rates.csv.gz: 2 records landed\n"
        "2026/11/24/capital_events_late.ndjson: 1 records landed\n"
        "rates_again.csv: landed before; nothing added.\n"
    )
    assert first.stderr == "notice: 2026/11/23/notes.txt: matches no landing file kind; ignored.\n"
    assert warehouse.query(
        "select _source_file, _row_number, raw_record, json_valid(raw_record) from raw.capital_events "
        "order by _file_id, _row_number"
    ) == [
        ("2026/11/23/capital_events.ndjson.gz", 1, events[0], True),
        ("2026/11/23/capital_events.ndjson.gz", 2, events[1], True),
        ("2026/11/23/capital_events.ndjson.gz", 5, with_cr, True),
        ("2026/11/24/capital_events_late.ndjson", 1, events[3], True),
    ]
    assert warehouse.query("select rate_id, label, amount, _source_file, _row_number from raw.rates") == [
        ("r1", "Adultes", "10000", "2026/11/23/rates.csv.gz", 1),
        ("r2", "Enfants", "5000", "2026/11/23/rates.csv.gz", 2),
    ]
    assert warehouse.query("select file_name, kind, row_count from raw.landed_files order by file_id") == [
        ("2026/11/23/capital_events.ndjson.gz", "capital_events", 3),
        ("2026/11/23/rates.csv.gz", "rates", 2),
        ("2026/11/24/capital_events_late.ndjson", "capital_events", 1),
    ]
    again = warehouse.run("land", str(landing))
    assert again.stdout.count("landed before; nothing added") == 4
    assert warehouse.scalar("select count(*) from raw.capital_events") == 4


def test_an_unreadable_file_is_one_sentence_and_the_others_land(warehouse: Warehouse, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    for rate_id in ("a", "b"):
        write(landing, f"rates_{rate_id}.csv", f"rate_id,collection_id,label,amount\nr_{rate_id},c1,A,1\n")
    (landing / "rates_c.csv").symlink_to(tmp_path / "gone.csv")  # a delivery moved away
    (landing / "rates_d.csv.gz").write_bytes(b"rate_id,collection_id\n")  # not gzip'ed
    (landing / "rates_e.csv.gz").write_bytes(gzip.compress(b"rate_id,collection_id,label,amount\n")[:-9])
    refused = [
        "error: rates_a.csv: cannot be read (Permission denied).",
        "error: rates_c.csv: cannot be read (No such file or directory).",
        "error: rates_d.csv.gz: is not a valid gzip file (Not a gzipped file (b'ra')).",
        "error: rates_e.csv.gz: is not a valid gzip file "
        "(Compressed file ended before the end-of-stream marker was reached).",
    ]
    # the file of mode 000 (root reads it anyway, so the test makes its open fail)
    result = warehouse.run("land", str(landing), check=False, **injected("unreadable:rates_a.csv"))
    assert (result.returncode, result.stdout) == (1, "rates_b.csv: 1 records landed\n")
    assert result.stderr.splitlines() == refused
    assert warehouse.query("select rate_id from raw.rates") == [("r_b",)]

    readable = warehouse.run("land", str(landing), check=False)
    assert readable.stdout == "rates_a.csv: 1 records landed\nrates_b.csv: landed before; nothing added.\n"
    assert readable.stderr.splitlines() == refused[1:]
    assert warehouse.query("select rate_id from raw.rates order by 1") == [("r_a",), ("r_b",)]


def test_landing_a_missing_directory_creates_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    result = warehouse.run("land", str(tmp_path / "nowhere"), check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: {tmp_path / 'nowhere'}: no such directory to land.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []
