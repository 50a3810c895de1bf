"""The Collections page: pick a club and one of its collections; its totals (the row of
`collections.collection_summary`), participants, payers, transactions and the club's transfers."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from warehouse.dashboard.common import (
    frame,
    local_time,
    local_times,
    money,
    money_column,
    run_page,
    time_zone,
)

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


def render() -> None:
    st.title("Collections")
    run_page(_page)


def _label(status: str) -> str:
    return f"● {status.replace('_', ' ')}"


def _coloured(shown: pd.DataFrame, colours: dict[str, list[str]]) -> Styler:
    """The table with its status columns' text in their colours (the badges of a table)."""
    return shown.style.apply(
        lambda column: [f"color: {c}; font-weight: 600" for c in colours[column.name]],
        subset=list(colours),
    )


def _pick(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    clubs = dict(
        con.execute(
            "select account_id, count(*) from collections.collection_summary group by all order by 1"
        ).fetchall()
    )
    if not clubs:
        st.info("No collections yet.")
        return None
    left, right = st.columns(2)
    club = left.selectbox(
        "Club (connected account)",
        list(clubs),
        key="club",
        format_func=lambda a: f"{a} ({clubs[a]} collections)",
    )
    collections = frame(
        con,
        "select collection_id, collection_name, kind from collections.collection_summary "
        "where account_id = ? order by opened_at, collection_id",
        [club],
    )
    names = {
        row.collection_id: f"{row.collection_name} ({row.kind.replace('_', ' ')})"
        for row in collections.itertuples()
    }
    collection = right.selectbox(
        "Collection", list(names), key=f"collection_{club}", format_func=lambda c: names[c]
    )
    summary = frame(con, "select * from collections.collection_summary where collection_id = ?", [collection])
    return summary.iloc[0].to_dict()


def _page(con: duckdb.DuckDBPyConnection) -> None:
    summary = _pick(con)
    if summary is None:
        return
    tz_name, cur = time_zone(), summary["currency"]
    fee_model = summary["fee_model"].replace("_", " ")
    if summary["fee_model"] == "club_commission":
        fee_model += f" {float(summary['commission_rate']) * 100:.2f} %"
    st.subheader(summary["collection_name"])
    st.caption(
        f"`{summary['collection_id']}` · {summary['kind'].replace('_', ' ')} · fee model {fee_model} · "
        f"{cur.upper()} · opened {local_time(summary['opened_at'], tz_name) or '-'}, "
        f"closes {local_time(summary['closes_at'], tz_name) or '-'}"
    )
    for column, (label, name) in zip(st.columns(4), COUNTS, strict=False):
        column.metric(label, str(int(summary[name] or 0)), border=True)
    for row in (AMOUNTS[:4], AMOUNTS[4:]):
        for column, (label, name) in zip(st.columns(4), row, strict=False):
            column.metric(label, money(summary[name], cur), border=True)
    badges = " ".join(
        f":{STATUS[s][0]}-badge[{s.replace('_', ' ')}: {int(summary[f'participants_{s}'] or 0)}]"
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
            "rate": rows["rate_label"],
            "amount_due": money_column(rows, "amount_due"),
            "status": [_label(s) for s in rows["participant_status"]],
            "form": [_label(s) for s in rows["form_status"]],
            "email": rows["email"],
            "email_missing": rows["is_missing_required_email"],
            "payer": [names.get(p, "-") if isinstance(p, str) else "-" for p in rows["payer_id"]],
            "participant_id": rows["participant_id"],
        }
    )
    colours = {
        "status": [STATUS.get(s, ("", GREY))[1] for s in rows["participant_status"]],
        "form": [FORM.get(c, GREY) for c in rows["form_status_colour"]],
    }
    st.dataframe(_coloured(shown, colours), hide_index=True)
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
    shown = pd.DataFrame(
        {
            "payer": [names.get(p, p) for p in rows["payer_id"]],
            "status": [_label(s) for s in rows["payer_status"]],
            "participants": rows["participant_count"],
            "due": money_column(rows, "amount_due"),
            "paid": money_column(rows, "amount_paid"),
            "collected": money_column(rows, "amount_collected"),
            "fee": money_column(rows, "fee_amount"),
            "tip": money_column(rows, "tip_amount"),
            "scheduled": money_column(rows, "amount_scheduled"),
            "failed": money_column(rows, "amount_failed"),
            "payer_id": rows["payer_id"],
        }
    )
    colours = {"status": [STATUS.get(s, ("", GREY))[1] for s in rows["payer_status"]]}
    st.dataframe(_coloured(shown, colours), hide_index=True)


def _instalment(number: Any, count: Any) -> str:
    if pd.isna(number):
        return "-"
    return f"{int(number)} of {int(count)}" if not pd.isna(count) else str(int(number))


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
    shown = pd.DataFrame(
        {
            "payer": [names.get(p, p) for p in rows["payer_id"]],
            "instalment": [
                _instalment(n, c)
                for n, c in zip(rows["installment_number"], rows["installment_count"], strict=True)
            ],
            "status": [_label(s) for s in rows["status"]],
            "scheduled_for": [
                None if pd.isna(d) else str(pd.Timestamp(d).date()) for d in rows["scheduled_for"]
            ],
            "paid_at": local_times(rows["paid_at"], tz_name),
            "failed_at": local_times(rows["failed_at"], tz_name),
            "amount": money_column(rows, "amount"),
            "fee": money_column(rows, "fee_amount"),
            "collected": money_column(rows, "collected_amount"),
            "tip": money_column(rows, "tip_amount"),
            "transaction_id": rows["transaction_id"],
        }
    )
    colours = {"status": [STATUS.get(s, ("", GREY))[1] for s in rows["status"]]}
    st.dataframe(_coloured(shown, colours), hide_index=True)


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
            "transfer_id": rows["transfer_id"],
            "amount": money_column(rows, "amount"),
            "status": [_label(s) for s in rows["status"]],
            "sent_at": local_times(rows["sent_at"], tz_name),
            "delivered_at": local_times(rows["delivered_at"], tz_name),
        }
    )
    colours = {"status": [STATUS.get(s, ("", GREY))[1] for s in rows["status"]]}
    st.dataframe(_coloured(shown, colours), hide_index=True)
