"""Contract-breaking rows land in `audit.rejected_rows` with their reason, and nowhere else;
files that are not of their format are refused whole and leave the warehouse as it was."""

from __future__ import annotations

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

    # ... and nowhere else: only the good rows reach staging
    kept = {
        ("stg_club_payments__collections", "collection_id"): ["c1"],
        ("stg_club_payments__rates", "rate_id"): ["r1"],
        ("stg_club_payments__participants", "participant_id"): ["p1"],
        ("stg_club_payments__transactions", "transaction_id"): ["t1"],
        ("stg_club_payments__transfers", "transfer_id"): ["tr1"],
        ("stg_stripe_capital__financing_offers", "financing_offer_id"): [
            "financingoffer_1",
            "financingoffer_2",
        ],
    }
    for (model, column), keys in kept.items():
        assert [k for (k,) in warehouse.query(f"select {column} from staging.{model} order by 1")] == keys


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
