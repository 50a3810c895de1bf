"""The financing offers table (filters, search, columns, CSV export), newest first.

The table and its export run the same filtered query (`warehouse.export.offers_query`), and
the export button writes exactly what `scripts/wh export offers` writes for those filters
(the page prints that command); the selected offer's detail is `offer_detail_view`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shlex
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from warehouse import export
from warehouse.dashboard import offer_detail_view
from warehouse.dashboard.common import local_times, money_column, table, text, time_zone
from warehouse.labels import NONE, missing, offer_state, words

# The key figures first, so that they are on screen on a laptop; the ids last.
DEFAULT_COLUMNS = [
    "created_at",
    "state",
    "max_advance_amount",
    "accepted_advance_amount",
    "remaining_balance_amount",
    "account_name",
    "financing_type",
    "currency",
    "id",
    "account_id",
]
WORDS = ("financing_type", "product_type", "campaign_type", "provider_status", "replacement_type")
UNITS = {"major": "major units (as shown here)", "minor": "minor units (Sigma's integers)"}
ALL = "all"


def _choices(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    sql = f"select distinct {column} from capital.financing_offers where {column} is not null order by 1"
    return [value for (value,) in con.execute(sql).fetchall()]


def _filters(con: duckdb.DuckDBPyConnection, tz_name: str) -> dict[str, Any]:
    """The table's filters, named as `export.export_offers` takes them."""
    top = st.columns(4)
    status = top[0].selectbox(
        "Status", [ALL, *_choices(con, "state")], key="offers_status", format_func=words
    )
    kind = top[1].selectbox(
        "Financing type", [ALL, *_choices(con, "financing_type")], key="offers_type", format_func=words
    )
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


def command_line(filters: dict[str, Any], columns: list[str], units: str = "major") -> str:
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
        "--units": None if units == "major" else units,
    }
    words_ = [f"{name} {shlex.quote(value)}" for name, value in options.items() if value]
    return " ".join(["scripts/wh export offers", *words_])


def _shown(rows: pd.DataFrame, tz_name: str) -> pd.DataFrame:
    """Amounts in major units with their currency, timestamps in the chosen zone, states as
    words (a charged-off financing says so), every missing value the dash."""
    shown = pd.DataFrame(index=rows.index)
    for column in rows.columns:
        values = rows[column]
        if export.is_amount(column):
            shown[column] = money_column(rows, column)
        elif pd.api.types.is_datetime64_any_dtype(values):
            shown[column] = local_times(values, tz_name)
        elif column in WORDS:
            shown[column] = [words(v) for v in values]
        elif column == "state":
            shown[column] = [offer_state(s, c) for s, c in zip(values, rows["charged_off_at"], strict=True)]
        elif pd.api.types.is_bool_dtype(values) or column.startswith("is_"):
            shown[column] = [NONE if missing(v) else ("yes" if v else "no") for v in values]
        else:
            shown[column] = text(values)
    return shown


def _table_key(filters: dict[str, Any], columns: list[str]) -> str:
    """A key per filters and columns: a selection is of one list of rows, and goes when it changes."""
    digest = hashlib.sha1(json.dumps([filters, columns], sort_keys=True).encode()).hexdigest()[:10]
    return f"offers_table_{digest}"


def render(con: duckdb.DuckDBPyConnection) -> None:
    tz_name = time_zone()
    filters = _filters(con, tz_name)
    known = export.offer_columns(con)
    columns = st.multiselect(
        "Columns (of the table and the export)", known, default=DEFAULT_COLUMNS, key="offers_columns"
    ) or list(known)
    # what the page needs besides: the id (detail), currency (amounts), charged_off_at (state)
    wanted = list(dict.fromkeys([*columns, "id", "currency", "charged_off_at"]))
    if filters["date_from"] and filters["date_to"] and filters["date_from"] > filters["date_to"]:
        st.warning(
            f"Created from {filters['date_from']} is after created to {filters['date_to']}: "
            "no offer can be created in between; change one of the two dates."
        )
        return
    sql, params = export.offers_query(con, columns=wanted, **filters)
    rows = con.execute(sql, params).df()
    count = f"{len(rows)} offer" + ("" if len(rows) == 1 else "s")
    st.caption(f"{count}, newest first; select a row (or type an offer ID above) to see its detail.")
    picked = table(
        _shown(rows, tz_name),
        column_order=columns,
        column_config={
            c: st.column_config.TextColumn(c.removesuffix("_amount").replace("_", " "))
            for c in columns
            if export.is_amount(c)
        },
        on_select="rerun",
        selection_mode="single-row",
        key=_table_key(filters, columns),
    )
    units = st.radio(
        "Amounts in the file", list(UNITS), format_func=UNITS.get, horizontal=True, key="offers_units"
    )

    def csv_file() -> str:  # run when the button is clicked, with the filters of this run
        out = io.StringIO()
        export.export_offers(out, columns=columns, units=units, **filters)
        return out.getvalue()

    st.download_button(
        "Export CSV", data=csv_file, file_name="financing_offers.csv", mime="text/csv", on_click="ignore"
    )
    st.caption("The same file from the command line:")
    st.code(command_line(filters, columns, units), language="bash")
    chosen = filters["offer"]
    selected = [i for i in (picked.selection.rows if picked else []) if 0 <= i < len(rows)]
    if not chosen and selected:
        chosen = rows["id"].iat[selected[0]]
    elif not chosen and len(rows) == 1:
        chosen = rows["id"].iat[0]
    if chosen:
        offer_detail_view.detail(chosen, tz_name)
