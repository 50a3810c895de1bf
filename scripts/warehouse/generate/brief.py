"""The product brief's two worked examples, with fixed ids so that they can be queried.

- Nicolas Potier pays, in a `tip` membership collection, for himself (rate "Adultes",
  100.00) and his child Enzo (rate "Enfants", 50.00) in 3 instalments of 50.00: two
  paid, the third upcoming after the end of the history.
- Sophie pays 100.00 in one transaction in a `club_commission` collection at 1.3 %.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from warehouse.generate.clubs import Club, ClubWriter, Collection
from warehouse.generate.common import DAY, HOUR, date_of, iso, ts_of


def brief_examples(writer: ClubWriter, club: Club) -> None:
    """Append both examples to the club's collections (account 0)."""
    win, style = writer.win, club.style
    opened, closes = win.end_ts - 120 * DAY, win.end_ts + 120 * DAY
    for coll_id, name, model, rate in (
        ("collection_brief_membership", "Adhésion saison brief (tarifs Adultes, Enfants)", "tip", None),
        (
            "collection_brief_commission",
            "Adhésion saison brief (commission club)",
            "club_commission",
            "0.013",
        ),
    ):
        writer.collections.append(
            [
                coll_id,
                club.account.id,
                name,
                "membership",
                model,
                rate,
                club.account.currency,
                iso(opened, style),
                iso(closes, style),
            ]
        )
    _potier(writer, club, opened)
    _sophie(writer, club, opened)


def _potier(writer: ClubWriter, club: Club, opened: int) -> None:
    coll = Collection("collection_brief_membership", "tip", None, opened, opened + 240 * DAY)
    style = club.style
    created = ts_of(writer.win.end - dt.timedelta(days=50)) + 18 * HOUR
    writer.rates.append(["rate_brief_adultes", coll.id, "Adultes", "10000"])
    writer.rates.append(["rate_brief_enfants", coll.id, "Enfants", "5000"])
    times = [
        iso(created + 600, style),
        iso(created + 1500, style),
        iso(created, style),
        iso(created + 1500, style),
    ]
    writer.participants.append(
        [
            "participant_brief_nicolas",
            coll.id,
            "rate_brief_adultes",
            "Nicolas",
            "Potier",
            "nicolas.potier@example.fr",
            "false",
            "false",
            "204518",
            *times,
        ]
    )
    writer.participants.append(
        [
            "participant_brief_enzo",
            coll.id,
            "rate_brief_enfants",
            "Enzo",
            "Potier",
            None,
            "false",
            "true",
            "204519",
            *times,
        ]
    )
    writer.payers.append(
        ["payer_brief_potier", coll.id, "Nicolas", "Potier", "nicolas.potier@example.fr", iso(created, style)]
    )
    first_day = date_of(created)
    for k in range(3):
        scheduled = first_day + dt.timedelta(days=30 * k)
        status = "upcoming" if scheduled > writer.win.end else "paid"
        writer.transaction(
            club,
            coll,
            f"transaction_brief_potier_{k + 1}",
            "payer_brief_potier",
            ["participant_brief_nicolas", "participant_brief_enzo"],
            5000,
            scheduled,
            (k + 1, 3),
            created,
            created + 1800 if k == 0 else None,
            status,
            "0",
        )


def _sophie(writer: ClubWriter, club: Club, opened: int) -> None:
    coll = Collection(
        "collection_brief_commission", "club_commission", Fraction("0.013"), opened, opened + 240 * DAY
    )
    style = club.style
    created = ts_of(writer.win.end - dt.timedelta(days=30)) + 9 * HOUR
    writer.rates.append(["rate_brief_sophie", coll.id, "Adhésion", "10000"])
    times = [
        iso(created + 60, style),
        iso(created + 900, style),
        iso(created, style),
        iso(created + 900, style),
    ]
    writer.participants.append(
        [
            "participant_brief_sophie",
            coll.id,
            "rate_brief_sophie",
            "Sophie",
            "Lemaire",
            "sophie.lemaire@example.fr",
            "false",
            "false",
            "318842",
            *times,
        ]
    )
    writer.payers.append(
        ["payer_brief_sophie", coll.id, "Sophie", "Lemaire", "sophie.lemaire@example.fr", iso(created, style)]
    )
    writer.transaction(
        club,
        coll,
        "transaction_brief_sophie",
        "payer_brief_sophie",
        ["participant_brief_sophie"],
        10000,
        date_of(created),
        (1, 1),
        created,
        created + 1200,
        "paid",
        None,
    )
