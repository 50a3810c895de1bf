"""A handful of rows that break the landing contract, one of each kind (`bad_rows=True`)."""

from __future__ import annotations

from warehouse.generate.accounts import Account
from warehouse.generate.common import DAY, Window, dumps, iso
from warehouse.generate.sink import Sink


def _append_breaches_between_rows(sink: Sink, win: Window, account: Account) -> None:
    """Rows valid alone that break the contract together (collections.md, "Breaches between rows")."""
    end, cur = win.end_ts, account.currency
    opened, created, paid = iso(end - 90 * DAY), iso(end - 10 * DAY), iso(end - 9 * DAY)
    other = "collection_bad_rows_other"
    sink.buffer("collections.csv").append(
        [other, account.id, "Autre collecte", "donation", "tip", None, cur, opened, None]
    )
    sink.buffer("rates.csv").append(["rate_bad_rows_other", other, "Don libre", "1000"])
    sink.buffer("participants.csv").append(
        # a rate that belongs to another collection
        [
            "participant_bad_foreign_rate",
            "collection_bad_rows_host",
            "rate_bad_rows_other",
            "Ada",
            "Lovelace",
            "ada@example.fr",
            "false",
            "false",
            "100003",
            None,
            None,
            created,
            created,
        ]
    )
    sink.buffer("payers.csv").append(
        [
            "payer_bad_second_payer",
            "collection_bad_rows_host",
            "Pierre",
            "Curie",
            "pierre@example.fr",
            created,
        ]
    )
    day = (win.end).isoformat()
    sink.buffer("transactions_part2.csv").extend(
        [
            # the host payer pays for the host participant ...
            [
                "transaction_bad_host_paid",
                "collection_bad_rows_host",
                "payer_bad_rows_host",
                "8000",
                "0",
                "paid",
                day,
                paid,
                None,
                "1",
                "1",
                paid,
            ],
            # ... and a second payer names the same participant later: a conflict
            [
                "transaction_bad_second_payer",
                "collection_bad_rows_host",
                "payer_bad_second_payer",
                "8000",
                "0",
                "paid",
                day,
                paid,
                None,
                "1",
                "1",
                iso(end - 8 * DAY),
            ],
            # a transaction no link row names: no participant
            [
                "transaction_bad_no_participant",
                "collection_bad_rows_host",
                "payer_bad_rows_host",
                "2500",
                "0",
                "paid",
                day,
                paid,
                None,
                "1",
                "1",
                paid,
            ],
        ]
    )
    sink.buffer("transaction_participants.csv").extend(
        [
            ["transaction_bad_host_paid", "participant_bad_rows_host"],
            ["transaction_bad_second_payer", "participant_bad_rows_host"],
        ]
    )


def append_bad_rows(sink: Sink, win: Window, account: Account) -> None:
    """Append the broken rows (around a valid host collection of `account`) to the buffers."""
    end, acct, cur = win.end_ts, account.id, account.currency
    opened, created = iso(end - 90 * DAY), iso(end - 10 * DAY)
    sink.buffer("collections.csv").extend(
        [
            [
                "collection_bad_rows_host",
                acct,
                "Hôte des lignes invalides",
                "membership",
                "tip",
                None,
                cur,
                opened,
                None,
            ],
            [
                "collection_bad_kind",
                acct,
                "Tournoi (genre inconnu)",
                "tournament",
                "tip",
                None,
                cur,
                opened,
                None,
            ],  # unknown kind
        ]
    )
    sink.buffer("rates.csv").extend(
        [
            ["rate_bad_rows_host", "collection_bad_rows_host", "Adultes", "8000"],
            ["rate_bad_negative", "collection_bad_rows_host", "Remboursement", "-500"],  # negative
        ]
    )
    person = ["collection_bad_rows_host", "rate_bad_rows_host"]
    sink.buffer("participants.csv").extend(
        [
            [
                "participant_bad_rows_host",
                *person,
                "Marie",
                "Curie",
                "marie.curie@example.fr",
                "false",
                "false",
                "100001",
                created,
                created,
                created,
                created,
            ],
            [
                "participant_bad_no_last_name",
                *person,
                "Prince",
                None,
                "prince@example.fr",
                "false",
                "false",
                "100002",
                None,
                None,
                created,
                created,
            ],  # missing last name
        ]
    )
    sink.buffer("payers.csv").append(
        [
            "payer_bad_rows_host",
            "collection_bad_rows_host",
            "Marie",
            "Curie",
            "marie.curie@example.fr",
            created,
        ]
    )
    sink.buffer("transactions_part2.csv").append(
        [
            "transaction_bad_amount",
            "collection_bad_rows_host",
            "payer_bad_rows_host",
            "12.5e",
            "0",
            "paid",
            win.end.isoformat(),
            created,
            None,
            "1",
            "1",
            created,
        ]
    )  # text for a number
    sink.buffer("transaction_participants.csv").append(
        ["transaction_bad_amount", "participant_bad_rows_host"]
    )
    _append_breaches_between_rows(sink, win, account)
    sink.buffer("transfers.csv").append(
        ["transfer_bad_sent_at", acct, "8000", cur, "sent", "31/02/2026 25:61", None, created]
    )
    events = sink.ndjson(f"capital_events_{win.months[-1]}.ndjson")
    offer = {
        "id": "financingoffer_bad_status",
        "object": "capital.financing_offer",
        "account": acct,
        "created": end - DAY,
        "expires_after": end + 29 * DAY,
        "status": "on_hold",  # unknown status
        "financing_type": "flex_loan",
        "product_type": "standard",
        "livemode": True,
        "metadata": {},
        "charged_off_at": None,
        "replacement": None,
        "replacement_for": None,
        "offered_terms": {
            "advance_amount": 500000,
            "fee_amount": 50000,
            "currency": cur,
            "withhold_rate": 0.1,
            "campaign_type": "newly_eligible_user",
            "previous_financing_fee_discount_rate": None,
            "repayment_interval_configuration": None,
        },
        "accepted_terms": None,
    }
    events.append(
        dumps(
            {
                "id": "evt_bad_unknown_status",
                "object": "event",
                "type": "capital.financing_offer.created",
                "created": end - DAY,
                "livemode": True,
                "data": {"object": offer},
            }
        )
    )
    events.append('{"id": "evt_bad_truncated", "object": "event", "type": "capital.financing_of')
