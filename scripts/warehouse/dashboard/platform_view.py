"""The Collections page's "All clubs" tab: the platform's collections per month and per club
(with its name), from `collections.club_collections_monthly`, in one currency at a time;
selecting a club's row opens its collections in the "One collection" tab."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from warehouse.dashboard.common import build_info, cards, frame, major_values, money, table, text
from warehouse.labels import missing
from warehouse.money import symbol

ALL = "all"
FIGURES = [  # (card label, column of the mart)
    ("Collected", "amount_collected"),
    ("Commissions", "commission_amount"),
    ("Tips", "tip_amount"),
    ("Earned by the platform", "platform_earned_amount"),
    ("Failed", "amount_failed"),
    ("Scheduled", "amount_scheduled"),
    ("In transit", "amount_in_transit"),
]
COLUMNS = {  # shown column -> column of the mart, the key figures first
    "collected": "amount_collected",
    "commissions": "commission_amount",
    "tips": "tip_amount",
    "failed": "amount_failed",
    "scheduled": "amount_scheduled",
    "in transit": "amount_in_transit",
    "paid": "amount_paid",
    "transferred": "amount_transferred",
}
SUMS = ", ".join(f"cast(sum({column}) as bigint) as {column}" for _, column in FIGURES) + (
    ", cast(sum(amount_paid) as bigint) as amount_paid, "
    "cast(sum(amount_transferred) as bigint) as amount_transferred"
)
DRILL_KEY = "drill_to_club"  # the club a selected row opens, applied at the start of the next run


def _month(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


def _amounts(rows: pd.DataFrame, currency: str) -> dict[str, list[str]]:
    return {name: [money(v, currency) for v in rows[column]] for name, column in COLUMNS.items()}


def render(con: duckdb.DuckDBPyConnection) -> None:
    sql = "select distinct currency from collections.club_collections_monthly order by 1"
    currencies = [c for (c,) in con.execute(sql).fetchall()]
    if not currencies:
        st.info("No collections or transfers yet.")
        return
    info = build_info(con)
    as_of_month = dt.date(info[0].year, info[0].month, 1) if info else None
    months = [
        m
        for (m,) in con.execute(
            "select distinct month from collections.club_collections_monthly order by 1 desc"
        ).fetchall()
    ]
    left, right = st.columns(2)
    currency = left.selectbox(
        "Currency", currencies, format_func=str.upper, key="platform_currency", width=220
    )
    period = right.selectbox(
        "Month",
        [ALL, *months],
        format_func=lambda m: "all months" if m == ALL else _month(m),
        key="platform_month",
        width=220,
        help="Each figure falls in the month of its own date: paid, failed, due, sent.",
    )
    where, params = "currency = ?", [currency]
    if period != ALL:
        where, params = where + " and month = ?", [*params, period]
    totals = frame(con, f"select {SUMS} from collections.club_collections_monthly where {where}", params)
    label = "all months" if period == ALL else _month(period)
    st.markdown(f"**The platform, {label}, in {currency.upper()}**")
    figures = totals.iloc[0] if len(totals) else {}
    cards(
        (title, money(0 if missing(figures.get(column)) else figures[column], currency), None)
        for title, column in FIGURES
    )
    monthly(con, currency, as_of_month)
    clubs(con, currency, where, params, label)


def monthly(con: duckdb.DuckDBPyConnection, currency: str, as_of_month: dt.date | None) -> None:
    """Collected and earned per month up to the as-of month (0 in a month without any), the
    months' figures, newest first, and what is scheduled in the months to come."""
    rows = frame(
        con,
        f"select month, count(distinct account_id) as clubs, {SUMS} "
        "from collections.club_collections_monthly where currency = ? group by month order by month desc",
        [currency],
    )
    past = rows[[as_of_month is None or m <= as_of_month for m in pd.to_datetime(rows["month"]).dt.date]]
    if len(past):  # every month from the first to the as-of month, 0 where nothing happened
        months = pd.date_range(
            pd.Timestamp(past["month"].min()), pd.Timestamp(as_of_month or past["month"].max()), freq="MS"
        )
        series = pd.DataFrame({"month": months}).merge(
            past.assign(month=pd.to_datetime(past["month"])), on="month", how="left"
        )
        series = series.fillna(0)
        unit = symbol(currency)
        chart = pd.DataFrame(
            {
                "month": [_month(m) for m in series["month"]],
                "collected": major_values(series["amount_collected"], currency),
                "earned": major_values(series["platform_earned_amount"], currency),
            }
        )
        left, right = st.columns(2)
        with left:
            st.markdown(f"**Collected per month** (by the clubs, {unit})")
            st.bar_chart(chart, x="month", y="collected", x_label="month", y_label=unit)
        with right:
            st.markdown(f"**Earned by the platform per month** (commissions and tips, {unit})")
            st.bar_chart(chart, x="month", y="earned", x_label="month", y_label=unit)
        series = series.sort_values("month", ascending=False)
        st.markdown(f"**Per month** ({len(series)}, newest first)")
        shown = pd.DataFrame({"month": [_month(m) for m in series["month"]], **_amounts(series, currency)})
        shown["clubs"] = [int(n) for n in series["clubs"]]
        table(shown, key=f"platform_months_{currency}")
    later = rows[~rows.index.isin(past.index)]
    if len(later):
        st.caption(
            f"Scheduled after {_month(as_of_month)}: {money(later['amount_scheduled'].sum(), currency)} "
            f"due in the {len(later)} month{'' if len(later) == 1 else 's'} to come "
            f"(to {_month(later['month'].max())})."
        )


def clubs(con: duckdb.DuckDBPyConnection, currency: str, where: str, params: list[Any], label: str) -> None:
    rows = frame(
        con,
        f"select account_id, any_value(account_name) as account_name, {SUMS}, "
        "cast(sum(collections) as bigint) as collection_months "
        f"from collections.club_collections_monthly where {where} "
        "group by account_id order by amount_collected desc, account_id",
        params,
    )
    st.markdown(f"**Per club** ({len(rows)} clubs, {label}); select a club to open its collections.")
    shown = pd.DataFrame(
        {"club": text(rows["account_name"].fillna(rows["account_id"])), **_amounts(rows, currency)}
    )
    shown["account_id"] = rows["account_id"]
    key = f"platform_clubs_{currency}_{label}"
    picked = table(shown, on_select="rerun", selection_mode="single-row", key=key)
    selected = [i for i in (picked.selection.rows if picked else []) if 0 <= i < len(rows)]
    if selected:
        account = rows["account_id"].iat[selected[0]]
        if st.session_state.get("_club_drilled") != (key, account):  # a new pick: open it, once
            st.session_state["_club_drilled"] = (key, account)
            st.session_state[DRILL_KEY] = account
            st.rerun()


def apply_drill_down(tab_key: str, tab: str) -> None:
    """At the start of a run (before the tabs and the club picker exist): open the club picked
    in the previous run."""
    account = st.session_state.pop(DRILL_KEY, None)
    if account:
        st.session_state["club"] = account
        st.session_state[tab_key] = tab
