"""Contract revision 4 (capital.md), rule by rule, end to end through the real commands.

Every expected value below is worked out by hand from the contract (the comment next
to it says how); T0 = 1767225600 = 2026-01-01 00:00:00 UTC, as of 2026-01-20.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from conftest import Warehouse, write
from events import T0, account, event, offer, transaction

AS_OF = "2026-01-20"
DAY = 86400
OFFER = "capital.financing_offer."
TXN = "capital.financing_transaction.created"
ACCEPTED_TERMS = {
    "advance_amount": 100000,
    "fee_amount": 10000,
    "currency": "eur",
    "withhold_rate": 0.1,
    "previous_financing_fee_discount_amount": 0,
    "target_payback_days": 120,
    "repayment_interval_configuration": None,
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _float_offer() -> dict:
    # the legacy `type` instead of `financing_type`, a float `expires_after`, first seen delivered
    obj = offer("financingoffer_float", "delivered", metadata={"campaign": "spring"})
    del obj["financing_type"]
    obj["type"] = "flex_loan"
    obj["expires_after"] = float(T0 + 10 + 30 * DAY)  # 1769817610.0
    return obj


def _nulls_offer() -> dict:
    obj = offer(
        "financingoffer_nulls", "undelivered", financing_type=None, product_type=None, offered_terms=None
    )
    obj["created"] = T0 + 20
    del obj["metadata"]
    return obj


def _completed_offer() -> dict:
    return offer(
        "financingoffer_completed",
        "completed",
        created=T0 + 30,
        accepted_terms=ACCEPTED_TERMS,
        status_transitions={
            "accepted_at": T0 + 100,
            "canceled_at": None,
            "fully_repaid_at": T0 + 4 * DAY,
            "paid_out_at": T0 + 200,
            "rejected_at": None,
            "replaced_at": None,
        },
    )


def _replacement_offer() -> dict:
    # as the provider's replacement example: no created, expires_after, product_type, livemode
    obj = offer(
        "financingoffer_new",
        "delivered",
        replacement_for="financingoffer_old",
        replacement_type="pre_submission_upgrade",
        metadata={},
    )
    obj["offered_terms"] = dict(obj["offered_terms"], advance_amount=150000)
    for missing in ("created", "expires_after", "product_type", "livemode"):
        del obj[missing]
    return obj


def _payment(txn_id: str, advance: int, created: int, **details: object) -> dict:
    obj = transaction(txn_id, "financingoffer_paid", "payment", advance, advance // 10, **details)
    obj["created_at"] = created
    return obj


def first_night() -> list[str]:
    paid = {"accepted_terms": ACCEPTED_TERMS, "created": T0 + 60}
    payout = transaction("cptxn_payout", "financingoffer_paid", "payout", 100000, 10000)
    payout["created_at"] = T0 + 2 * DAY
    orphan = transaction("cptxn_orphan", "financingoffer_later", "payout", 50000, 5000)
    orphan["created_at"] = T0 + 3 * DAY
    big = _payment("cptxn_big", 0, T0 + 3 * DAY, advance_amount=10**15, total_amount=10**15, fee_amount=0)
    bad_currency = _payment("cptxn_zzz", 100, T0 + 3 * DAY, currency="zzz")
    return [
        event("evt_acc_a", "account.updated", T0, account("acct_A", "a@club.fr", "Club A")),
        event("evt_acc_l1", "account.updated", T0, account("acct_L", "l@club.fr", "Club L")),
        event(
            "evt_acc_l2",
            "account.updated",
            T0 + DAY,
            account("acct_L", None, "Club L (test)"),
            livemode=False,
        ),
        event("evt_acc_t", "account.updated", T0, account("acct_T", "t@club.fr", "Test"), livemode=False),
        event("evt_f1", OFFER + "created", T0 + 10, _float_offer()),
        event("evt_n1", OFFER + "created", T0 + 20, _nulls_offer()),
        event(
            "evt_c1",
            OFFER + "created",
            T0 + 30,
            offer("financingoffer_completed", "undelivered", created=T0 + 30),
        ),
        event("evt_c2", OFFER + "fully_repaid", T0 + 5 * DAY, _completed_offer()),
        event(
            "evt_r1", OFFER + "created", T0 + 40, offer("financingoffer_old", "undelivered", created=T0 + 40)
        ),
        event(
            "evt_r2", OFFER + "delivered", T0 + 50, offer("financingoffer_old", "delivered", created=T0 + 40)
        ),
        event("evt_r3", OFFER + "replacement_created", T0 + DAY, _replacement_offer()),
        event(
            "evt_p1", OFFER + "created", T0 + 60, offer("financingoffer_paid", "undelivered", created=T0 + 60)
        ),
        event("evt_p2", OFFER + "paid_out", T0 + 2 * DAY, offer("financingoffer_paid", "paid_out", **paid)),
        event("evt_t1", TXN, T0 + 2 * DAY, payout),
        event(
            "evt_t2",
            TXN,
            T0 + 3 * DAY,
            _payment(
                "cptxn_charge",
                1000,
                T0 + 3 * DAY,
                reason="automatic_withholding",
                transaction={"charge": "ch_1", "treasury_transaction": None},
            )
            | {"user_facing_description": "Withholding from your sales"},
        ),
        event(
            "evt_t3",
            TXN,
            T0 + 3 * DAY + 60,
            _payment(
                "cptxn_treasury",
                500,
                T0 + 3 * DAY + 60,
                reason="automatic_withholding",
                transaction={"charge": None, "treasury_transaction": "trxn_1"},
            ),
        ),
        event(
            "evt_t4",
            TXN,
            T0 + 3 * DAY + 120,
            _payment(
                "cptxn_linked",
                200,
                T0 + 3 * DAY + 120,
                reason="user_initiated",
                linked_payment="py_1",
                transaction={"charge": "ch_2", "treasury_transaction": None},
            )
            | {"legacy_balance_transaction_source": "txn_legacy_1"},
        ),
        event("evt_t5", TXN, T0 + 3 * DAY, orphan),
        event("evt_big", TXN, T0 + 3 * DAY, big),
        event("evt_zzz", TXN, T0 + 3 * DAY, bad_currency),
        event("evt_ms", "account.updated", T0 * 1000, account("acct_M", "m@club.fr", "Club M")),
        # a time in hundred-thousandths of a second: 15 digits, beyond what DuckDB converts
        event(
            "evt_micro",
            OFFER + "created",
            T0,
            offer("financingoffer_micro", "undelivered", charged_off_at=T0 * 100000),
        ),
        event("evt_other", "capital.financing_summary.updated", T0, {"object": "capital.financing_summary"}),
    ]


def second_night() -> list[str]:
    later = {
        "created": T0 + DAY,
        "accepted_terms": dict(ACCEPTED_TERMS, advance_amount=50000, fee_amount=5000),
    }
    return [
        event(
            "evt_l1",
            OFFER + "created",
            T0 + DAY,
            offer("financingoffer_later", "undelivered", created=T0 + DAY),
        ),
        event("evt_l2", OFFER + "paid_out", T0 + 3 * DAY, offer("financingoffer_later", "paid_out", **later)),
    ]


ELIGIBILITY = (
    "as_of_date,account_id,is_eligible,estimated_advance_amount,currency\n"
    "2026-01-20,acct_L,true,50000,eur\n"
    "2026-01-20,acct_T,true,70000,eur\n"
)


def _rows(warehouse: Warehouse, sql: str) -> dict[str, dict]:
    with __import__("duckdb").connect(str(warehouse.path), read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, dict]:
    root = tmp_path_factory.mktemp("revision4")
    warehouse = Warehouse(root / "warehouse.duckdb")
    first = root / "night1"
    write(first, "capital_events_night1.ndjson", "\n".join(first_night()) + "\n")
    write(first, "capital_eligibility.csv", ELIGIBILITY)
    warehouse.run("land", str(first))
    warehouse.run("build", "--as-of", AS_OF)
    snapshot = {
        "offers": _rows(warehouse, "select * from capital.financing_offers"),
        "transactions": _rows(warehouse, "select * from capital.connected_account_financing_transactions"),
        "rejected": warehouse.query("select source_table, reason from audit.rejected_rows order by reason"),
        "eligible": warehouse.query("select account_id from capital.eligible_accounts order by 1"),
        "pending": warehouse.query(
            "select account_id, blocked_reason from capital.pending_offers order by 1"
        ),
    }
    second = root / "night2"
    write(second, "capital_events_night2.ndjson", "\n".join(second_night()) + "\n")
    warehouse.run("land", str(second))
    warehouse.run("build", "--as-of", AS_OF)
    return warehouse, snapshot


def test_documented_shapes_land_with_their_fallbacks(built: tuple[Warehouse, dict]) -> None:
    offers = built[1]["offers"]
    flt = offers["financingoffer_float"]
    assert flt["state"] == "delivered"  # expires 2026-01-31 00:00:10, after the as-of date
    assert flt["expires_at"] == utc(2026, 1, 31, 0, 0, 10)  # 1769817610.0
    assert flt["delivered_at"] == utc(2026, 1, 1, 0, 0, 10)  # first event already `delivered`
    assert flt["financing_type"] == "flex_loan"  # the legacy `type`
    assert json.loads(flt["metadata"]) == {"campaign": "spring"}

    nulls = offers["financingoffer_nulls"]
    assert (nulls["state"], nulls["currency"], nulls["max_advance_amount"]) == ("undelivered", None, None)
    assert (nulls["financing_type"], nulls["product_type"], nulls["campaign_type"]) == (None, None, None)
    assert nulls["metadata"] is None  # absent, not empty
    assert nulls["created_at"] == utc(2026, 1, 1, 0, 0, 20)


def test_legacy_completed_and_status_transitions(built: tuple[Warehouse, dict]) -> None:
    done = built[1]["offers"]["financingoffer_completed"]
    assert (done["state"], done["provider_status"]) == ("fully_repaid", "completed")
    # the provider's status_transitions, not the events' times (the only later event is T0 + 5 days)
    assert done["accepted_at"] == utc(2026, 1, 1, 0, 1, 40)  # T0 + 100
    assert done["paid_out_at"] == utc(2026, 1, 1, 0, 3, 20)  # T0 + 200
    assert done["fully_repaid_at"] == utc(2026, 1, 5)  # T0 + 4 days
    assert done["accepted_terms_target_payback_days"] == 120
    assert done["revshare_earned_amount"] == 1000  # round(10000 x 0.10)


def test_a_replacement_replaces_the_open_offer(built: tuple[Warehouse, dict]) -> None:
    offers = built[1]["offers"]
    old, new = offers["financingoffer_old"], offers["financingoffer_new"]
    assert (old["state"], old["replacement"]) == ("replaced", "financingoffer_new")
    assert old["replaced_at"] == utc(2026, 1, 2)  # the new offer's created: its first event, T0 + 1 day
    assert old["delivered_at"] == utc(2026, 1, 1, 0, 0, 50)
    # the partial object: created from its earliest event, expires 30 days later, livemode the envelope's
    assert (new["state"], new["replacement_for"], new["product_type"]) == (
        "delivered",
        "financingoffer_old",
        None,
    )
    assert new["created_at"] == utc(2026, 1, 2)
    assert new["expires_at"] == utc(2026, 2, 1)
    assert new["delivered_at"] == utc(2026, 1, 2)
    assert new["metadata"] == "{}"
    assert new["replacement_type"] == "pre_submission_upgrade"


def test_topline_counts_a_replaced_offer_once(built: tuple[Warehouse, dict]) -> None:
    warehouse = built[0]
    # float (100000) and new (150000) are active in eur; old is replaced; nulls has no currency
    assert warehouse.query(
        "select offer_count, amount from capital.topline where stage = 'active_offers' and currency = 'eur'"
    ) == [(2, 250000)]


def test_transaction_links_and_descriptions(built: tuple[Warehouse, dict]) -> None:
    txns = built[1]["transactions"]
    assert set(txns) == {"cptxn_payout", "cptxn_charge", "cptxn_treasury", "cptxn_linked"}
    got = {
        t: (r["linked_withholdable_object_id"], r["linked_withholdable_object_type"], r["description"])
        for t, r in txns.items()
    }
    assert got == {
        "cptxn_payout": (None, None, "Financing payout"),
        "cptxn_charge": ("ch_1", "charge", "Withholding from your sales"),
        "cptxn_treasury": ("trxn_1", "treasury_transaction", "Financing payment (automatic_withholding)"),
        "cptxn_linked": ("py_1", "charge", "Financing payment (user_initiated)"),
    }
    assert txns["cptxn_linked"]["legacy_balance_transaction_source"] == "txn_legacy_1"
    assert txns["cptxn_charge"]["effective_time"] == utc(2026, 1, 4)


def test_limits_and_other_event_types(built: tuple[Warehouse, dict]) -> None:
    reasons = [reason for table, reason in built[1]["rejected"] if table == "capital_events"]
    assert reasons == [
        "created 1767225600000 is not a unix time in seconds between 2000-01-01 and 2100-01-01",
        "data.object.charged_off_at 176722560000000 is not a unix time in seconds"
        " between 2000-01-01 and 2100-01-01",
        "data.object.details.advance_amount 1000000000000000 is not below 10^15 minor units",
        "data.object.details.currency 'zzz' is not an ISO 4217 currency code",
        "financing transaction cptxn_orphan waits for its financing offer financingoffer_later,"
        " which has not landed (or was rejected)",
    ]  # the event of another type (capital.financing_summary.updated) is not among them


def test_a_live_account_with_a_later_test_event_stays_live(built: tuple[Warehouse, dict]) -> None:
    assert built[1]["eligible"] == [("acct_L",)]  # acct_T was never reported live
    assert built[1]["pending"] == [("acct_L", None)]  # its live email l@club.fr counts


def test_a_waiting_transaction_is_taken_in_once_its_offer_lands(built: tuple[Warehouse, dict]) -> None:
    warehouse, first = built
    assert "cptxn_orphan" not in first["transactions"]
    assert warehouse.query(
        "select account, financing_offer, total_amount from capital.connected_account_financing_transactions"
        " where id = 'cptxn_orphan'"
    ) == [("acct_A", "financingoffer_later", 55000)]
    listed = "select count(*) from audit.rejected_rows where reason like '%cptxn_orphan%'"
    assert warehouse.scalar(listed) == 0
    # its balance runs from the payout day (2026-01-04) to the as-of date: 17 days
    assert warehouse.query(
        "select count(*), min(effective_date_utc), max(effective_date_utc) from capital.financing_balances"
        " where financing_offer = 'financingoffer_later'"
    ) == [(17, datetime(2026, 1, 4).date(), datetime(2026, 1, 20).date())]


def test_batch_timestamp_moves_only_with_the_row(built: tuple[Warehouse, dict]) -> None:
    warehouse, first = built
    now = _rows(warehouse, "select id, batch_timestamp from capital.financing_offers")
    before = first["offers"]["financingoffer_float"]["batch_timestamp"]
    assert now["financingoffer_float"]["batch_timestamp"] == before  # unchanged row
    assert now["financingoffer_later"]["batch_timestamp"] > before  # new tonight


def test_sigma_tables_are_also_named_as_the_other_section(built: tuple[Warehouse, dict]) -> None:
    warehouse = built[0]
    for view, table in [
        ("connected_account_financing_offers", "financing_offers"),
        ("connected_account_financing_balances", "financing_balances"),
        ("financing_transactions", "connected_account_financing_transactions"),
    ]:
        assert (
            warehouse.scalar(f"select count(*) from capital.{view}")
            == warehouse.scalar(f"select count(*) from capital.{table}")
            > 0
        )


def test_offer_and_export_show_the_replacement(built: tuple[Warehouse, dict]) -> None:
    warehouse = built[0]
    shown = warehouse.run("offer", "financingoffer_old").stdout
    assert "  status            replaced\n" in shown
    assert "replaced by financingoffer_new on 2026-01-02 00:00 UTC" in shown
    assert "replaces financingoffer_old" in warehouse.run("offer", "financingoffer_new").stdout
    columns = "id,state,replacement,replacement_for,metadata"
    exported = warehouse.run("export", "offers", "--columns", columns, "--status", "replaced").stdout
    assert exported == columns + "\r\nfinancingoffer_old,replaced,financingoffer_new,,{}\r\n"
