"""The Capital page's pending offers (with why an offer cannot be created, and the eligible
accounts' CSV of `scripts/wh export eligible`) and the platform's earnings by month."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
import streamlit as st

from warehouse import export
from warehouse.dashboard.common import frame, money, money_column, table, text
from warehouse.labels import NONE

BLOCKED = {  # blocked_reason -> (label, badge colour)
    None: ("offer can be created", "green"),
    "deny_listed": ("deny-listed", "red"),
    "unsubscribed": ("unsubscribed", "orange"),
    "no_valid_email": ("no valid email", "violet"),
}


def pending(con: duckdb.DuckDBPyConnection) -> None:
    st.subheader("Pending offers")
    st.caption(
        "Accounts eligible on the as-of date with no open offer and no financing in progress; "
        "an offer cannot be created for a deny-listed or unsubscribed account, or one without a valid email."
    )
    rows = frame(
        con,
        "select account_id, account_name, email, estimated_advance_amount, currency, blocked_reason "
        "from capital.pending_offers order by blocked_reason nulls first, account_id",
    )
    reasons = [None if pd.isna(r) else r for r in rows["blocked_reason"]]
    counts = {reason: reasons.count(reason) for reason in BLOCKED}
    st.markdown(" ".join(f":{colour}-badge[{label}: {counts[r]}]" for r, (label, colour) in BLOCKED.items()))
    shown = pd.DataFrame(
        {
            "account_name": text(rows["account_name"]),
            "estimated_advance": money_column(rows, "estimated_advance_amount"),
            "blocked_reason": [BLOCKED.get(r, (r, ""))[0] for r in reasons],
            "email": text(rows["email"]),
            "account_id": rows["account_id"],
        }
    )
    table(shown)

    def eligible_csv() -> str:
        out = io.StringIO()
        export.export_eligible(out)
        return out.getvalue()

    st.download_button(
        "Export the eligible accounts (CSV)",
        data=eligible_csv,
        file_name="eligible_accounts.csv",
        mime="text/csv",
        on_click="ignore",
        help="Every account eligible on the as-of date, pending or not, with its blocked reason: "
        "the file `scripts/wh export eligible` writes.",
    )


def _highlight(row: pd.Series, differs: pd.Series) -> list[str]:
    colour = "background-color: #fde2e1; color: #8a1c12; font-weight: 600"
    return [colour if differs.loc[row.name] else "" for _ in row]


def earnings(con: duckdb.DuckDBPyConnection) -> None:
    st.subheader("Platform earnings by month")
    st.caption(
        "Revenue share earned per payout month (UTC) and what the provider booked for it on the "
        "first day of the next month; a difference other than zero is highlighted."
    )
    rows = frame(
        con,
        "select month, currency, financings, revshare_earned_amount, paid_on, booked_amount, difference "
        "from capital.platform_earnings_monthly order by month desc, currency",
    )
    differs = rows["difference"].fillna(0) != 0
    shown = pd.DataFrame(
        {
            "month": [m.strftime("%Y-%m") for m in pd.to_datetime(rows["month"])],
            "currency": rows["currency"].str.upper(),
            "financings": rows["financings"],
            "earned": money_column(rows, "revshare_earned_amount"),
            "paid_on": [str(d.date()) for d in pd.to_datetime(rows["paid_on"])],
            "booked": [
                "not due yet" if pd.isna(b) else money(b, c)
                for b, c in zip(rows["booked_amount"], rows["currency"], strict=True)
            ],
            "difference": [
                NONE if pd.isna(d) else money(d, c)
                for d, c in zip(rows["difference"], rows["currency"], strict=True)
            ],
        }
    )
    if differs.any():
        months = ", ".join(
            f"{m} {c}" for m, c in zip(shown["month"][differs], shown["currency"][differs], strict=True)
        )
        st.warning(f"The provider's booking differs from the revenue share earned for {months}.")
    table(
        shown.style.apply(_highlight, axis=1, differs=differs),
    )
