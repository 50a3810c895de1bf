"""The provider's own documented Capital objects (tests/fixtures/provider_docs, see its SOURCES.md)
landed as the provider sends them, and the Sigma tables checked field by field against values
worked out by hand from the landing contract (capital.md, revision 4) and sigma_schema.md.

As of 2023-09-30 (the day ends 2023-10-01 00:00:00 UTC = 1696118400).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from conftest import ROOT, Warehouse
from sigma_schema import FINANCING_BALANCES as BALANCE_COLUMNS
from sigma_schema import FINANCING_OFFERS as OFFER_COLUMNS
from sigma_schema import FINANCING_TRANSACTIONS as TRANSACTION_COLUMNS

FIXTURES = ROOT / "tests" / "fixtures" / "provider_docs"
AS_OF = "2023-09-30"
FIRST_FILE = "capital_events_provider_docs.ndjson"

MISSING = "<no such column>"
TZ = "TIMESTAMP WITH TIME ZONE"

# the offer the documented paydown names, landed only in the later file
WAITING_OFFER = "financingoffer_1NAdVWJQ3aJgxqz5nh90Zqrs"


def utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Built:
    """A warehouse after a landing and a build, with the time span of that build."""

    def __init__(
        self, warehouse: Warehouse, result: subprocess.CompletedProcess[str], started: datetime
    ) -> None:
        self.warehouse = warehouse
        self.result = result
        self.started = started
        self.finished = datetime.now(UTC)

    def rows(self, sql: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.warehouse.path), read_only=True) as con:
            con.execute("set TimeZone = 'UTC'")
            cursor = con.execute(sql)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]

    def column_types(self, schema: str, table: str) -> dict[str, str]:
        return {
            name: data_type
            for name, data_type in self.warehouse.query(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                schema,
                table,
            )
        }


def assert_written_by(built: Built, batch_timestamp: Any) -> None:
    """`batch_timestamp` is the time of the build that wrote the row."""
    assert batch_timestamp not in (None, MISSING), batch_timestamp
    written = normalized(batch_timestamp)
    assert built.started - timedelta(seconds=1) <= written <= built.finished, written


def build(warehouse: Warehouse) -> Built:
    """`wh build` as of 2023-09-30; a failed build is asserted by its own test, so that the
    tables it did write are still checked."""
    started = datetime.now(UTC)
    result = warehouse.run("build", "--as-of", AS_OF, check=False)
    return Built(warehouse, result, started)


def assert_built(built: Built) -> None:
    if built.result.returncode != 0:
        failures = [
            line for line in built.result.stdout.splitlines() if "Failure in" in line or "ERROR" in line
        ]
        pytest.fail("wh build failed:\n" + "\n".join(failures[-10:]) + "\n" + built.result.stderr[-1000:])


def normalized(value: Any) -> Any:
    """A value as the assertions compare it: timestamps as UTC instants (a naive one read as
    UTC), decimals as floats (so 0.05 compares to 0.05; the types are checked on their own)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, Decimal):
        return float(value)
    return value


def picked(row: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The row's values of the expected columns (a missing column shows as MISSING)."""
    out = {}
    for key in expected:
        value = normalized(row.get(key, MISSING))
        if key == "metadata" and isinstance(value, str) and value != MISSING:
            value = json.loads(value)  # JSON text: compared as the object it encodes
        out[key] = value
    return out


def event_id(raw_record: str | None) -> str | None:
    try:
        return json.loads(raw_record)["id"]
    except (TypeError, ValueError, KeyError):
        return None


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The documented objects landed (first/), built as of 2023-09-30."""
    tmp = tmp_path_factory.mktemp("provider_docs_first")
    warehouse = Warehouse(tmp / "warehouse.duckdb")
    warehouse.run("land", str(FIXTURES / "first"))
    return build(warehouse)


@pytest.fixture(scope="module")
def later(first: Built, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same warehouse, then the later file (later/: the waiting transaction's offer and its
    payout, written for this fixture) landed and the next build run."""
    tmp = tmp_path_factory.mktemp("provider_docs_later")
    shutil.copyfile(first.warehouse.path, tmp / "warehouse.duckdb")
    warehouse = Warehouse(tmp / "warehouse.duckdb")
    warehouse.run("land", str(FIXTURES / "later"))
    return build(warehouse)


# --------------------------------------------------------------------------- offers


# Not set by any fixture object: every offer below has these null.
NO_TERMS_EXTRAS = {
    "fully_repaid_at": None,  # no offer reached fully_repaid
    "canceled_at": None,
    "rejected_at": None,
    "charged_off_at": None,  # no charged_off_at in any object
    "offered_terms_target_payback_days": None,  # absent from every offered_terms
    "accepted_terms_target_payback_days": None,  # absent or null in every accepted_terms
    "offered_terms_repayment_interval_configuration_duration_days": None,
    "offered_terms_repayment_interval_configuration_minimum_amount": None,
    "offered_terms_repayment_interval_configuration_maximum_amount": None,
    "accepted_terms_repayment_interval_configuration_duration_days": None,
    "accepted_terms_repayment_interval_configuration_minimum_amount": None,
    "accepted_terms_repayment_interval_configuration_maximum_amount": None,
}

NO_ACCEPTED_TERMS = {
    "accepted_advance_amount": None,  # accepted_terms absent: null until accepted
    "accepted_premium_amount": None,
    "accepted_withhold_rate": None,
    "previous_financing_fee_discount_amount": None,
}

EXPECTED_OFFERS: dict[str, dict[str, Any]] = {
    # line 1 (API reference object, created) + line 2 (mark_delivered response, .delivered)
    "financingoffer_1NPvKg2eZvKYlo2CnEEmlCVh": {
        "id": "financingoffer_1NPvKg2eZvKYlo2CnEEmlCVh",
        "account_id": "acct_1NPvKgBY65lDjjDk",
        "account": "acct_1NPvKgBY65lDjjDk",
        "currency": "usd",  # offered_terms.currency
        # latest event: delivered; expires_after 2023-08-02 < end of 2023-09-30 -> expired
        "state": "expired",
        "created_at": utc(1688423699),  # 1688423699 -> 2023-07-03 22:34:59 UTC
        "expires_at": utc(1690934400),  # 1690934400 -> 2023-08-02 00:00:00 UTC
        "delivered_at": utc(1688515200),  # the .delivered event: 2023-07-05 00:00:00 UTC
        "accepted_at": None,
        "paid_out_at": None,
        # no expiry event: expired_at = expires_after = 2023-08-02 00:00:00 UTC
        "expired_at": utc(1690934400),
        "replaced_at": None,
        "financing_type": "flex_loan",
        "product_type": "standard",
        "campaign_type": "newly_eligible_user",
        "is_first_time_offer": True,  # the account's only offer
        "max_advance_amount": 10000,
        "max_premium_amount": 1000,
        "max_withhold_rate": 0.05,
        **NO_ACCEPTED_TERMS,
        "previous_financing_fee_discount_rate": None,  # null in offered_terms, stays null
        "replacement_for": None,  # absent
        "replacement": None,
        "metadata": None,  # absent from the object: null (not '{}')
        "revshare_earned_amount": None,  # never paid out
        **NO_TERMS_EXTRAS,
    },
    # line 3 (List financing offers response, data[0])
    "financingoffer_1Nn7FV2eZvKYlo2CcGGcdZ6L": {
        "id": "financingoffer_1Nn7FV2eZvKYlo2CcGGcdZ6L",
        "account_id": "acct_1Nn7FVGy17qyuPVN",
        "account": "acct_1Nn7FVGy17qyuPVN",
        "currency": "usd",
        # expires_after 2023-10-05 00:00 is after the end of 2023-09-30: still undelivered
        "state": "undelivered",
        "created_at": utc(1693951049),  # 1693951049 -> 2023-09-05 21:57:29 UTC
        "expires_at": utc(1696464000),  # 1696464000 -> 2023-10-05 00:00:00 UTC
        "delivered_at": None,
        "accepted_at": None,
        "paid_out_at": None,
        "expired_at": None,
        "replaced_at": None,
        "financing_type": "flex_loan",
        "product_type": "standard",
        "campaign_type": "newly_eligible_user",
        "is_first_time_offer": True,
        "max_advance_amount": 10000,
        "max_premium_amount": 1000,
        "max_withhold_rate": 0.05,
        **NO_ACCEPTED_TERMS,
        "previous_financing_fee_discount_rate": None,
        "replacement_for": None,
        "replacement": None,
        "metadata": None,
        "revshare_earned_amount": None,
        **NO_TERMS_EXTRAS,
    },
    # line 4 (written for this fixture: the replacement guide's original, delivered offer)
    "financingoffer_abc123": {
        "id": "financingoffer_abc123",
        "account_id": "acct_efg678",
        "account": "acct_efg678",
        "currency": "usd",
        # delivered and not expired (expires 2023-09-24) when xyz456 is created on 2023-09-15:
        # replaced then; terminal, so it does not expire on 2023-09-24
        "state": "replaced",
        "created_at": utc(1692921600),  # 1692921600 -> 2023-08-25 00:00:00 UTC
        "expires_at": utc(1695513600),  # 1695513600 -> 2023-09-24 00:00:00 UTC
        "delivered_at": utc(1692921600),  # first event already delivered: 2023-08-25 00:00 UTC
        "accepted_at": None,
        "paid_out_at": None,
        "expired_at": None,  # replaced before it could expire
        # xyz456's created (its first event's created, the object has none): 2023-09-15 00:00 UTC
        "replaced_at": utc(1694736000),
        "financing_type": "flex_loan",
        "product_type": "standard",
        "campaign_type": "newly_eligible_user",
        "is_first_time_offer": True,  # 2023-08-25, before xyz456 (2023-09-15)
        "max_advance_amount": 500000,
        "max_premium_amount": 50000,
        "max_withhold_rate": 0.15,
        **NO_ACCEPTED_TERMS,
        "previous_financing_fee_discount_rate": None,
        "replacement_for": None,
        "replacement": "financingoffer_xyz456",  # the new offer's id
        "metadata": {},  # {} landed: '{}'
        "revshare_earned_amount": None,
        **NO_TERMS_EXTRAS,
    },
    # line 5 (replacement guide, capital.financing_offer.replacement_created)
    "financingoffer_xyz456": {
        "id": "financingoffer_xyz456",
        "account_id": "acct_efg678",
        "account": "acct_efg678",
        "currency": "usd",
        # first seen delivered; expires 2023-10-15, after the as-of date
        "state": "delivered",
        # no `created` nor `created_at`: the created of its earliest event, 1694736000
        "created_at": utc(1694736000),  # -> 2023-09-15 00:00:00 UTC
        # no `expires_after`: created + 30 days = 1697328000 -> 2023-10-15 00:00:00 UTC
        "expires_at": utc(1697328000),
        "delivered_at": utc(1694736000),  # first event already delivered: 2023-09-15 00:00 UTC
        "accepted_at": None,
        "paid_out_at": None,
        "expired_at": None,
        "replaced_at": None,
        "financing_type": "flex_loan",
        "product_type": None,  # absent: stays null
        "campaign_type": None,  # absent from offered_terms: stays null
        "is_first_time_offer": False,  # abc123 (2023-08-25) is the account's earliest
        "max_advance_amount": 100000,
        "max_premium_amount": 10000,
        "max_withhold_rate": 0.15,
        **NO_ACCEPTED_TERMS,
        "previous_financing_fee_discount_rate": None,  # absent
        "replacement_for": "financingoffer_abc123",
        "replacement": None,
        "metadata": None,  # absent
        "revshare_earned_amount": None,
        **NO_TERMS_EXTRAS,
    },
    # line 7 (refill guide's accepted webhook, its 1973 placeholder time replaced; line 6, the
    # verbatim one, is rejected)
    "financingoffer_abcdef123456": {
        "id": "financingoffer_abcdef123456",
        "account_id": "acct_abcdef123456",
        "account": "acct_abcdef123456",
        "currency": "usd",  # offered_terms.currency
        "state": "accepted",  # accepted offers do not expire by the expiry rule
        "created_at": utc(1694304000),  # no `created`: its `created_at`, 2023-09-10 00:00:00 UTC
        "expires_at": utc(1694304000),  # expires_after as documented (= created_at)
        "delivered_at": None,  # no delivered event, first event is accepted
        # no status_transitions: created of the first accepted event, 2023-09-10 00:00:00 UTC
        "accepted_at": utc(1694304000),
        "paid_out_at": None,
        "expired_at": None,
        "replaced_at": None,
        "financing_type": "flex_loan",
        "product_type": "refill",
        "campaign_type": "repeat_user",
        "is_first_time_offer": True,  # the account's only landed offer
        "max_advance_amount": 100000,
        "max_premium_amount": 10000,
        "max_withhold_rate": 0.15,
        "accepted_advance_amount": 100000,
        "accepted_premium_amount": 10000,
        "accepted_withhold_rate": 0.15,
        "previous_financing_fee_discount_amount": None,  # null until the previous is repaid
        "previous_financing_fee_discount_rate": 0.5,  # offered_terms
        "replacement_for": None,
        "replacement": None,
        "metadata": None,
        "revshare_earned_amount": None,  # accepted, never paid out
        **NO_TERMS_EXTRAS,
    },
}

# later/ line 1 (written for this fixture): the offer the documented paydown waits for
EXPECTED_LATER_OFFER = {
    "id": WAITING_OFFER,
    "account_id": "acct_1HLGiXJQ3aJgxqz5",
    "account": "acct_1HLGiXJQ3aJgxqz5",
    "currency": "usd",  # offered_terms null: accepted_terms.currency
    "state": "paid_out",
    "created_at": utc(1682899200),  # 1682899200 -> 2023-05-01 00:00:00 UTC
    "expires_at": utc(1685491200),  # float 1685491200.0 -> 2023-05-31 00:00:00 UTC
    "delivered_at": None,  # no delivered event, first event is paid_out
    "accepted_at": utc(1682985600),  # status_transitions.accepted_at -> 2023-05-02 00:00:00 UTC
    # status_transitions.paid_out_at 1683115200 -> 2023-05-03 12:00:00 UTC (not the event's
    # created, 12:05)
    "paid_out_at": utc(1683115200),
    "expired_at": None,
    "replaced_at": None,  # status_transitions.replaced_at null, never replaced
    "financing_type": "flex_loan",  # from the older field `type`
    "product_type": "standard",
    "campaign_type": None,  # offered_terms null
    "is_first_time_offer": True,
    "max_advance_amount": None,  # offered_terms null: null offered amounts and rate
    "max_premium_amount": None,
    "max_withhold_rate": None,
    "accepted_advance_amount": 100000,
    "accepted_premium_amount": 10000,
    "accepted_withhold_rate": 0.1,
    "previous_financing_fee_discount_amount": None,
    "previous_financing_fee_discount_rate": None,  # offered_terms null
    "replacement_for": None,
    "replacement": None,
    "metadata": {"platform_offer_ref": "club-42"},  # JSON text of the object
    "revshare_earned_amount": 1000,  # round(10000 x 0.10), paid out, not canceled
    **NO_TERMS_EXTRAS,
}


def test_the_documented_objects_build(first: Built) -> None:
    # a transaction waiting for its offer never fails the build
    assert_built(first)


def test_offer_columns_have_the_sigma_names_and_types(first: Built) -> None:
    types = first.column_types("capital", "financing_offers")
    assert {c: types.get(c, MISSING) for c in OFFER_COLUMNS} == OFFER_COLUMNS


def test_offers_are_the_documented_ones(first: Built) -> None:
    # not financingoffer_1NPvU12eZvKYlo2CotjdGRzu (only named by the financing summary, an
    # event of another type) nor the paydown's offer (not landed yet)
    ids = [r["id"] for r in first.rows("select id from capital.financing_offers order by id")]
    assert ids == sorted(EXPECTED_OFFERS)


@pytest.mark.parametrize("offer_id", sorted(EXPECTED_OFFERS))
def test_offer_fields(first: Built, offer_id: str) -> None:
    rows = first.rows(f"select * from capital.financing_offers where id = '{offer_id}'")
    assert len(rows) == 1
    expected = EXPECTED_OFFERS[offer_id]
    assert picked(rows[0], expected) == expected


def test_offer_batch_timestamps_are_this_build(first: Built) -> None:
    rows = first.rows("select * from capital.financing_offers")
    assert rows
    for row in rows:
        assert_written_by(first, row.get("batch_timestamp", MISSING))


# --------------------------------------------------------------------------- transactions


EXPECTED_TRANSACTIONS = {
    # later/ line 2 (written for this fixture): the payout of the waiting offer
    "cptxn_fixture_payout_1NAdVWJQ3aJgxqz5": {
        "id": "cptxn_fixture_payout_1NAdVWJQ3aJgxqz5",
        "account": "acct_1HLGiXJQ3aJgxqz5",
        "financing_offer": WAITING_OFFER,
        "currency": "usd",
        "transaction_type": "payout",
        "reason": None,  # a payout's reason may be null
        "effective_time": utc(1683115200),  # 1683115200 -> 2023-05-03 12:00:00 UTC
        "advance_amount": 100000,
        "fee_amount": 10000,
        "total_amount": 110000,
        "reversed_transaction": None,
        "linked_withholdable_object_id": None,  # null for payouts
        "linked_withholdable_object_type": None,
        "legacy_balance_transaction_source": "cptxnsrc_fixture_payout",
    },
    # first/ line 8 (reporting guide's paydown), waiting until its offer lands
    "cptxn_1NAdVWJQ3aJgxqz5FSScvJaF": {
        "id": "cptxn_1NAdVWJQ3aJgxqz5FSScvJaF",
        "account": "acct_1HLGiXJQ3aJgxqz5",
        "financing_offer": WAITING_OFFER,
        "currency": "usd",
        "transaction_type": "payment",
        "reason": "automatic_withholding",
        "description": "Paydown of your loan",  # user_facing_description
        "effective_time": utc(1684780258),  # 1684780258 -> 2023-05-22 18:30:58 UTC
        "advance_amount": 10000,
        "fee_amount": 1000,
        "total_amount": 11000,
        "reversed_transaction": None,  # absent from details
        "linked_withholdable_object_id": "ch_1HoZftJQ3aJgxqz50EbvL8zU",  # details.linked_payment
        "linked_withholdable_object_type": "charge",  # from linked_payment
        "legacy_balance_transaction_source": None,  # absent
    },
}


def test_transaction_columns_have_the_sigma_names_and_types(first: Built) -> None:
    types = first.column_types("capital", "connected_account_financing_transactions")
    assert {c: types.get(c, MISSING) for c in TRANSACTION_COLUMNS} == TRANSACTION_COLUMNS


def test_no_transaction_before_its_offer_lands(first: Built) -> None:
    # the only documented transaction names an offer no documented object is: it waits
    assert first.rows("select * from capital.connected_account_financing_transactions") == []


# --------------------------------------------------------------------------- balances



def expected_balances() -> list[dict[str, Any]]:
    """Payout 100000 + 10000 on 2023-05-03, paydown 10000 + 1000 on 2023-05-22, no repayment
    interval, not repaid by the as-of date: one row a day from 2023-05-03 to 2023-09-30
    (151 days), 100000 / 10000 for 2023-05-03..21 (19 days), then 90000 / 9000 (132 days)."""
    rows = []
    day = date(2023, 5, 3)
    while day <= date(2023, 9, 30):
        repaid = day >= date(2023, 5, 22)  # end of day, after the paydown at 18:30:58 UTC
        rows.append(
            {
                "account_id": "acct_1HLGiXJQ3aJgxqz5",
                "account": "acct_1HLGiXJQ3aJgxqz5",
                "financing_offer": WAITING_OFFER,
                "currency": "usd",  # the accepted currency
                "effective_date_utc": day,
                "principal_outstanding_amount": 90000 if repaid else 100000,  # 100000 - 10000
                "premium_outstanding_amount": 9000 if repaid else 10000,  # 10000 - 1000
                "overdue_payment_amount": 0,  # no repayment interval
                "pending_payment_amount": 0,
            }
        )
        day += timedelta(days=1)
    return rows


def balance_rows(built: Built) -> list[dict[str, Any]]:
    rows = built.rows("select * from capital.financing_balances order by financing_offer, effective_date_utc")
    expected_keys = expected_balances()[0].keys()
    out = []
    for row in rows:
        picked_row = picked(row, dict.fromkeys(expected_keys))
        effective = picked_row["effective_date_utc"]
        if isinstance(effective, datetime):  # Sigma's midnight UTC timestamp of the date
            picked_row["effective_date_utc"] = effective.astimezone(UTC).date()
        out.append(picked_row)
    return out


def test_balance_columns_have_the_sigma_names_and_types(first: Built) -> None:
    types = first.column_types("capital", "financing_balances")
    assert {c: types.get(c, MISSING) for c in BALANCE_COLUMNS} == BALANCE_COLUMNS
    assert types.get("effective_date_utc") in ("DATE", TZ)


def test_no_balance_before_a_payout(first: Built) -> None:
    assert first.rows("select * from capital.financing_balances") == []


# --------------------------------------------------------------------------- rejected rows


def rejected(built: Built) -> dict[str | None, dict[str, Any]]:
    rows = built.rows("select source_file, row_number, reason, raw_record from audit.rejected_rows")
    by_event = {event_id(r["raw_record"]): r for r in rows}
    assert len(by_event) == len(rows), rows  # one listing per rejected line
    return by_event


def test_rejected_rows_are_only_what_the_contract_rejects(first: Built) -> None:
    # nullable and missing fields, the float and the unknown extra fields (api_version,
    # replacement_type), the summary event of another type: none rejected
    by_event = rejected(first)
    assert set(by_event) == {"evt_docs_06_refill_accepted_verbatim", "evt_docs_08_paydown"}

    # line 6: the refill guide's placeholder times, 123456789 -> 1973-11-29 21:33:09 UTC, are
    # outside the contract's 2000-01-01..2100-01-01
    refill = by_event["evt_docs_06_refill_accepted_verbatim"]
    assert refill["source_file"].endswith(FIRST_FILE)
    assert refill["row_number"] == 6
    assert "123456789" in refill["reason"] or "2000-01-01" in refill["reason"], refill["reason"]

    # line 8: the paydown waits for its offer, and the reason names it
    paydown = by_event["evt_docs_08_paydown"]
    assert paydown["source_file"].endswith(FIRST_FILE)
    assert paydown["row_number"] == 8
    assert WAITING_OFFER in paydown["reason"], paydown["reason"]


# --------------------------------------------------------------------------- the later file


def test_the_later_file_builds(later: Built) -> None:
    assert_built(later)


def test_later_offer_fields(later: Built) -> None:
    ids = [r["id"] for r in later.rows("select id from capital.financing_offers order by id")]
    assert ids == sorted([*EXPECTED_OFFERS, WAITING_OFFER])
    rows = later.rows(f"select * from capital.financing_offers where id = '{WAITING_OFFER}'")
    assert len(rows) == 1
    assert picked(rows[0], EXPECTED_LATER_OFFER) == EXPECTED_LATER_OFFER
    assert_written_by(later, rows[0].get("batch_timestamp", MISSING))


@pytest.mark.parametrize("offer_id", sorted(EXPECTED_OFFERS))
def test_later_build_leaves_the_other_offers_as_they_were(first: Built, later: Built, offer_id: str) -> None:
    sql = f"select * from capital.financing_offers where id = '{offer_id}'"
    expected = {**EXPECTED_OFFERS[offer_id], "batch_timestamp": None}
    before_rows, after_rows = first.rows(sql), later.rows(sql)
    assert len(before_rows) == len(after_rows) == 1
    before, after = picked(before_rows[0], expected), picked(after_rows[0], expected)
    assert after == before  # unchanged row, unchanged batch_timestamp
    del after["batch_timestamp"]
    assert after == EXPECTED_OFFERS[offer_id]


def test_waiting_transaction_is_taken_in_once_its_offer_lands(later: Built) -> None:
    rows = later.rows("select * from capital.connected_account_financing_transactions order by id")
    assert [r["id"] for r in rows] == sorted(EXPECTED_TRANSACTIONS)
    for row in rows:
        expected = EXPECTED_TRANSACTIONS[row["id"]]
        assert picked(row, expected) == expected
        assert_written_by(later, row.get("batch_timestamp", MISSING))
    payout = next(r for r in rows if r["transaction_type"] == "payout")
    # no user_facing_description: the warehouse's own one-line description
    assert isinstance(payout["description"], str)
    assert payout["description"].strip()


def test_balances_once_the_financing_is_known(later: Built) -> None:
    assert balance_rows(later) == expected_balances()
    ids = [r["id"] for r in later.rows("select id from capital.financing_balances")]
    assert len(set(ids)) == len(ids) == 151
    assert all(ids)


def test_listing_goes_once_the_offer_lands(later: Built) -> None:
    # the paydown's listing is gone; the verbatim refill line stays rejected
    by_event = rejected(later)
    assert set(by_event) == {"evt_docs_06_refill_accepted_verbatim"}
