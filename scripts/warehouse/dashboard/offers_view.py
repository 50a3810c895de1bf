"""The financing offers table (filters, search, columns, CSV export) and one offer's detail.

The table and its export run the same filtered query (`warehouse.export.offers_query`), and
the export button writes exactly what `scripts/wh export offers` writes for those filters;
the detail comes from `warehouse.offer`, as `scripts/wh offer ID` shows it.
"""

from __future__ import annotations

import datetime as dt
import io
import shlex
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from warehouse import export, offer
from warehouse.dashboard.common import (
    local_time,
    local_times,
    major_values,
    money,
    money_column,
    time_zone,
)
from warehouse.money import symbol
from warehouse.settings import WarehouseError

DEFAULT_COLUMNS = [
    "id",
    "account_id",
    "account_name",
    "state",
    "financing_type",
    "created_at",
    "currency",
    "max_advance_amount",
    "accepted_advance_amount",
    "remaining_balance_amount",
]
ALL = "all"


def _choices(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    sql = f"select distinct {column} from capital.financing_offers where {column} is not null order by 1"
    return [value for (value,) in con.execute(sql).fetchall()]


def _filters(con: duckdb.DuckDBPyConnection, tz_name: str) -> dict[str, Any]:
    """The table's filters, named as `export.export_offers` takes them."""
    top = st.columns(4)
    status = top[0].selectbox("Status", [ALL, *_choices(con, "state")], key="offers_status")
    kind = top[1].selectbox("Financing type", [ALL, *_choices(con, "financing_type")], key="offers_type")
    date_from = top[2].date_input(f"Created from ({tz_name})", value=None, key="offers_from")
    date_to = top[3].date_input(f"Created to ({tz_name})", value=None, key="offers_to")
    search = st.columns(2)
    account = search[0].text_input("Account ID", key="offers_account", placeholder="acct_...")
    offer_id = search[1].text_input("Offer ID", key="offers_offer", placeholder="financingoffer_...")
    return {
        "tz_name": tz_name,
        "date_from": date_from.isoformat() if isinstance(date_from, dt.date) else None,
        "date_to": date_to.isoformat() if isinstance(date_to, dt.date) else None,
        "status": None if status == ALL else status,
        "financing_type": None if kind == ALL else kind,
        "account": account.strip() or None,
        "offer": offer_id.strip() or None,
    }


def command_line(filters: dict[str, Any], columns: list[str]) -> str:
    """The `scripts/wh export offers` command that writes the same file."""
    options = {
        "--tz": filters["tz_name"],
        "--from": filters["date_from"],
        "--to": filters["date_to"],
        "--status": filters["status"],
        "--financing-type": filters["financing_type"],
        "--account": filters["account"],
        "--offer": filters["offer"],
        "--columns": ",".join(columns),
    }
    words = [f"{name} {shlex.quote(value)}" for name, value in options.items() if value]
    return " ".join(["scripts/wh export offers", *words])


def _shown(rows: pd.DataFrame, tz_name: str) -> pd.DataFrame:
    """Amounts in major units with their currency, timestamps in the chosen zone."""
    shown = rows.copy()
    for column in rows.columns:
        if column.endswith("_amount"):
            shown[column] = money_column(rows, column)
        elif pd.api.types.is_datetime64_any_dtype(rows[column]):
            shown[column] = local_times(rows[column], tz_name)
    return shown


def render(con: duckdb.DuckDBPyConnection) -> None:
    tz_name = time_zone()
    filters = _filters(con, tz_name)
    known = export.offer_columns(con)
    columns = st.multiselect(
        "Columns (of the table and the export)", known, default=DEFAULT_COLUMNS, key="offers_columns"
    ) or list(known)
    wanted = list(dict.fromkeys([*columns, "id", "currency"]))  # the id and currency the page needs
    sql, params = export.offers_query(con, columns=wanted, **filters)
    rows = con.execute(sql, params).df()
    count = f"{len(rows)} offer" + ("" if len(rows) == 1 else "s")
    st.caption(f"{count}; select a row (or type an offer ID above) to see its detail.")
    picked = st.dataframe(
        _shown(rows, tz_name),
        hide_index=True,
        column_order=columns,
        on_select="rerun",
        selection_mode="single-row",
        key="offers_table",
    )

    def csv_file() -> str:  # run when the button is clicked, with the filters of this run
        out = io.StringIO()
        export.export_offers(out, columns=columns, **filters)
        return out.getvalue()

    st.download_button(
        "Export CSV", data=csv_file, file_name="financing_offers.csv", mime="text/csv", on_click="ignore"
    )
    st.caption("The same file from the command line:")
    st.code(command_line(filters, columns), language="bash")
    chosen = filters["offer"]
    selected_rows = picked.selection.rows if picked else []
    if not chosen and selected_rows:
        chosen = rows["id"].iat[selected_rows[0]]
    elif not chosen and len(rows) == 1:
        chosen = rows["id"].iat[0]
    if chosen:
        detail(chosen, tz_name)


def _percent(rate: Any) -> str:
    return "-" if rate is None else f"{rate * 100:.2f} %"


def _terms(d: dict[str, Any]) -> pd.DataFrame:
    cur = d["currency"]
    return pd.DataFrame(
        {
            "": ["advance", "fee", "withhold rate", "repayment interval (days)", "minimum per interval"],
            "offered": [
                money(d["max_advance_amount"], cur),
                money(d["max_premium_amount"], cur),
                _percent(d["max_withhold_rate"]),
                d["max_repayment_interval_days"],
                money(d["max_repayment_interval_minimum_amount"], cur),
            ],
            "accepted": [
                money(d["accepted_advance_amount"], cur),
                money(d["accepted_premium_amount"], cur),
                _percent(d["accepted_withhold_rate"]),
                d["accepted_repayment_interval_days"],
                money(d["accepted_repayment_interval_minimum_amount"], cur),
            ],
        }
    ).astype(str)


def detail(offer_id: str, tz_name: str) -> None:
    """One offer: terms offered and accepted, remaining balance, emails, payments and balance chart."""
    try:
        d = offer.offer_detail(offer_id)
    except WarehouseError as error:
        st.warning(str(error))
        return
    cur = d["currency"]
    st.subheader("Offer detail")
    st.code(d["id"], language=None)
    cards = st.columns(4)
    balance = money(d["remaining_balance_amount"], cur) if d["remaining_balance_amount"] is not None else "-"
    cards[0].metric("Remaining balance", balance, border=True)
    cards[1].metric("Status", d["state"], border=True)
    cards[2].metric("Accepted advance", money(d["accepted_advance_amount"], cur), border=True)
    cards[3].metric("Repaid", money(d["repaid_amount"], cur), border=True)
    st.caption(
        f"Account `{d['account_id']}` ({d['account_name'] or 'no name'}) · created "
        f"{local_time(d['created_at'], tz_name)} · {d['financing_type']} / {d['product_type']}"
        + (f" · charged off {local_time(d['charged_off_at'], tz_name)}" if d["charged_off_at"] else "")
        + (f" · {note}" if (note := offer.replacement_note(d)) else "")
    )
    st.markdown("**Terms**")
    st.dataframe(_terms(d), hide_index=True)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Email engagement** ({len(d['email_events'])})")
        emails = pd.DataFrame(d["email_events"], columns=["occurred_at", "type", "id"])
        emails["occurred_at"] = local_times(emails["occurred_at"], tz_name)
        st.dataframe(emails, hide_index=True)
    with right:
        st.markdown(f"**Payment activity** ({len(d['transactions'])})")
        payments = pd.DataFrame(
            d["transactions"],
            columns=[
                "effective_time",
                "transaction_type",
                "reason",
                "advance_amount",
                "fee_amount",
                "total_amount",
                "id",
            ],
        )
        payments["effective_time"] = local_times(payments["effective_time"], tz_name)
        for column in ("advance_amount", "fee_amount", "total_amount"):
            payments[column] = [money(v, cur) for v in payments[column]]
        st.dataframe(payments, hide_index=True)
    history = pd.DataFrame(offer.balance_history(offer_id))
    if not history.empty:
        st.markdown("**Outstanding balance** (principal + premium, end of each UTC day)")
        owed = history["principal_outstanding_amount"] + history["premium_outstanding_amount"]
        chart = pd.DataFrame(
            {"day": pd.to_datetime(history["effective_date_utc"]), "outstanding": major_values(owed, cur)}
        )
        st.line_chart(chart, x="day", y="outstanding", x_label="day (UTC)", y_label=symbol(cur))
