"""The Capital page: topline cards, monthly and daily charts; offers, pending offers and
platform earnings in their own tabs (`offers_view`, `pending_view`)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import streamlit as st

from warehouse.dashboard import offers_view, pending_view
from warehouse.dashboard.common import build_info, frame, major_floats, major_values, money, run_page
from warehouse.money import symbol

STAGES = {
    "pending_offers": "Pending offers",
    "active_offers": "Active offers",
    "in_progress": "Financing in progress",
    "fully_repaid": "Fully repaid",
}


def render() -> None:
    st.title("Capital")
    run_page(_page)


def _page(con: duckdb.DuckDBPyConnection) -> None:
    info = build_info(con)
    if info:
        st.caption(f"As of {info[0]}: the provider's Capital dashboard, from the published warehouse.")
    overview, offers, pending, earnings = st.tabs(
        ["Overview", "Financing offers", "Pending offers", "Platform earnings"]
    )
    with overview:
        topline(con)
        currency = chart_currency(con)
        if currency:
            monthly(con, currency)
            daily(con, currency)
    with offers:
        offers_view.render(con)
    with pending:
        pending_view.pending(con)
    with earnings:
        pending_view.earnings(con)


def topline(con: duckdb.DuckDBPyConnection) -> None:
    st.subheader("Topline")
    cards = frame(con, "select stage, currency, account_count, offer_count, amount from capital.topline")
    if cards.empty:
        st.info("No offers, financings or eligible accounts yet.")
    for currency in sorted(cards["currency"].unique()):
        for column, (stage, label) in zip(st.columns(len(STAGES)), STAGES.items(), strict=True):
            row = cards[(cards["stage"] == stage) & (cards["currency"] == currency)]
            amount, offers, accounts = (
                (row["amount"].iat[0], row["offer_count"].iat[0], row["account_count"].iat[0])
                if len(row)
                else (0, 0, 0)
            )
            column.metric(f"{label} · {currency.upper()}", money(amount, currency), border=True)
            column.caption(f"{offers} offers · {accounts} accounts")


def chart_currency(con: duckdb.DuckDBPyConnection) -> str | None:
    currencies = [
        c
        for (c,) in con.execute(
            "select currency from capital.monthly_financing union "
            "select currency from capital.daily_loan_size order by 1"
        ).fetchall()
    ]
    if not currencies:
        return None
    return st.selectbox(
        "Currency of the charts", currencies, format_func=str.upper, key="chart_currency", width=220
    )


def monthly(con: duckdb.DuckDBPyConnection, currency: str) -> None:
    st.subheader("Per month")
    rows = frame(
        con,
        "select month, originated_amount, repaid_amount from capital.monthly_financing "
        "where currency = ? order by month",
        [currency],
    )
    unit = symbol(currency)
    chart = pd.DataFrame(
        {
            "month": [m.strftime("%Y-%m") for m in pd.to_datetime(rows["month"])],
            "originated": major_values(rows["originated_amount"], currency),
            "repaid": major_values(rows["repaid_amount"], currency),
        }
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Originated** (accepted advance by payout month, {unit})")
        st.bar_chart(chart, x="month", y="originated", x_label="month", y_label=unit)
    with right:
        st.markdown(f"**Repaid** (payments less reversed payments, {unit})")
        st.bar_chart(chart, x="month", y="repaid", x_label="month", y_label=unit)


def _day_range(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    picked = st.date_input(
        "Days", value=(first, last), min_value=first, max_value=last, key="daily_range", width=320
    )
    if isinstance(picked, tuple | list) and len(picked) == 2:
        return picked[0], picked[1]
    return first, last  # a range being picked (one end chosen so far)


def daily(con: duckdb.DuckDBPyConnection, currency: str) -> None:
    st.subheader("Per day")
    metrics = frame(
        con,
        "select metric_date, adoption_rate, conversion_rate_30d, eligible_accounts_7d_avg "
        "from capital.daily_program_metrics order by metric_date",
    )
    if metrics.empty:
        st.info("No reporting day yet.")
        return
    metrics["metric_date"] = pd.to_datetime(metrics["metric_date"])
    first, last = metrics["metric_date"].min().date(), metrics["metric_date"].max().date()
    start, end = _day_range(first, last)
    days = metrics[(metrics["metric_date"].dt.date >= start) & (metrics["metric_date"].dt.date <= end)]
    loans = frame(
        con,
        "select metric_date, avg_loan_size_7d from capital.daily_loan_size "
        "where currency = ? and metric_date between ? and ? order by metric_date",
        [currency, start, end],
    )
    unit = symbol(currency)
    series = [
        ("All-time adoption (%)", days["metric_date"], [_pct(v) for v in days["adoption_rate"]]),
        ("30-day conversion (%)", days["metric_date"], [_pct(v) for v in days["conversion_rate_30d"]]),
        ("Eligible accounts, 7-day average", days["metric_date"], list(days["eligible_accounts_7d_avg"])),
        (
            f"Average loan size, 7 days ({unit})",
            pd.to_datetime(loans["metric_date"]),
            major_floats(loans["avg_loan_size_7d"], currency),
        ),
    ]
    for row in (series[:2], series[2:]):
        for column, (title, dates, values) in zip(st.columns(2), row, strict=True):
            with column:
                st.markdown(f"**{title}**")
                chart = pd.DataFrame({"day": list(dates), "value": values})
                st.line_chart(chart, x="day", y="value", x_label="day", y_label=title)


def _pct(rate: object) -> float | None:
    return None if rate is None or pd.isna(rate) else float(rate) * 100
