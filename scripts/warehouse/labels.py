"""How the CLI and the dashboard say a state or a missing value: one wording for both.

States stay the contract's lower-case words in the tables and the exports; people read
them as words (`paid out`), and a charged-off financing, whose state stays `paid_out`
(capital.md, "Outstanding balance"), reads `paid out, charged off`.
"""

from __future__ import annotations

from typing import Any

# A missing value, wherever one is shown (never `None`, `nan` or `-`).
NONE = "—"

# Offer states and financing types of the contract (capital.md), in lifecycle order.
OFFER_STATES = (
    "undelivered",
    "delivered",
    "accepted",
    "paid_out",
    "fully_repaid",
    "rejected",
    "canceled",
    "expired",
    "replaced",
)
FINANCING_TYPES = ("flex_loan", "fixed_term_loan", "cash_advance")
CHARGED_OFF = "paid out, charged off"


def missing(value: Any) -> bool:
    """None, or a pandas / numpy missing value (NaN, NaT, NA)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def words(value: Any) -> str:
    """`in_progress` -> `in progress`; a missing value -> the dash."""
    return NONE if missing(value) else str(value).replace("_", " ")


def offer_state(state: Any, charged_off_at: Any = None) -> str:
    """An offer's state as read: `paid out`, or `paid out, charged off` once charged off."""
    if state == "paid_out" and not missing(charged_off_at):
        return CHARGED_OFF
    return words(state)


def as_word(value: str) -> str:
    """What a person typed (`Paid out`, `paid-out`) as the contract's word (`paid_out`)."""
    return "_".join(value.strip().lower().replace("-", " ").split())
