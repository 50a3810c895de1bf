"""The Capital page: topline cards, monthly and daily charts; offers, pending offers and
platform earnings in their own tabs (`offers_view`, `pending_view`)."""

from __future__ import annotations

import datetime as dt

import altair as alt
import duckdb
import pandas as pd
import streamlit as st

from warehouse.dashboard import charts, offers_view, pending_view
from warehouse.dashboard.common import build_info, cards, frame, major_floats, major_values, money, run_page
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
    rows = frame(con, "select stage, currency, account_count, offer_count, amount from capital.topline")
    if rows.empty:
        st.info("No offers, financings or eligible accounts yet.")
    for currency in sorted(rows["currency"].dropna().unique()):
        shown = []
        for stage, label in STAGES.items():
            row = rows[(rows["stage"] == stage) & (rows["currency"] == currency)]
            amount, offers, accounts = (
                (row["amount"].iat[0], row["offer_count"].iat[0], row["account_count"].iat[0])
                if len(row)
                else (0, 0, 0)
            )
            shown.append(
                (
                    f"{label} · {currency.upper()}",
                    money(amount, currency),
                    f"{offers} offers · {accounts} accounts",
                )
            )
        cards(shown)
    unknown = rows[rows["currency"].isna()]
    if len(unknown):  # offers whose object carries no terms: counted, their amount unknown
        st.caption(
            "Without a currency (no terms on the offer yet): "
            + ", ".join(
                f"{STAGES[r.stage].lower()} {r.offer_count} offers"
                for r in unknown.itertuples()
                if r.offer_count
            )
        )


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
        "select metric_date, adoption_rate, accounts_paid_out, accounts_delivered, conversion_rate_30d, "
        "offers_delivered_30d, offers_accepted_30d, eligible_accounts_7d_avg "
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
        "select metric_date, avg_loan_size_7d, financings_paid_out_7d from capital.daily_loan_size "
        "where currency = ? and metric_date between ? and ? and avg_loan_size_7d is not null "
        "order by metric_date",
        [currency, start, end],
    )
    unit = symbol(currency)
    left, right = st.columns(2)
    with left:
        st.markdown("**All-time adoption (%)**")
        charts.daily(
            pd.DataFrame(
                {
                    "day": days["metric_date"],
                    "value": [_pct(v) for v in days["adoption_rate"]],
                    "paid out": days["accounts_paid_out"],
                    "delivered": days["accounts_delivered"],
                }
            ),
            "accounts paid out ÷ delivered (%)",
            [
                alt.Tooltip("paid out:Q", title="accounts paid out"),
                alt.Tooltip("delivered:Q", title="accounts delivered"),
            ],
        )
    with right:
        st.markdown("**30-day conversion (%)**")
        charts.daily(
            pd.DataFrame(
                {
                    "day": days["metric_date"],
                    "value": [_pct(v) for v in days["conversion_rate_30d"]],
                    "accepted": days["offers_accepted_30d"],
                    "delivered": days["offers_delivered_30d"],
                }
            ),
            "accepted ÷ delivered in 30 days (%)",
            [
                alt.Tooltip("accepted:Q", title="offers accepted"),
                alt.Tooltip("delivered:Q", title="offers delivered"),
            ],
        )
        if len(days):
            final = days.iloc[-1]
            st.caption(
                f"On {final['metric_date'].date()}: {int(final['offers_accepted_30d'])} of "
                f"{int(final['offers_delivered_30d'])} offers first delivered in the 30 days were accepted "
                "within 30 days of delivery."
            )
    left, right = st.columns(2)
    with left:
        st.markdown("**Eligible accounts, 7-day average**")
        charts.daily(
            pd.DataFrame({"day": days["metric_date"], "value": days["eligible_accounts_7d_avg"]}),
            "eligible accounts",
        )
    with right:
        st.markdown(f"**Average loan size, 7 days ({unit})**")
        charts.daily(
            pd.DataFrame(
                {
                    "day": pd.to_datetime(loans["metric_date"]),
                    "value": major_floats(loans["avg_loan_size_7d"], currency),
                    "financings": loans["financings_paid_out_7d"],
                }
            ),
            unit,
            [alt.Tooltip("financings:Q", title="financings paid out in the 7 days")],
            points=True,
        )
        st.caption(
            f"One dot per day with a financing paid out in the 7 days ending it: {len(loans)} of "
            f"{(end - start).days + 1} days; the other days have no loan to average."
        )


def _pct(rate: object) -> float | None:
    return None if rate is None or pd.isna(rate) else float(rate) * 100
