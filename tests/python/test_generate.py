"""The synthetic landing-set generator (scripts/warehouse/generate)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from warehouse.contract import KINDS
from warehouse.generate import generate
from warehouse.generate.accounts import FORCED, make_account
from warehouse.generate.common import Window
from warehouse.slicing import slice_by_day

SCALE, SEED = 120, 7
END = dt.date(2026, 10, 31)
END_TS = int(dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()) - 1

# The contract's CSV headers (docs/contract/capital.md and docs/contract/collections.md), from the one
# place they are written: warehouse.contract.KINDS.
HEADERS = {kind.name: list(kind.columns) for kind in KINDS if kind.ext == "csv"}
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
    done = [o for o, s in status.items() if s in ("fully_repaid", "completed")]
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


# The provider's real shapes (capital.md revision 4), as generate/shapes.py documents them.
# The exact counts below are what seed 7 draws at scale 120: the forced scenarios
# (accounts.FORCED, one account each, always present) plus the random accounts' draws with
# the documented proportions; `test_random_shapes_follow_their_documented_proportions`
# checks that every such draw lies within three standard deviations of p x n.
TRANSITION_KEYS = {
    "accepted_at",
    "canceled_at",
    "fully_repaid_at",
    "paid_out_at",
    "rejected_at",
    "replaced_at",
}
TRANSITION_OF = {k.removesuffix("_at"): k for k in TRANSITION_KEYS}
PARTIAL_OMITS = {"created", "expires_after", "product_type", "livemode"}
EXPECTED_OFFER_SHAPES = {
    # 25 offers of the forced accounts (with their refill, replacement and test-mode offers)
    # and 48 drawn ones; "forced + drawn" below, the draws' p x n in brackets
    "offers": 73,  # 71 live, 2 test-mode
    "metadata_empty": 32,  # 11 + 21 (40 % of 48: 19.2)
    "legacy_type": 3,  # 1 (legacy_completed) + 2 (40 % of the 5 first-quarter offers: 2)
    "status_transitions_null": 3,  # exactly the legacy objects
    "completed": 3,  # every legacy offer got fully repaid
    "float_expiry": 5,  # 1 (legacy_completed) + 4 (15 %: 7.2)
    "financing_type_null": 2,  # 0 + 2 (5 %: 2.4)
    "product_type_null": 2,  # 0 + 2 (5 %: 2.4)
    "campaign_type_null": 1,  # 0 + 1 (5 %: 2.4)
    "offered_terms_null": 2,  # 1 (terms_null) + 1 (3 %: 1.4)
    "first_event_delivered": 3,  # 1 (first_delivered) + 2 (5 % of the delivered ones), replacements aside
    "replacements": 4,  # 2 (replaced, counteroffer) + 2 (10 % of the paths: 4.8)
    "orphans": 2,  # 1 (flight_orphan) + 1 (6 % of the ~30 drawn payouts: 1.8)
}


def forced_ids() -> dict[str, str]:
    """{forced scenario: account id} at seed 7 (the first len(FORCED) accounts)."""
    win = Window.build(END, 18)
    return {FORCED[i][0]: make_account(SEED, i, win).id for i in range(len(FORCED))}


def histories(directory: Path) -> tuple[dict[str, list[dict]], list[dict], dict[str, list[dict]]]:
    """Every offer's events and every account's events (each once, by created then id), and
    the transactions' objects."""
    offers: dict[str, list[dict]] = defaultdict(list)
    accounts: dict[str, list[dict]] = defaultdict(list)
    txns = []
    for event in sorted(
        {e["id"]: e for e in events(directory)}.values(), key=lambda e: (e["created"], e["id"])
    ):
        obj = event["data"]["object"]
        if event["type"] in OFFER_EVENTS:
            offers[obj["id"]].append(event)
        elif event["type"] == "account.updated":
            accounts[obj["id"]].append(event)
        else:
            txns.append(obj)
    return offers, txns, accounts


def orphans(offers: dict[str, list[dict]], txns: list[dict]) -> dict[str, dict]:
    """{offer id: its earliest transaction} for the offers whose first event comes after it."""
    found: dict[str, dict] = {}
    for txn in sorted(txns, key=lambda t: t["created_at"]):
        offer = txn["financing_offer"]
        if offer in offers and offer not in found and offers[offer][0]["created"] > txn["created_at"]:
            found[offer] = txn
    return found


def utc_day(ts: float) -> dt.date:
    return dt.datetime.fromtimestamp(ts, dt.UTC).date()


def shape_counts(offers: dict[str, list[dict]], txns: list[dict]) -> Counter:
    counts: Counter = Counter()
    for history in offers.values():
        objs = [e["data"]["object"] for e in history]
        first = history[0]
        counts["offers"] += 1
        counts["metadata_empty"] += objs[-1]["metadata"] == {}
        counts["legacy_type"] += "type" in objs[-1]
        counts["status_transitions_null"] += objs[-1]["status_transitions"] is None
        counts["completed"] += objs[-1]["status"] == "completed"
        counts["float_expiry"] += any(isinstance(o.get("expires_after"), float) for o in objs)
        counts["financing_type_null"] += objs[-1].get("financing_type", objs[-1].get("type")) is None
        counts["product_type_null"] += any("product_type" in o and o["product_type"] is None for o in objs)
        counts["campaign_type_null"] += any(
            (o["offered_terms"] or {"campaign_type": 1})["campaign_type"] is None for o in objs
        )
        counts["offered_terms_null"] += objs[-1]["offered_terms"] is None
        counts["first_event_delivered"] += first["type"] == "capital.financing_offer.delivered"
        counts["replacements"] += first["type"] == "capital.financing_offer.replacement_created"
    counts["orphans"] = len(orphans(offers, txns))
    return counts


@pytest.fixture(scope="module")
def history(landing) -> tuple[dict[str, list[dict]], list[dict], dict[str, list[dict]]]:
    return histories(landing[0])


def test_offer_shapes_come_in_their_exact_numbers(history) -> None:
    offers, txns, _ = history
    assert shape_counts(offers, txns) == Counter(EXPECTED_OFFER_SHAPES)


def test_offer_objects_carry_the_revision_4_fields(landing, history) -> None:
    offers, _, _ = history
    for history_ in offers.values():
        for event in history_:
            obj = event["data"]["object"]
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in obj["metadata"].items())
            legacy = "type" in obj
            assert legacy == ("financing_type" not in obj) == (obj["status_transitions"] is None)
            assert legacy == ("replacement_type" not in obj)
            assert obj["status"] != "completed" or (legacy and event["type"].endswith(".fully_repaid"))
            if not legacy:
                assert set(obj["status_transitions"]) == TRANSITION_KEYS
                assert obj["status_transitions"]["replaced_at"] is None  # no event for a replaced offer
            if isinstance(obj.get("expires_after"), float):
                assert obj["expires_after"] == int(obj["expires_after"]) == obj["created"] + 30 * 86_400
            for terms in (obj["offered_terms"], obj["accepted_terms"]):
                if terms is not None and not legacy:
                    interval = terms["repayment_interval_configuration"]
                    assert (terms["target_payback_days"] is None) == (interval is None)
            accepted = obj["accepted_terms"]
            assert accepted is None or "previous_financing_fee_discount_rate" not in accepted
    # a float lands as the provider writes it, e.g. 1696464000.0
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(landing[0].glob("capital_events_*.ndjson")))
    assert '.0,"status"' in text


def test_status_transitions_are_the_times_of_the_events(history) -> None:
    offers, txns, _ = history
    late = orphans(offers, txns)
    checked = 0
    for offer_id, history_ in offers.items():
        transitions = history_[-1]["data"]["object"]["status_transitions"]
        if transitions is None:
            continue
        for status, key in TRANSITION_OF.items():
            first = next((e["created"] for e in history_ if e["data"]["object"]["status"] == status), None)
            if offer_id in late and status in ("accepted", "paid_out"):  # their events landed later
                assert transitions[key] < first and utc_day(first) > utc_day(transitions[key])
            else:
                assert transitions[key] == first, (offer_id, key)
            checked += transitions[key] is not None
    assert checked == 120  # the (offer, status) pairs of the modern offers with such a status


def test_a_replacement_is_first_seen_delivered_with_a_partial_object(history) -> None:
    offers, _, _ = history
    kinds = Counter()
    for history_ in offers.values():
        first = history_[0]
        if first["type"] != "capital.financing_offer.replacement_created":
            continue
        obj = first["data"]["object"]
        kinds[obj["replacement_type"]] += 1
        assert obj["status"] == "delivered" and obj["replacement_for"] in offers
        assert not PARTIAL_OMITS & set(obj)
        for later in history_[1:]:  # the offer's later objects are whole
            full = later["data"]["object"]
            assert set(full) - set(obj) == PARTIAL_OMITS and not set(obj) - set(full)
            assert (
                full["created"] == first["created"]
                and full["expires_after"] == first["created"] + 30 * 86_400
            )
    assert kinds == {"pre_submission_upgrade": 2, "post_submission_counteroffer": 2}


def test_a_replaced_offer_gets_no_event_and_was_still_open(history) -> None:
    offers, _, _ = history
    before = Counter()
    for history_ in offers.values():
        first = history_[0]
        if first["type"] != "capital.financing_offer.replacement_created":
            continue
        at, obj = first["created"], first["data"]["object"]
        old = offers[obj["replacement_for"]]
        assert all(e["created"] < at for e in old)  # the provider sends nothing for the old offer
        assert all(e["data"]["object"]["replacement"] is None for e in old)
        state = old[-1]["data"]["object"]
        before[(obj["replacement_type"], state["status"])] += 1
        if obj["replacement_type"] == "pre_submission_upgrade":
            assert state["status"] in ("undelivered", "delivered") and state["expires_after"] > at
        else:  # a counteroffer follows a rejection, which it leaves as it is
            assert state["status"] == "rejected"
    assert before == {
        ("pre_submission_upgrade", "undelivered"): 1,
        ("pre_submission_upgrade", "delivered"): 1,
        ("post_submission_counteroffer", "rejected"): 2,
    }


def test_some_offers_are_first_seen_delivered(history) -> None:
    offers, _, _ = history
    first_delivered = {o for o, h in offers.items() if h[0]["data"]["object"]["status"] == "delivered"}
    assert len(first_delivered) == 7  # 3 without a `.created` event, 4 replacements
    forced = forced_ids()["first_delivered"]
    assert [h[0]["type"] for h in offers.values() if h[0]["data"]["object"]["account"] == forced] == [
        "capital.financing_offer.delivered"
    ]


def test_orphan_transactions_come_a_night_before_their_offer(landing, history, tmp_path: Path) -> None:
    offers, txns, _ = history
    late = orphans(offers, txns)
    assert len(late) == 2
    for offer_id, txn in late.items():
        assert txn["type"] == "payout"
        first = offers[offer_id][0]["created"]
        assert utc_day(first) == utc_day(txn["created_at"]) + dt.timedelta(days=1)
        held = [e for e in offers[offer_id] if e["data"]["object"]["status"] != "fully_repaid"]
        assert [e["data"]["object"]["status"] for e in held[:4]] == [
            "undelivered",
            "delivered",
            "accepted",
            "paid_out",
        ]
        assert all(utc_day(e["created"]) == utc_day(first) for e in held[:4])
    # the forced one: paid out the day before the end, so the benchmark's last night brings its offer
    forced = forced_ids()["flight_orphan"]
    (offer_id,) = [o for o, t in late.items() if t["account"] == forced]
    nights, _ = slice_by_day(landing[0], tmp_path / "nights", [END])
    night_events = [histories(n) for n in nights]
    assert [t["financing_offer"] for t in night_events[0][1]].count(offer_id) == 1
    assert offer_id not in night_events[0][0] and len(night_events[1][0][offer_id]) == 4


def test_financing_transactions_carry_their_links_and_descriptions(history) -> None:
    _, txns, _ = history
    counts = Counter()
    for txn in txns:
        details, link = txn["details"], txn["details"]["transaction"]
        counts["transactions"] += 1
        counts["description_null"] += txn["user_facing_description"] is None
        counts["legacy_source"] += txn["legacy_balance_transaction_source"] is not None
        if txn["legacy_balance_transaction_source"] is not None:
            assert txn["user_facing_description"] is None
        if txn["type"] != "payment":
            assert link is None and details["linked_payment"] is None
            assert txn["type"] != "payout" or details["reason"] is None
            continue
        if details["linked_payment"]:
            counts["linked_payment" + ("+charge" if link else "")] += 1
        elif link and link["charge"]:
            counts["charge"] += 1
        elif link:
            counts["treasury_transaction"] += 1
        else:
            counts["unlinked"] += 1
        if link:
            assert (link["charge"] is None) != (link["treasury_transaction"] is None)
    assert counts == {
        "transactions": 4509,
        "description_null": 1185,
        "legacy_source": 601,  # the legacy offers' transactions
        "linked_payment": 1308,
        "linked_payment+charge": 636,
        "charge": 1744,
        "treasury_transaction": 685,
        "unlinked": 56,
    }


def test_test_mode_accounts_and_a_live_account_with_a_test_twin(landing, history) -> None:
    offers, _, accounts = history
    test_only = {a for a, h in accounts.items() if not any(e["livemode"] for e in h)}
    twins = {a for a, h in accounts.items() if a not in test_only and not all(e["livemode"] for e in h)}
    assert (len(test_only), len(twins)) == (5, 4)
    for account in twins:  # the test-mode object comes last: the account stays live
        last = accounts[account][-1]
        assert not last["livemode"] and last["data"]["object"]["email"] is None
        assert all(e["livemode"] for e in accounts[account][:-1])
    forced = forced_ids()["test_mixed"]
    assert forced in twins
    test_offers = [
        h for h in offers.values() if h[0]["data"]["object"]["account"] == forced and not h[0]["livemode"]
    ]
    assert [[e["data"]["object"]["status"] for e in h] for h in test_offers] == [["undelivered"]]
    # the platform's CSV rows about test-only accounts are still written (the warehouse drops them)
    csv_accounts = {r["account_id"] for r in read_csv(landing[0], "capital_eligibility")}
    csv_accounts |= {r["account_id"] for r in read_csv(landing[0], "capital_account_flags")}
    assert len(test_only & csv_accounts) == 3


def test_random_shapes_follow_their_documented_proportions(history) -> None:
    """Each drawn shape count (the forced ones taken out) within 3 sigma of p x n."""
    offers, _, _ = history
    forced = set(forced_ids().values())
    drawn = {o: h for o, h in offers.items() if h[0]["data"]["object"]["account"] not in forced}
    counts = shape_counts(drawn, [])
    n = len(drawn)
    for shape, p in {
        "float_expiry": 0.15,
        "offered_terms_null": 0.03,
        "financing_type_null": 0.05,
        "product_type_null": 0.05,
        "campaign_type_null": 0.05,
        "metadata_empty": 0.4,
    }.items():
        assert abs(counts[shape] - p * n) <= 3 * (p * (1 - p) * n) ** 0.5 + 1, shape
