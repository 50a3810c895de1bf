"""Contract-breaking rows land in `audit.rejected_rows` with their reason, and nowhere else;
files that are not of their format are refused whole and leave the warehouse as it was."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from conftest import Warehouse, write
from events import T0, event, lifecycle_events, offer

COLLECTION_KINDS = "membership, activity_registration, equipment_preorder, donation"
OFFER_STATUSES = (
    "undelivered, delivered, accepted, paid_out, fully_repaid, rejected, canceled, expired, replaced, "
    "completed"
)
ISO = "is not an ISO 8601 timestamp with an offset"

BAD_FILES = {
    "collections.csv": (
        "collection_id,account_id,name,kind,fee_model,commission_rate,currency,opened_at,closes_at\n"
        "c1,acct_A,Adhésions,membership,tip,,eur,2026-01-01T00:00:00Z,\n"
        "c2,acct_A,Cricket,cricket,tip,,eur,2026-01-01T00:00:00Z,\n"
        "c3,acct_A,Stage,activity_registration,club_commission,,eur,2026-01-01T00:00:00Z,\n"
        ",acct_A,Sans clé,donation,tip,,eur,2026-01-01T00:00:00Z,\n"
    ),
    "rates.csv": (
        "rate_id,collection_id,label,amount\n"
        "r1,c1,Adultes,10000\n"
        "r2,c1,Remise,-500\n"
        "r3,c1,Enfants,abc\n"
        "r4,c1,Trop,1,extra\n"
    ),
    "participants.csv": (
        "participant_id,collection_id,rate_id,first_name,last_name,email,is_guest,has_parent_account,"
        "member_id,form_first_viewed_at,form_completed_at,created_at,updated_at\n"
        "p1,c1,r1,Nicolas,Potier,n@example.fr,false,false,m1,,,2026-01-02T10:00:00+01:00,"
        "2026-01-02T10:00:00+01:00\n"
        "p2,c1,r1,Enzo,,,false,true,,,,2026-01-02T10:00:00+01:00,2026-01-02T10:00:00+01:00\n"
        "p3,c1,r1,Léa,Martin,l@example.fr,false,false,,,,yesterday,2026-01-02T10:00:00+01:00\n"
    ),
    "transactions.csv": (
        "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
        "installment_number,installment_count,updated_at\n"
        "t1,c1,py1,5000,0,paid,2026-01-02,2026-01-02T10:00:00Z,,1,3,2026-01-02T10:00:00Z\n"
        "t2,c1,py1,5000,0,refunded,2026-02-02,,,2,3,2026-02-02T10:00:00Z\n"
        "t3,c1,py1,12.5,0,upcoming,2026-03-02,,,3,3,2026-01-02T10:00:00Z\n"
    ),
    "transfers.csv": (
        "transfer_id,account_id,amount,currency,status,sent_at,delivered_at,updated_at\n"
        "tr1,acct_A,5000,eur,sent,2026-01-05T09:00:00Z,,2026-01-05T09:00:00Z\n"
        "tr2,acct_A,5000,eur,sent,31/12/2026,,2026-01-05T09:00:00Z\n"
    ),
}


def _bad_events() -> list[str]:
    return [
        *lifecycle_events(),
        "not json",
        event("evt_bad1", "capital.financing_offer.created", T0 + 10, offer("financingoffer_9", "approved")),
    ]


def test_each_broken_row_is_rejected_with_its_reason_and_nowhere_else(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    for name, text in BAD_FILES.items():
        write(landing, name, text)
    write(landing, "capital_events.ndjson", "\n".join(_bad_events()) + "\n")
    warehouse.run("land", str(landing))
    warehouse.run("build", "--as-of", "2026-10-31")

    rejected = warehouse.query(
        "select source_file, rejected_by, reason from audit.rejected_rows order by all"
    )
    assert rejected == sorted(
        [
            ("capital_events.ndjson", "contract", "not a JSON object"),
            (
                "capital_events.ndjson",
                "contract",
                f"unknown data.object.status 'approved' (expected one of {OFFER_STATUSES})",
            ),
            ("collections.csv", "contract", "missing collection_id"),
            ("collections.csv", "contract", f"unknown kind 'cricket' (expected one of {COLLECTION_KINDS})"),
            ("collections.csv", "contract", "missing commission_rate (required for club_commission)"),
            ("participants.csv", "contract", "missing last_name"),
            ("participants.csv", "contract", f"created_at 'yesterday' {ISO}"),
            ("rates.csv", "contract", "negative amount -500"),
            ("rates.csv", "contract", "amount 'abc' is not an integer amount in minor units"),
            ("rates.csv", "reader", "malformed CSV row: Expected Number of Columns: 4 Found: 5"),
            (
                "transactions.csv",
                "contract",
                "unknown status 'refunded' (expected one of upcoming, failed, paid)",
            ),
            ("transactions.csv", "contract", "amount '12.5' is not an integer amount in minor units"),
            (
                "transactions.csv",
                "contract",
                "payer_id 'py1' is unknown (not landed, or its row was rejected)",
            ),
            ("transfers.csv", "contract", f"sent_at '31/12/2026' {ISO}"),
        ]
    )
    # the raw record is kept whole
    assert json.loads(
        warehouse.scalar("select raw_record from audit.rejected_rows where reason = 'negative amount -500'")
    ) == {"rate_id": "r2", "collection_id": "c1", "label": "Remise", "amount": "-500"}

    # ... and nowhere else: only the good rows reach staging (and the layer above it)
    kept = {
        ("staging.stg_club_payments__collections", "collection_id"): ["c1"],
        ("staging.stg_club_payments__rates", "rate_id"): ["r1"],
        ("staging.stg_club_payments__participants", "participant_id"): ["p1"],
        ("staging.stg_club_payments__transactions", "transaction_id"): ["t1"],
        ("staging.stg_club_payments__transfers", "transfer_id"): ["tr1"],
        ("intermediate.int_financing_offers_current", "financing_offer_id"): [
            "financingoffer_1",
            "financingoffer_2",
        ],
    }
    for (model, column), keys in kept.items():
        assert [k for (k,) in warehouse.query(f"select {column} from {model} order by 1")] == keys


def test_files_not_of_their_format_are_refused_and_change_nothing(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    good = tmp_path / "good"
    write(good, "rates.csv", "rate_id,collection_id,label,amount\nr1,c1,Adultes,10000\n")
    warehouse.run("land", str(good))
    before = warehouse.query("select * from raw.landed_files order by file_id")
    rates_before = warehouse.query("select * from raw.rates")

    cases = {
        "participants.csv": (
            '{"participant_id": "p1", "collection_id": "c1"}\n',
            "participants.csv: refused as a participants file: its header lacks the required columns "
            "participant_id, collection_id, rate_id, first_name, last_name, email, is_guest, "
            "has_parent_account, member_id, form_first_viewed_at, form_completed_at, created_at, updated_at.",
        ),
        "transfers.csv": (
            "transfer_id,account_id,amount,currency,sent_at,delivered_at,updated_at\n"
            "tr1,acct_A,5000,eur,2026-01-05T09:00:00Z,,2026-01-05T09:00:00Z\n",
            "transfers.csv: refused as a transfers file: its header lacks the required column status.",
        ),
        "capital_events_x.ndjson": (
            "id,type,created\nevt_1,account.updated,1767225600\n",
            "capital_events_x.ndjson: is not NDJSON: line 1 is not a JSON object.",
        ),
    }
    for name, (text, sentence) in cases.items():
        bad = tmp_path / name.split(".")[0]
        write(bad, name, text)
        result = warehouse.run("land", str(bad), check=False)
        assert result.returncode == 1
        assert result.stderr == f"error: {sentence}\n"

    assert warehouse.query("select * from raw.landed_files order by file_id") == before
    assert warehouse.query("select * from raw.rates") == rates_before
    assert warehouse.scalar("select count(*) from raw.participants") == 0


LIMIT_FILES = {
    "collections.csv": (
        "collection_id,account_id,name,kind,fee_model,commission_rate,currency,opened_at,closes_at\n"
        "c1,acct_A,Stage,activity_registration,club_commission,0.013,EUR,2026-01-01T00:00:00Z,\n"
        "c_xyz,acct_A,Adhésions,membership,tip,,xyz,2026-01-01T00:00:00Z,\n"
        "c_old,acct_A,Ancienne,membership,tip,,eur,1999-12-31T23:59:59Z,\n"
        # 23:00 at -01:00 is 2000-01-01 00:00 UTC: within the limits
        "c_y2k,acct_A,An 2000,membership,tip,,eur,1999-12-31T23:00:00-01:00,\n"
    ),
    "rates.csv": (
        "rate_id,collection_id,label,amount\n"
        "r1,c1,Stage,10000\n"
        "r_max,c1,Plafond,999999999999999\n"
        "r_big,c1,Trop,1000000000000000\n"
    ),
    "participants.csv": (
        "participant_id,collection_id,rate_id,first_name,last_name,email,is_guest,has_parent_account,"
        "member_id,form_first_viewed_at,form_completed_at,created_at,updated_at\n"
        "p1,c1,r1,Sophie,Lemaire,s@example.fr,false,false,,,,2026-03-01T10:00:00Z,2026-03-01T10:00:00Z\n"
        "p2,c1,r1,Léa,Martin,l@example.fr,false,false,,,,2026-03-01T10:00:00Z,2100-01-01T00:00:00Z\n"
    ),
    "payers.csv": (
        "payer_id,collection_id,first_name,last_name,email,created_at\n"
        "py1,c1,Sophie,Lemaire,s@example.fr,2026-03-01T10:00:00Z\n"
    ),
    "transactions.csv": (
        "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
        "installment_number,installment_count,updated_at\n"
        "t1,c1,py1,5000,0,paid,2026-03-01,2026-03-01T10:00:00Z,,1,1,2026-03-01T10:00:00Z\n"
        # a later version of t1 with an amount that used to fail the cast of the fee: rejected,
        # and t1 keeps its valid version
        "t1,c1,py1,1000000000000000000,0,paid,2026-03-01,2026-03-01T10:00:00Z,,1,1,2026-03-02T10:00:00Z\n"
        "t_tip,c1,py1,100,1000000000000000,paid,2026-03-01,2026-03-01T10:00:00Z,,1,1,2026-03-01T10:00:00Z\n"
        "t_late,c1,py1,100,0,upcoming,2100-01-01,,,1,1,2026-03-01T10:00:00Z\n"
    ),
    "transaction_participants.csv": "transaction_id,participant_id\nt1,p1\n",
    "transfers.csv": (
        "transfer_id,account_id,amount,currency,status,sent_at,delivered_at,updated_at\n"
        "tr1,acct_A,1000000000000000,eur,sent,2026-03-06T09:00:00Z,,2026-03-06T09:00:00Z\n"
        "tr2,acct_A,100,XYZ,sent,2026-03-06T09:00:00Z,,2026-03-06T09:00:00Z\n"
        "tr3,acct_A,100,Eur,sent,2026-03-06T09:00:00Z,,2026-03-06T09:00:00Z\n"
    ),
    "capital_eligibility.csv": (
        "as_of_date,account_id,is_eligible,estimated_advance_amount,currency\n"
        "2026-10-30,acct_A,true,1000000000000000,eur\n"
        "1970-01-01,acct_A,true,100,eur\n"
        "2026-10-30,acct_B,true,100,xyz\n"
    ),
    "capital_account_flags.csv": (
        "account_id,is_deny_listed,has_unsubscribed,updated_at\nacct_A,false,false,2100-06-01T00:00:00Z\n"
    ),
    "offer_email_events.csv": (
        "event_id,financing_offer,account_id,type,occurred_at\ne1,fo1,acct_A,sent,0001-01-01T00:00:00Z\n"
    ),
}
BALANCE_TRANSACTIONS = [
    {"id": "txn_ok", "amount": -500, "currency": "eur", "created": 1767225600},
    {"id": "txn_ms", "amount": -500, "currency": "eur", "created": 1767225600000},
    {"id": "txn_us", "amount": -500, "currency": "eur", "created": 1767225600000000},
    {"id": "txn_big", "amount": 10**18, "currency": "eur", "created": 1767225600},
    {"id": "txn_xyz", "amount": -500, "currency": "xyz", "created": 1767225600},
]
BETWEEN = "is not between 2000-01-01 and 2100-01-01"
NOT_ISO = "is not an ISO 4217 currency code"
NOT_SECONDS = "is not a unix time in seconds between 2000-01-01 and 2100-01-01"


def test_values_outside_the_contracts_limits_are_rejected_rows_not_a_failed_build(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    for name, text in LIMIT_FILES.items():
        write(landing, name, text)
    lines = [
        json.dumps({"type": "stripe_fee", "description": "Connect fee", **fields})
        for fields in BALANCE_TRANSACTIONS
    ]
    write(landing, "balance_transactions.ndjson", "\n".join(lines) + "\n")
    warehouse.run("land", str(landing))
    warehouse.run("build", "--as-of", "2026-10-31")

    assert warehouse.query("select source_file, reason from audit.rejected_rows order by all") == sorted(
        [
            ("balance_transactions.ndjson", "amount 1000000000000000000 is not below 10^15 minor units"),
            ("balance_transactions.ndjson", f"created 1767225600000 {NOT_SECONDS}"),
            ("balance_transactions.ndjson", f"created 1767225600000000 {NOT_SECONDS}"),
            ("balance_transactions.ndjson", f"currency 'xyz' {NOT_ISO}"),
            ("capital_account_flags.csv", f"updated_at '2100-06-01T00:00:00Z' {BETWEEN}"),
            ("capital_eligibility.csv", f"as_of_date '1970-01-01' {BETWEEN}"),
            ("capital_eligibility.csv", f"currency 'xyz' {NOT_ISO}"),
            (
                "capital_eligibility.csv",
                "estimated_advance_amount 1000000000000000 is not below 10^15 minor units",
            ),
            ("collections.csv", f"currency 'xyz' {NOT_ISO}"),
            ("collections.csv", f"opened_at '1999-12-31T23:59:59Z' {BETWEEN}"),
            ("offer_email_events.csv", f"occurred_at '0001-01-01T00:00:00Z' {BETWEEN}"),
            ("participants.csv", f"updated_at '2100-01-01T00:00:00Z' {BETWEEN}"),
            ("rates.csv", "amount 1000000000000000 is not below 10^15 minor units"),
            ("transactions.csv", "amount 1000000000000000000 is not below 10^15 minor units"),
            ("transactions.csv", "tip_amount 1000000000000000 is not below 10^15 minor units"),
            ("transactions.csv", f"scheduled_for '2100-01-01' {BETWEEN}"),
            ("transfers.csv", "amount 1000000000000000 is not below 10^15 minor units"),
            ("transfers.csv", f"currency 'XYZ' {NOT_ISO}"),
        ]
    )
    # the rows within the limits are built: the collection fee of t1's valid version
    assert warehouse.query(
        "select transaction_id, amount, fee_amount, collected_amount from collections.transactions"
    ) == [("t1", 5000, 65, 4935)]
    assert warehouse.query("select rate_id, amount from staging.stg_club_payments__rates order by 1") == [
        ("r1", 10000),
        ("r_max", 999999999999999),
    ]
    assert warehouse.query(
        "select collection_id, currency from staging.stg_club_payments__collections order by 1"
    ) == [
        ("c1", "eur"),
        ("c_y2k", "eur"),
    ]
    assert warehouse.query("select transfer_id, currency from staging.stg_club_payments__transfers") == [
        ("tr3", "eur")
    ]
    assert warehouse.query(
        "select balance_transaction_id, created_at from staging.stg_stripe_capital__balance_transactions"
    ) == [("txn_ok", dt.datetime(2026, 1, 1))]
