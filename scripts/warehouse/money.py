"""Display of integer minor-unit amounts in major units, per currency.

The exponents come from the dbt seed `seeds/currencies.csv`, the project's one
list of them.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache

from warehouse.labels import NONE
from warehouse.settings import ROOT


@cache
def _currencies() -> dict[str, tuple[int, str]]:
    with (ROOT / "seeds" / "currencies.csv").open(encoding="utf-8") as handle:
        return {
            row["currency"]: (int(row["minor_unit_exponent"]), row["symbol"])
            for row in csv.DictReader(handle)
        }


def exponent(currency: str) -> int:
    return _currencies().get(currency.lower(), (2, ""))[0]


def major(amount: int | None, currency: str) -> Decimal | None:
    """The amount in major units, exactly (no float)."""
    if amount is None:
        return None
    return Decimal(amount).scaleb(-exponent(currency))


def symbol(currency: str) -> str:
    """The currency's display symbol (`€`), or its upper-case code when it has none."""
    return _currencies().get(currency.lower(), (2, ""))[1] or currency.upper()


def display(amount: int | None, currency: str) -> str:
    """`1 234,50 €`-style is locale work; this gives `1,234.50 €` (or `JPY`-style code); a missing
    amount is the dash of `warehouse.labels`."""
    if amount is None:
        return NONE
    return f"{major(amount, currency):,.{exponent(currency)}f} {symbol(currency)}"


def plain(amount: int | None, currency: str) -> str:
    """The amount in major units as a plain number for files: `29900.00`, `-1.50`, `5000` (JPY)."""
    if amount is None:
        return ""
    return f"{major(amount, currency):.{exponent(currency)}f}"
