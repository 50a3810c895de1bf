"""`wh offer ID`: one offer's detail, as the dashboard's offer page shows it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import duckdb

from warehouse.labels import NONE
from warehouse.money import display, major
from warehouse.settings import WarehouseError, open_read_only, warehouse_path

TRANSACTIONS = """
    select effective_time, transaction_type, reason, advance_amount, fee_amount, total_amount, id
    from capital.connected_account_financing_transactions
    where financing_offer = ? order by effective_time, id
"""
BALANCES = """
    select effective_date_utc, principal_outstanding_amount, premium_outstanding_amount,
        overdue_payment_amount, pending_payment_amount
    from capital.financing_balances where financing_offer = ? order by effective_date_utc
"""
EMAILS = (
    "select occurred_at, type, id from capital.offer_email_events where financing_offer = ? order by 1, 3"
)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, offer_id: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql, [offer_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def offer_detail(offer_id: str) -> dict[str, Any]:
    with open_read_only() as con:
        offers = _rows(con, "select * from capital.financing_offers where id = ?", offer_id)
        if not offers:
            raise WarehouseError(f"offer {offer_id!r} is not in {warehouse_path().name}.")
        detail = offers[0]
        detail["email_events"] = _rows(con, EMAILS, offer_id)
        detail["transactions"] = _rows(con, TRANSACTIONS, offer_id)
    return detail


def balance_history(offer_id: str) -> list[dict[str, Any]]:
    """The financing's end-of-day balances (UTC days), from its payout; empty if never paid out."""
    with open_read_only() as con:
        return _rows(con, BALANCES, offer_id)


def _when(value: Any) -> str:
    if not value:
        return NONE
    return (value.astimezone(dt.UTC) if value.tzinfo else value).strftime("%Y-%m-%d %H:%M UTC")


def replacement_note(detail: dict[str, Any]) -> str | None:
    """What replaced the offer, or what it replaces (capital.md, "Replacement"), in one line."""
    if detail["state"] == "replaced" and detail.get("replacement"):
        return f"replaced by {detail['replacement']} on {_when(detail.get('replaced_at'))}"
    if detail.get("replacement_for") and detail.get("product_type") != "refill":
        return f"replaces {detail['replacement_for']}"
    return None


def charge_off_note(detail: dict[str, Any]) -> str | None:
    """A charged-off financing keeps state `paid_out` (capital.md): say that it was charged off."""
    if detail["state"] != "paid_out" or not detail.get("charged_off_at"):
        return None
    owed = display(detail["remaining_balance_amount"], detail["currency"])
    return f"charged off on {_when(detail['charged_off_at'])}: no longer in progress, {owed} still owed then"


def _balance_line(detail: dict[str, Any]) -> str:
    cur = detail["currency"]
    if detail["remaining_balance_amount"] is None:
        return f"  remaining balance {NONE} (not paid out)"
    label = "owed at charge-off" if charge_off_note(detail) else "remaining balance"
    return (
        f"  {label} {display(detail['remaining_balance_amount'], cur)}"
        f" (principal {display(detail['principal_outstanding_amount'], cur)},"
        f" premium {display(detail['premium_outstanding_amount'], cur)})"
    )


def _rate(value: Any) -> str:
    return f"{value * 100:.2f} %" if value is not None else NONE


def render(detail: dict[str, Any]) -> str:
    cur = detail["currency"]
    lines = [
        f"Offer {detail['id']}",
        f"  account           {detail['account_id']} ({detail['account_name'] or 'no name'})",
        f"  status            {detail['state']}",
        *([f"                    {note}"] if (note := replacement_note(detail)) else []),
        *([f"                    {note}"] if (note := charge_off_note(detail)) else []),
        f"  created           {_when(detail['created_at'])}",
        f"  type              {detail['financing_type'] or NONE} / {detail['product_type'] or NONE}",
        "",
        f"  {'':18}{'offered':>18}{'accepted':>18}",
        f"  {'advance':18}{display(detail['max_advance_amount'], cur):>18}"
        f"{display(detail['accepted_advance_amount'], cur):>18}",
        f"  {'fee':18}{display(detail['max_premium_amount'], cur):>18}"
        f"{display(detail['accepted_premium_amount'], cur):>18}",
        f"  {'withhold rate':18}{_rate(detail['max_withhold_rate']):>18}"
        f"{_rate(detail['accepted_withhold_rate']):>18}",
        "",
        _balance_line(detail),
        "",
        f"Email engagement ({len(detail['email_events'])})",
        *(f"  {_when(e['occurred_at'])}  {e['type']}" for e in detail["email_events"]),
        "",
        f"Payment activity ({len(detail['transactions'])})",
        f"  {'date':20}  {'type':8}  {'reason':28}{'advance':>14}{'fee':>12}{'total':>14}",
        *(
            f"  {_when(t['effective_time']):20}  {t['transaction_type']:8}  {t['reason'] or NONE:28}"
            f"{display(t['advance_amount'], cur):>14}{display(t['fee_amount'], cur):>12}"
            f"{display(t['total_amount'], cur):>14}"
            for t in detail["transactions"]
        ),
    ]
    return "\n".join(lines)


def as_json(detail: dict[str, Any]) -> str:
    """Amounts stay integer minor units (with `currency`); `*_major` fields add the major-unit value."""
    detail = dict(detail)
    detail["remaining_balance_major"] = str(major(detail["remaining_balance_amount"], detail["currency"]))
    return json.dumps(detail, default=str, indent=2)
