"""The Collections page: the platform's totals per month and club ("All clubs",
`platform_view`), and one club's collection ("One collection"): its totals (the row of
`collections.collection_summary`), participants, payers, transactions and the club's transfers.
Clubs go by their name (the provider's `account.updated`), their account ID beside it."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from warehouse.dashboard import platform_view
from warehouse.dashboard.common import (
    cards,
    day,
    frame,
    local_time,
    local_times,
    money,
    money_column,
    run_page,
    status_label,
    table,
    text,
    time_zone,
)
from warehouse.labels import NONE, missing, words

GREEN, BLUE, ORANGE, RED, GREY = "#1a7f37", "#0969da", "#9a6700", "#cf222e", "#6e7781"
STATUS = {  # participant / payer / transaction / transfer status -> (badge colour, text colour)
    "paid": ("green", GREEN),
    "upcoming": ("blue", BLUE),
    "in_progress": ("orange", ORANGE),
    "failed": ("red", RED),
    "unpaid": ("gray", GREY),
    "delivered": ("green", GREEN),
    "sent": ("blue", BLUE),
}
FORM = {"grey": GREY, "red": RED, "green": GREEN}  # form_status_colour -> text colour
COUNTS = [("Participants", "participants"), ("Participants paid", "participants_paid"), ("Payers", "payers")]
AMOUNTS = [
    ("Amount due", "amount_due"),
    ("Amount paid", "amount_paid"),
    ("Amount collected", "amount_collected"),
    ("Scheduled", "amount_scheduled"),
    ("Fees", "fee_amount"),
    ("Tips", "tip_amount"),
    ("Failed", "amount_failed"),
]
TAB_KEY, TABS = "collections_tab", ("All clubs", "One collection")


def render() -> None:
    st.title("Collections")
    run_page(_page)


def _page(con: duckdb.DuckDBPyConnection) -> None:
    platform_view.apply_drill_down(TAB_KEY, TABS[1])
    every, one = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
    with every:
        platform_view.render(con)
    with one:
        summary = _pick(con)
        if summary is not None:
            collection(con, summary)


def _colour(statuses: pd.Series) -> list[str]:
    return [STATUS.get(s, ("", GREY))[1] for s in statuses]


def _coloured(shown: pd.DataFrame, colours: dict[str, list[str]]) -> Styler:
    """The table with its status columns' text in their colours (the badges of a table)."""
    return shown.style.apply(
        lambda column: [f"color: {c}; font-weight: 600" for c in colours[column.name]],
        subset=list(colours),
    )


def _pick(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    clubs = frame(
        con,
        "select s.account_id, any_value(n.account_name) as account_name, "
        "count(distinct s.collection_id) as n "
        "from collections.collection_summary as s left join collections.club_collections_monthly as n "
        "on s.account_id = n.account_id group by s.account_id "
        "order by any_value(n.account_name) nulls last, s.account_id",
    )
    if clubs.empty:
        st.info("No collections yet.")
        return None
    names = {
        row.account_id: f"{NONE if missing(row.account_name) else row.account_name} · {row.account_id} "
        f"({row.n} collection{'' if row.n == 1 else 's'})"
        for row in clubs.itertuples()
    }
    if st.session_state.get("club") not in names:  # a club without collections (transfers only)
        st.session_state.pop("club", None)
    left, right = st.columns(2)
    club = left.selectbox("Club", list(names), key="club", format_func=names.get)
    collections = frame(
        con,
        "select collection_id, collection_name, kind from collections.collection_summary "
        "where account_id = ? order by opened_at, collection_id",
        [club],
    )
    labels = {
        row.collection_id: f"{row.collection_name} ({words(row.kind)})" for row in collections.itertuples()
    }
    chosen = right.selectbox("Collection", list(labels), key=f"collection_{club}", format_func=labels.get)
    summary = frame(con, "select * from collections.collection_summary where collection_id = ?", [chosen])
    return summary.iloc[0].to_dict()


def collection(con: duckdb.DuckDBPyConnection, summary: dict[str, Any]) -> None:
    tz_name, cur = time_zone(), summary["currency"]
    fee_model = words(summary["fee_model"])
    if summary["fee_model"] == "club_commission":
        fee_model += f" {float(summary['commission_rate']) * 100:.2f} %"
    st.subheader(summary["collection_name"])
    st.caption(
        f"`{summary['collection_id']}` · {words(summary['kind'])} · fee model {fee_model} · "
        f"{cur.upper()} · opened {local_time(summary['opened_at'], tz_name)}, "
        f"closes {local_time(summary['closes_at'], tz_name)}"
    )
    cards((label, str(int(summary[name] or 0)), None) for label, name in COUNTS)
    cards((label, money(summary[name], cur), None) for label, name in AMOUNTS)
    badges = " ".join(
        f":{STATUS[s][0]}-badge[{words(s)}: {int(summary[f'participants_{s}'] or 0)}]"
        for s in ("paid", "upcoming", "in_progress", "failed", "unpaid")
    )
    st.markdown(f"Participants {badges} · forms complete: {int(summary['participants_form_complete'] or 0)}")
    names = participants(con, summary["collection_id"])
    payers(con, summary["collection_id"], names)
    transactions(con, summary["collection_id"], tz_name, names)
    transfers(con, summary, tz_name)


def participants(con: duckdb.DuckDBPyConnection, collection_id: str) -> dict[str, str]:
    """The participants table; returns each payer's name, for the other tables."""
    rows = frame(
        con,
        "select participant_id, first_name, last_name, rate_label, amount_due, currency, "
        "participant_status, form_status, form_status_colour, email, is_missing_required_email, payer_id "
        "from collections.participants where collection_id = ? "
        "order by last_name, first_name, participant_id",
        [collection_id],
    )
    payer_names = frame(
        con,
        "select payer_id, first_name || ' ' || last_name as name "
        "from collections.payers where collection_id = ?",
        [collection_id],
    )
    names = dict(zip(payer_names["payer_id"], payer_names["name"], strict=True))
    st.markdown(f"**Participants** ({len(rows)})")
    shown = pd.DataFrame(
        {
            "participant": rows["first_name"] + " " + rows["last_name"],
            "amount_due": money_column(rows, "amount_due"),
            "status": [status_label(s) for s in rows["participant_status"]],
            "form": [status_label(s) for s in rows["form_status"]],
            "rate": text(rows["rate_label"]),
            "payer": [names.get(p, NONE) if isinstance(p, str) else NONE for p in rows["payer_id"]],
            "email": text(rows["email"]),
            "email_missing": ["yes" if m else "no" for m in rows["is_missing_required_email"]],
            "participant_id": rows["participant_id"],
        }
    )
    colours = {
        "status": _colour(rows["participant_status"]),
        "form": [FORM.get(c, GREY) for c in rows["form_status_colour"]],
    }
    table(_coloured(shown, colours))
    return names


def payers(con: duckdb.DuckDBPyConnection, collection_id: str, names: dict[str, str]) -> None:
    rows = frame(
        con,
        "select payer_id, payer_status, participant_count, amount_due, amount_paid, amount_collected, "
        "fee_amount, tip_amount, amount_scheduled, amount_failed, currency "
        "from collections.payers where collection_id = ? order by payer_id",
        [collection_id],
    )
    st.markdown(f"**Payers** ({len(rows)})")
    figures = ["due", "paid", "collected", "fee", "tip", "scheduled", "failed"]
    columns = ["amount_due", "amount_paid", "amount_collected", "fee_amount", "tip_amount"]
    columns += ["amount_scheduled", "amount_failed"]
    shown = pd.DataFrame(
        {
            "payer": [names.get(p, p) for p in rows["payer_id"]],
            "status": [status_label(s) for s in rows["payer_status"]],
            **{name: money_column(rows, column) for name, column in zip(figures, columns, strict=True)},
            "participants": rows["participant_count"],
            "payer_id": rows["payer_id"],
        }
    )
    table(_coloured(shown, {"status": _colour(rows["payer_status"])}))


def _instalment(number: Any, count: Any) -> str:
    if missing(number):
        return NONE
    return f"{int(number)} of {int(count)}" if not missing(count) else str(int(number))


def transactions(
    con: duckdb.DuckDBPyConnection, collection_id: str, tz_name: str, names: dict[str, str]
) -> None:
    rows = frame(
        con,
        "select transaction_id, payer_id, status, installment_number, installment_count, scheduled_for, "
        "paid_at, failed_at, amount, fee_amount, collected_amount, tip_amount, currency "
        "from collections.transactions where collection_id = ? "
        "order by payer_id, installment_number nulls last, scheduled_for, transaction_id",
        [collection_id],
    )
    st.markdown(f"**Transactions** ({len(rows)})")
    st.caption(
        "Fee, collected and tip are those of a paid transaction: an upcoming one will collect its "
        "amount less the fee once paid, a failed one collected nothing."
    )
    paid = rows["status"] == "paid"

    def when_paid(column: str) -> list[str]:
        return [
            money(v, c) if p else NONE for v, c, p in zip(rows[column], rows["currency"], paid, strict=True)
        ]

    shown = pd.DataFrame(
        {
            "payer": [names.get(p, p) for p in rows["payer_id"]],
            "status": [status_label(s) for s in rows["status"]],
            "amount": money_column(rows, "amount"),
            "collected": when_paid("collected_amount"),
            "fee": when_paid("fee_amount"),
            "tip": when_paid("tip_amount"),
            "instalment": [
                _instalment(n, c)
                for n, c in zip(rows["installment_number"], rows["installment_count"], strict=True)
            ],
            "scheduled_for": [day(d) for d in rows["scheduled_for"]],
            "paid_at": local_times(rows["paid_at"], tz_name),
            "failed_at": local_times(rows["failed_at"], tz_name),
            "transaction_id": rows["transaction_id"],
        }
    )
    table(
        _coloured(shown, {"status": _colour(rows["status"])}),
    )


def transfers(con: duckdb.DuckDBPyConnection, summary: dict[str, Any], tz_name: str) -> None:
    cur = summary["currency"]
    rows = frame(
        con,
        "select transfer_id, amount, currency, status, sent_at, delivered_at from collections.transfers "
        "where account_id = ? order by sent_at desc, transfer_id",
        [summary["account_id"]],
    )
    st.markdown(
        f"**Transfers to the club** ({len(rows)}): in {cur.upper()}, "
        f"transferred {money(summary['club_amount_transferred'], cur)}, "
        f"delivered {money(summary['club_amount_delivered'], cur)}, "
        f"in transit {money(summary['club_amount_in_transit'], cur)}"
    )
    shown = pd.DataFrame(
        {
            "amount": money_column(rows, "amount"),
            "status": [status_label(s) for s in rows["status"]],
            "sent_at": local_times(rows["sent_at"], tz_name),
            "delivered_at": local_times(rows["delivered_at"], tz_name),
            "transfer_id": rows["transfer_id"],
        }
    )
    table(_coloured(shown, {"status": _colour(rows["status"])}))
