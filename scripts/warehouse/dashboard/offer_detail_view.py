"""One offer's detail, as `scripts/wh offer ID` shows it (`warehouse.offer`): its state (a
charged-off financing says so, and what it still owed), terms offered and accepted, remaining
balance, email engagement, payment activity and the balance chart."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from warehouse import offer
from warehouse.dashboard import charts
from warehouse.dashboard.common import cards, local_time, local_times, major_values, money, table, text
from warehouse.labels import NONE, offer_state, words
from warehouse.money import symbol
from warehouse.settings import WarehouseError

STATE_COLOURS = {"paid_out": "blue", "fully_repaid": "green", "accepted": "violet", "delivered": "orange"}


def _percent(rate: Any) -> str:
    return NONE if rate is None else f"{rate * 100:.2f} %"


def _terms(d: dict[str, Any]) -> pd.DataFrame:
    cur = d["currency"]
    rows = {
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
    return pd.DataFrame({name: text(values) for name, values in rows.items()})


def detail(offer_id: str, tz_name: str) -> None:
    """One offer: terms offered and accepted, remaining balance, emails, payments and balance chart."""
    try:
        d = offer.offer_detail(offer_id)
    except WarehouseError as error:
        st.warning(str(error))
        return
    cur = d["currency"] or ""
    charged_off = offer.charge_off_note(d)
    st.subheader("Offer detail")
    st.code(d["id"], language=None)
    state = offer_state(d["state"], d["charged_off_at"])
    colour = "red" if charged_off else STATE_COLOURS.get(d["state"], "gray")
    st.markdown(
        f"Status :{colour}-badge[{state}]"
        + (f" · {charged_off}" if charged_off else "")
        + (f" · {note}" if (note := offer.replacement_note(d)) else "")
    )
    balance = NONE if d["remaining_balance_amount"] is None else money(d["remaining_balance_amount"], cur)
    cards(
        [
            ("Owed at charge-off" if charged_off else "Remaining balance", balance, None),
            ("Accepted advance", money(d["accepted_advance_amount"], cur), None),
            ("Repaid", money(d["repaid_amount"], cur), None),
        ]
    )
    st.caption(
        f"Account `{d['account_id']}` ({d['account_name'] or 'no name'}) · created "
        f"{local_time(d['created_at'], tz_name)} · {words(d['financing_type'])} / {words(d['product_type'])}"
    )
    st.markdown("**Terms**")
    table(_terms(d))
    st.markdown(f"**Payment activity** ({len(d['transactions'])})")
    payments = pd.DataFrame(
        d["transactions"],
        columns=[
            "effective_time",
            "transaction_type",
            "advance_amount",
            "fee_amount",
            "total_amount",
            "reason",
            "id",
        ],
    )
    table(
        pd.DataFrame(
            {
                "date": local_times(payments["effective_time"], tz_name),
                "type": text(payments["transaction_type"]),
                "advance": [money(v, cur) for v in payments["advance_amount"]],
                "fee": [money(v, cur) for v in payments["fee_amount"]],
                "total": [money(v, cur) for v in payments["total_amount"]],
                "reason": [words(r) for r in payments["reason"]],
                "transaction": text(payments["id"]),
            }
        ),
    )
    st.markdown(f"**Email engagement** ({len(d['email_events'])})")
    emails = pd.DataFrame(d["email_events"], columns=["occurred_at", "type", "id"])
    table(pd.DataFrame({"date": local_times(emails["occurred_at"], tz_name), "type": text(emails["type"])}))
    history = pd.DataFrame(offer.balance_history(offer_id))
    if not history.empty:
        st.markdown("**Outstanding balance** (principal + premium, end of each UTC day)")
        owed = history["principal_outstanding_amount"] + history["premium_outstanding_amount"]
        charts.daily(
            pd.DataFrame(
                {"day": pd.to_datetime(history["effective_date_utc"]), "value": major_values(owed, cur)}
            ),
            f"outstanding ({symbol(cur)})",
        )
