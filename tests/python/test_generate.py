"""The synthetic landing-set generator (scripts/warehouse/generate)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from warehouse.generate import generate

SCALE, SEED = 60, 7
END = dt.date(2026, 10, 31)
END_TS = int(dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()) - 1

# The contract's CSV headers (contract/capital.md and contract/collections.md), written out.
HEADERS = {
    "capital_eligibility": [
        "as_of_date",
        "account_id",
        "is_eligible",
        "estimated_advance_amount",
        "currency",
    ],
    "capital_account_flags": ["account_id", "is_deny_listed", "has_unsubscribed", "updated_at"],
    "offer_email_events": ["event_id", "financing_offer", "account_id", "type", "occurred_at"],
    "collections": [
        "collection_id",
        "account_id",
        "name",
        "kind",
        "fee_model",
        "commission_rate",
        "currency",
        "opened_at",
        "closes_at",
    ],
    "rates": ["rate_id", "collection_id", "label", "amount"],
    "participants": [
        "participant_id",
        "collection_id",
        "rate_id",
        "first_name",
        "last_name",
        "email",
        "is_guest",
        "has_parent_account",
        "member_id",
        "form_first_viewed_at",
        "form_completed_at",
        "created_at",
        "updated_at",
    ],
    "payers": ["payer_id", "collection_id", "first_name", "last_name", "email", "created_at"],
    "transactions": [
        "transaction_id",
        "collection_id",
        "payer_id",
        "amount",
        "tip_amount",
        "status",
        "scheduled_for",
        "paid_at",
        "failed_at",
        "installment_number",
        "installment_count",
        "updated_at",
    ],
    "transaction_participants": ["transaction_id", "participant_id"],
    "transfers": [
        "transfer_id",
        "account_id",
        "amount",
        "currency",
        "status",
        "sent_at",
        "delivered_at",
        "updated_at",
    ],
}
ENVELOPE_KEYS = {"id", "object", "type", "created", "livemode", "data"}
OFFER_EVENTS = {
    f"capital.financing_offer.{t}"
    for t in (
        "created",
        "delivered",
        "accepted",
        "paid_out",
        "fully_repaid",
        "canceled",
        "rejected",
        "expired",
        "replacement_created",
    )
}


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("landing")
    return out, generate(out, scale=SCALE, seed=SEED, end_date=END, progress=False)


def digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def kind_of(name: str) -> str:
    return max((k for k in HEADERS if name.startswith(k)), key=len)


def read_csv(directory: Path, kind: str) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(directory.glob(f"{kind}*.csv")):
        if kind_of(path.name) == kind:
            with path.open(newline="", encoding="utf-8") as handle:
                rows.extend(csv.DictReader(handle))
    return rows


def events(directory: Path) -> list[dict]:
    lines = []
    for path in sorted(directory.glob("capital_events_*.ndjson")):
        lines.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return lines


def latest(rows: list[dict[str, str]], key: str) -> dict[str, dict[str, str]]:
    """The current version of each object: the row with the latest updated_at."""
    out: dict[str, dict[str, str]] = {}
    for row in rows:
        seen = out.get(row[key])
        if seen is None or (
            dt.datetime.fromisoformat(row["updated_at"]) >= dt.datetime.fromisoformat(seen["updated_at"])
        ):
            out[row[key]] = row
    return out


def test_same_arguments_same_bytes_and_other_seed_other_content(landing, tmp_path: Path) -> None:
    out, counts = landing
    again = generate(tmp_path / "again", scale=SCALE, seed=SEED, end_date=END, progress=False)
    assert again == counts
    assert digests(tmp_path / "again") == digests(out)
    generate(tmp_path / "other", scale=SCALE, seed=SEED + 1, end_date=END, progress=False)
    other, first = digests(tmp_path / "other"), digests(out)
    assert other["collections.csv"] != first["collections.csv"]
    assert other["balance_transactions.ndjson"] != first["balance_transactions.ndjson"]


def test_counts_name_every_file_and_its_records(landing) -> None:
    out, counts = landing
    assert set(counts) == {p.name for p in out.iterdir()}
    for name, count in counts.items():
        with (out / name).open(newline="", encoding="utf-8") as handle:
            records = (
                sum(1 for _ in csv.reader(handle)) - 1
                if name.endswith(".csv")
                else sum(1 for line in handle if line.strip())
            )
        assert records == count, name


def test_every_csv_has_the_contract_header(landing) -> None:
    out, _ = landing
    seen = set()
    for path in sorted(out.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == HEADERS[kind_of(path.name)], path.name
        seen.add(kind_of(path.name))
    assert seen == set(HEADERS)
    assert {p.name for p in out.glob("transactions*.csv")} == {
        "transactions_part1.csv",
        "transactions_part2.csv",
    }


def test_ndjson_lines_are_envelopes_and_some_arrive_twice(landing) -> None:
    out, _ = landing
    lines = events(out)
    assert lines
    for event in lines:
        assert set(event) == ENVELOPE_KEYS and event["object"] == "event"
        assert event["id"].startswith("evt_") and isinstance(event["data"]["object"], dict)
    assert max(Counter(e["id"] for e in lines).values()) == 2
    for line in (out / "balance_transactions.ndjson").read_text(encoding="utf-8").splitlines():
        assert set(json.loads(line)) == {"id", "type", "description", "amount", "currency", "created"}


def test_the_brief_examples_are_there(landing) -> None:
    out, _ = landing
    collections = {r["collection_id"]: r for r in read_csv(out, "collections")}
    rates = {r["rate_id"]: r for r in read_csv(out, "rates")}
    participants = latest(read_csv(out, "participants"), "participant_id")
    payers = {r["payer_id"]: r for r in read_csv(out, "payers")}
    transactions = latest(read_csv(out, "transactions"), "transaction_id")
    links = defaultdict(set)
    for row in read_csv(out, "transaction_participants"):
        links[row["transaction_id"]].add(row["participant_id"])

    membership = collections["collection_brief_membership"]
    assert (membership["kind"], membership["fee_model"], membership["commission_rate"]) == (
        "membership",
        "tip",
        "",
    )
    expected = {
        "participant_brief_nicolas": ("Nicolas", "Potier", "Adultes", "10000"),
        "participant_brief_enzo": ("Enzo", "Potier", "Enfants", "5000"),
    }
    for pid, (first, last, label, amount) in expected.items():
        person, rate = participants[pid], rates[participants[pid]["rate_id"]]
        assert (person["first_name"], person["last_name"]) == (first, last)
        assert (rate["label"], rate["amount"], rate["collection_id"]) == (
            label,
            amount,
            "collection_brief_membership",
        )
    payer = payers["payer_brief_potier"]
    assert (payer["first_name"], payer["last_name"], payer["collection_id"]) == (
        "Nicolas",
        "Potier",
        "collection_brief_membership",
    )
    potier = sorted(
        (t for t in transactions.values() if t["payer_id"] == "payer_brief_potier"),
        key=lambda t: int(t["installment_number"]),
    )
    assert [(t["amount"], t["status"], t["installment_count"]) for t in potier] == [
        ("5000", "paid", "3"),
        ("5000", "paid", "3"),
        ("5000", "upcoming", "3"),
    ]
    assert dt.date.fromisoformat(potier[2]["scheduled_for"]) > END
    assert all(links[t["transaction_id"]] == set(expected) for t in potier)

    commission = collections["collection_brief_commission"]
    assert (commission["fee_model"], commission["commission_rate"]) == ("club_commission", "0.013")
    sophie = participants["participant_brief_sophie"]
    assert sophie["first_name"] == "Sophie" and rates[sophie["rate_id"]]["amount"] == "10000"
    assert payers["payer_brief_sophie"]["first_name"] == "Sophie"
    payment = transactions["transaction_brief_sophie"]
    assert (payment["payer_id"], payment["collection_id"], payment["amount"], payment["status"]) == (
        "payer_brief_sophie",
        "collection_brief_commission",
        "10000",
        "paid",
    )
    assert links["transaction_brief_sophie"] == {"participant_brief_sophie"}


def test_events_cover_every_offer_event_and_transaction_type(landing) -> None:
    out, _ = landing
    lines = events(out)
    assert {e["type"] for e in lines} >= OFFER_EVENTS
    kinds = {
        e["data"]["object"]["type"] for e in lines if e["type"] == "capital.financing_transaction.created"
    }
    assert kinds == {"payout", "payment", "reversal"}


def test_nothing_happens_after_the_end_date(landing) -> None:
    out, _ = landing
    lines = events(out)
    assert max(e["created"] for e in lines) <= END_TS
    for path in out.glob("capital_eligibility_*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            assert all(dt.date.fromisoformat(r["as_of_date"]) <= END for r in csv.DictReader(handle))


def test_repaid_financings_balance_to_zero_but_one(landing) -> None:
    out, _ = landing
    unique = {e["id"]: e for e in events(out)}.values()
    status = {}
    for event in sorted(unique, key=lambda e: e["created"]):
        if event["type"] in OFFER_EVENTS:
            status[event["data"]["object"]["id"]] = event["data"]["object"]["status"]
    txns = [e["data"]["object"] for e in unique if e["type"] == "capital.financing_transaction.created"]
    by_id = {t["id"]: t for t in txns}
    owed, repaid = Counter(), Counter()
    for t in txns:
        total = t["details"]["total_amount"]
        reversed_txn = by_id.get(t["details"]["reversed_transaction"] or "")
        if t["type"] == "payout":
            owed[t["financing_offer"]] += total
        elif t["type"] == "payment":
            repaid[t["financing_offer"]] += total
        elif reversed_txn and reversed_txn["type"] == "payment":
            repaid[t["financing_offer"]] -= total
    done = [o for o, s in status.items() if s == "fully_repaid"]
    assert done
    assert sum(repaid[o] != owed[o] for o in done) <= 1


def test_bad_rows_are_appended_on_request(tmp_path: Path) -> None:
    generate(tmp_path, scale=20, seed=SEED, end_date=END, progress=False, bad_rows=True)
    assert "tournament" in {r["kind"] for r in read_csv(tmp_path, "collections")}
    assert "12.5e" in {r["amount"] for r in read_csv(tmp_path, "transactions")}
    last = (tmp_path / "capital_events_2026-10.ndjson").read_text(encoding="utf-8").splitlines()
    with pytest.raises(json.JSONDecodeError):
        json.loads(last[-1])
    assert json.loads(last[0])
