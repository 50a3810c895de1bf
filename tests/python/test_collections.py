"""The club collections marts end to end, through the real commands, on hand-written files that
break the contract's rules between rows: a participant whose rate belongs to another collection
(or does not exist), transactions with no participant, a participant claimed by two payers."""

from __future__ import annotations

import json

import pytest

from conftest import Warehouse, write

AS_OF = "2026-10-31"
# Only the collections' models and tests (and what they read): `cautious` keeps out the tests of
# other areas that merely share a staging parent with them. audit.rejected_rows also lists the
# financing transactions waiting for their offer, and club_collections_monthly names the clubs:
# intermediate capital models, with their parents.
SELECT = (
    "--select",
    "staging",
    "intermediate.collections",
    "+int_financing_transactions_waiting",
    "+marts.collections",
    "audit",
    "tests/dbt/collections",
)

PARTICIPANT_COLUMNS = (
    "participant_id,collection_id,rate_id,first_name,last_name,email,is_guest,has_parent_account,"
    "member_id,form_first_viewed_at,form_completed_at,created_at,updated_at\n"
)
TRANSACTION_COLUMNS = (
    "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
    "installment_number,installment_count,updated_at\n"
)
T = "2026-03-01T10:00:00+01:00"

FILES = {
    "collections.csv": (
        "collection_id,account_id,name,kind,fee_model,commission_rate,currency,opened_at,closes_at\n"
        "c_members,acct_A,Adhésions 2026,membership,tip,,eur,2026-01-01T00:00:00Z,\n"
        "c_commission,acct_A,Stage de printemps,activity_registration,club_commission,0.013,eur,"
        "2026-01-01T00:00:00Z,2026-06-30T00:00:00Z\n"
    ),
    "rates.csv": (
        "rate_id,collection_id,label,amount\n"
        "r_adult,c_members,Adultes,10000\n"
        "r_child,c_members,Enfants,5000\n"
        "r_stage,c_commission,Stage,10000\n"
    ),
    "participants.csv": PARTICIPANT_COLUMNS
    + (
        f"p_nicolas,c_members,r_adult,Nicolas,Potier,nicolas@example.fr,false,false,204518,{T},{T},{T},{T}\n"
        f"p_enzo,c_members,r_child,Enzo,Potier,,false,true,204519,{T},,{T},{T}\n"
        # the rate of another collection: rejected
        f"p_lea,c_members,r_stage,Léa,Martin,lea@example.fr,false,false,,,,{T},{T}\n"
        # a rate that does not exist: rejected
        f"p_hugo,c_members,r_ghost,Hugo,Bernard,hugo@example.fr,false,false,,,,{T},{T}\n"
        f"p_tom,c_members,r_child,Tom,Moreau,tom@example.fr,false,false,,,,{T},{T}\n"
        # no email, neither a guest nor a parent account: a finding; claimed by two payers
        f"p_jade,c_members,r_child,Jade,Moreau,,false,false,,,,{T},{T}\n"
        f"p_sophie,c_commission,r_stage,Sophie,Lemaire,sophie@example.fr,false,false,318842,{T},{T},{T},{T}\n"
        f"p_max,c_members,r_adult,Max,Petit,,true,false,,,,{T},{T}\n"
    ),
    "payers.csv": (
        "payer_id,collection_id,first_name,last_name,email,created_at\n"
        f"py_potier,c_members,Nicolas,Potier,nicolas@example.fr,{T}\n"
        f"py_moreau,c_members,Anne,Moreau,anne@example.fr,{T}\n"
        f"py_martin,c_members,Paul,Martin,paul@example.fr,{T}\n"
        f"py_sophie,c_commission,Sophie,Lemaire,sophie@example.fr,{T}\n"
        f"py_ghost,c_members,Pierre,Durand,pierre@example.fr,{T}\n"
    ),
    "transactions.csv": TRANSACTION_COLUMNS
    + (
        # the brief: 15000 due, 3 instalments of 5000, two paid
        "t_potier_1,c_members,py_potier,5000,0,paid,2026-03-01,2026-03-01T10:00:00Z,,1,3,"
        "2026-03-01T10:00:00Z\n"
        "t_potier_2,c_members,py_potier,5000,0,paid,2026-03-31,2026-03-31T10:00:00Z,,2,3,"
        "2026-03-31T10:00:00Z\n"
        "t_potier_3,c_members,py_potier,5000,0,upcoming,2026-11-27,,,3,3,2026-03-01T10:00:00Z\n"
        # Jade is named by Moreau's transaction and by Martin's earlier one: she stays Martin's
        "t_moreau_1,c_members,py_moreau,10000,200,paid,2026-03-10,2026-03-10T10:00:00Z,,1,1,"
        "2026-03-10T10:00:00Z\n"
        "t_martin_1,c_members,py_martin,5000,0,paid,2026-03-05,2026-03-05T10:00:00Z,,1,1,"
        "2026-03-05T10:00:00Z\n"
        # the brief: 10000 under the 1.3 % club commission (an empty tip is 0)
        "t_sophie,c_commission,py_sophie,10000,,paid,2026-03-02,2026-03-02T10:00:00Z,,1,1,"
        "2026-03-02T10:00:00Z\n"
        # its only participant is rejected: no participant
        "t_ghost_lea,c_members,py_ghost,10000,0,paid,2026-03-03,2026-03-03T10:00:00Z,,1,1,"
        "2026-03-03T10:00:00Z\n"
        # no link row at all: no participant
        "t_ghost_alone,c_members,py_ghost,3000,0,failed,2026-03-04,,2026-03-04T10:00:00Z,1,1,"
        "2026-03-04T10:00:00Z\n"
        # a payer nobody landed: rejected, and its link row with it (Max stays unpaid)
        "t_unknown_payer,c_members,py_unknown,10000,0,paid,2026-03-06,2026-03-06T10:00:00Z,,1,1,"
        "2026-03-06T10:00:00Z\n"
        # rejected by the base model (not an integer): its link row names an unknown transaction
        "t_bad_amount,c_members,py_potier,12.5,0,paid,2026-03-07,2026-03-07T10:00:00Z,,1,1,"
        "2026-03-07T10:00:00Z\n"
        # updated after the as-of date: not known yet, nor is its link row (no rejection)
        "t_future,c_members,py_potier,10000,0,paid,2026-11-15,2026-11-15T10:00:00Z,,1,1,"
        "2026-11-15T10:00:00Z\n"
    ),
    "transaction_participants.csv": (
        "transaction_id,participant_id\n"
        "t_potier_1,p_nicolas\nt_potier_1,p_enzo\n"
        "t_potier_2,p_nicolas\nt_potier_2,p_enzo\n"
        "t_potier_3,p_nicolas\nt_potier_3,p_enzo\n"
        "t_moreau_1,p_tom\nt_moreau_1,p_jade\n"
        "t_martin_1,p_jade\n"
        "t_sophie,p_sophie\nt_sophie,p_nobody\n"
        "t_ghost_lea,p_lea\n"
        "t_unknown_payer,p_max\n"
        "t_bad_amount,p_max\n"
        "t_future,p_max\n"
    ),
    "transfers.csv": (
        "transfer_id,account_id,amount,currency,status,sent_at,delivered_at,updated_at\n"
        "tr_1,acct_A,14870,eur,sent,2026-03-06T09:00:00Z,,2026-03-06T09:00:00Z\n"
        "tr_1,acct_A,14870,eur,delivered,2026-03-06T09:00:00Z,2026-03-08T11:30:00Z,2026-03-08T11:30:00Z\n"
        "tr_2,acct_A,15000,eur,sent,2026-03-13T09:00:00Z,,2026-03-13T09:00:00Z\n"
    ),
}

OTHER_COLLECTION = (
    "rate_id 'r_stage' belongs to collection 'c_commission', not to the participant's collection 'c_members'"
)
NO_PARTICIPANT = (
    "no participant: no transaction_participants row names an existing, non-rejected participant "
    "of its collection"
)
UNKNOWN = "is unknown (not landed, or its row was rejected)"
UNKNOWN_PAYER = f"payer_id 'py_unknown' {UNKNOWN}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    tmp = tmp_path_factory.mktemp("collections")
    landing = tmp / "landing"
    for name, text in FILES.items():
        write(landing, name, text)
    warehouse = Warehouse(tmp / "warehouse.duckdb")
    warehouse.run("land", str(landing))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_INDIRECT_SELECTION", "cautious")
        warehouse.run("build", "--as-of", AS_OF, *SELECT)
    return warehouse


def test_breaches_between_rows_are_rejected_with_their_reason(built: Warehouse) -> None:
    rejected = built.query(
        "select source_table, source_file, reason from audit.rejected_rows "
        "where rejected_by = 'contract' order by all"
    )
    assert rejected == sorted(
        [
            ("participants", "participants.csv", OTHER_COLLECTION),
            ("participants", "participants.csv", f"rate_id 'r_ghost' {UNKNOWN}"),
            ("transactions", "transactions.csv", "amount '12.5' is not an integer amount in minor units"),
            ("transactions", "transactions.csv", NO_PARTICIPANT),
            ("transactions", "transactions.csv", NO_PARTICIPANT),
            ("transactions", "transactions.csv", UNKNOWN_PAYER),
            (
                "transaction_participants",
                "transaction_participants.csv",
                f"participant_id 'p_lea' is rejected: {OTHER_COLLECTION}",
            ),
            (
                "transaction_participants",
                "transaction_participants.csv",
                f"participant_id 'p_nobody' {UNKNOWN}",
            ),
            (
                "transaction_participants",
                "transaction_participants.csv",
                f"transaction_id 't_bad_amount' {UNKNOWN}",
            ),
            (
                "transaction_participants",
                "transaction_participants.csv",
                f"transaction_id 't_unknown_payer' is rejected: {UNKNOWN_PAYER}",
            ),
        ]
    )
    # the landed row is kept whole, and named by its position in the file
    record, row_number = built.query(
        f"select raw_record, row_number from audit.rejected_rows where reason = '{NO_PARTICIPANT}' "
        "and raw_record like '%t_ghost_alone%'"
    )[0]
    assert json.loads(record)["transaction_id"] == "t_ghost_alone"
    assert json.loads(record)["status"] == "failed"
    assert row_number == 8
    assert json.loads(
        built.scalar(f"select raw_record from audit.rejected_rows where reason = $${OTHER_COLLECTION}$$")
    ) == {
        "participant_id": "p_lea",
        "collection_id": "c_members",
        "rate_id": "r_stage",
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea@example.fr",
        "is_guest": "false",
        "has_parent_account": "false",
        "member_id": None,
        "form_first_viewed_at": None,
        "form_completed_at": None,
        "created_at": T,
        "updated_at": T,
    }


def test_rejected_rows_reach_no_mart(built: Warehouse) -> None:
    assert [p for (p,) in built.query("select participant_id from collections.participants order by 1")] == [
        "p_enzo",
        "p_jade",
        "p_max",
        "p_nicolas",
        "p_sophie",
        "p_tom",
    ]
    assert [t for (t,) in built.query("select transaction_id from collections.transactions order by 1")] == [
        "t_martin_1",
        "t_moreau_1",
        "t_potier_1",
        "t_potier_2",
        "t_potier_3",
        "t_sophie",
    ]


def test_transaction_figures(built: Warehouse) -> None:
    transactions = built.query(
        "select transaction_id, status, amount, fee_amount, collected_amount, tip_amount, currency, "
        "installment_number, installment_count, participant_count, participant_ids "
        "from collections.transactions order by 1"
    )
    assert transactions == [
        ("t_martin_1", "paid", 5000, 0, 5000, 0, "eur", 1, 1, 1, ["p_jade"]),
        # Jade is listed (the transaction names her), though she is in Martin's cart
        ("t_moreau_1", "paid", 10000, 0, 10000, 200, "eur", 1, 1, 2, ["p_jade", "p_tom"]),
        ("t_potier_1", "paid", 5000, 0, 5000, 0, "eur", 1, 3, 2, ["p_enzo", "p_nicolas"]),
        ("t_potier_2", "paid", 5000, 0, 5000, 0, "eur", 2, 3, 2, ["p_enzo", "p_nicolas"]),
        ("t_potier_3", "upcoming", 5000, 0, 5000, 0, "eur", 3, 3, 2, ["p_enzo", "p_nicolas"]),
        # 10000 x 0.013 = 130; the link naming the unknown p_nobody does not count
        ("t_sophie", "paid", 10000, 130, 9870, 0, "eur", 1, 1, 1, ["p_sophie"]),
    ]


def test_a_participant_claimed_by_two_payers_keeps_the_earliest_and_is_a_finding(built: Warehouse) -> None:
    findings = built.query(
        "select finding_kind, participant_id, payer_id, other_payer_id, transaction_id, detail "
        "from audit.collection_findings order by all"
    )
    assert findings == [
        (
            "missing_required_email",
            "p_jade",
            "py_martin",
            None,
            None,
            "participant 'p_jade' (Jade Moreau) has no email, and is neither a guest nor has a parent "
            "account",
        ),
        (
            "participant_claimed_by_two_payers",
            "p_jade",
            "py_martin",
            "py_moreau",
            "t_moreau_1",
            "participant 'p_jade' is named by transactions of payers 'py_martin' (from transaction "
            "'t_martin_1') and 'py_moreau' (from transaction 't_moreau_1', 1 transaction(s)); it stays "
            "in the cart of payer 'py_martin', the payer of its earliest transaction",
        ),
    ]


def test_payer_figures(built: Warehouse) -> None:
    payers = built.query(
        "select payer_id, payer_status, participant_count, amount_due, amount_paid, amount_collected, "
        "fee_amount, tip_amount, amount_scheduled, amount_failed, currency "
        "from collections.payers order by payer_id"
    )
    assert payers == [
        # Jade only (Martin's transaction is earlier than Moreau's)
        ("py_martin", "paid", 1, 5000, 5000, 5000, 0, 0, 0, 0, "eur"),
        # Tom only: Jade went to Martin; Moreau's 10000 still counts for Moreau
        ("py_moreau", "paid", 1, 5000, 10000, 10000, 0, 200, 0, 0, "eur"),
        # the brief: 10000 + 5000 due, two instalments of 5000 paid, one upcoming
        ("py_potier", "upcoming", 2, 15000, 10000, 10000, 0, 0, 5000, 0, "eur"),
        # the brief: 10000 paid, 1.3 % fee = 130, the club receives 9870
        ("py_sophie", "paid", 1, 10000, 10000, 9870, 130, 0, 0, 0, "eur"),
    ]


def test_participant_statuses(built: Warehouse) -> None:
    participants = built.query(
        "select participant_id, payer_id, amount_due, participant_status, form_status, "
        "form_status_colour, is_missing_required_email from collections.participants order by 1"
    )
    assert participants == [
        ("p_enzo", "py_potier", 5000, "upcoming", "incomplete", "red", False),
        ("p_jade", "py_martin", 5000, "paid", "empty", "grey", True),
        # named only by rejected or not-yet-known transactions
        ("p_max", None, 10000, "unpaid", "empty", "grey", False),
        ("p_nicolas", "py_potier", 10000, "upcoming", "complete", "green", False),
        ("p_sophie", "py_sophie", 10000, "paid", "complete", "green", False),
        ("p_tom", "py_moreau", 5000, "paid", "empty", "grey", False),
    ]


def test_collection_summary_and_transfers(built: Warehouse) -> None:
    summary = built.query(
        "select collection_id, participants, participants_paid, participants_upcoming, participants_unpaid, "
        "amount_due, amount_paid, amount_collected, fee_amount, tip_amount, amount_scheduled, "
        "club_amount_transferred, club_amount_delivered, club_amount_in_transit "
        "from collections.collection_summary order by 1"
    )
    assert summary == [
        ("c_commission", 1, 1, 0, 0, 10000, 10000, 9870, 130, 0, 0, 29870, 14870, 15000),
        ("c_members", 5, 2, 2, 1, 35000, 25000, 25000, 0, 200, 5000, 29870, 14870, 15000),
    ]
    transfers = built.query(
        "select transfer_id, status, delivery_seconds, delivery_hours::varchar "
        "from collections.transfers order by 1"
    )
    assert transfers == [("tr_1", "delivered", 181800, "50.50"), ("tr_2", "sent", None, None)]
