"""The three Sigma tables have every column of the provider's Sigma schema, under its
name and type (`sigma_schema.py`, transcribed from the contract), and the other Sigma
section's names exist as views of them.
"""

from __future__ import annotations

from conftest import Warehouse
from sigma_schema import FINANCING_BALANCES, FINANCING_OFFERS, FINANCING_TRANSACTIONS, SIGMA


def test_the_schema_as_transcribed_has_the_providers_counts() -> None:
    # 36 Sigma columns plus `account`; 10 plus `account`; 16
    assert [len(FINANCING_OFFERS), len(FINANCING_BALANCES), len(FINANCING_TRANSACTIONS)] == [37, 11, 16]


def test_every_sigma_column_under_its_name_and_type(generated: Warehouse) -> None:
    missing: dict[str, list[str]] = {}
    for table, columns in SIGMA.items():
        have = dict(
            generated.query(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'capital' and table_name = ?",
                table,
            )
        )
        wrong = [f"{c} {t} (has {have.get(c)})" for c, t in columns.items() if have.get(c) != t]
        if wrong:
            missing[table] = wrong
    assert missing == {}


def test_the_other_section_names_are_views(generated: Warehouse) -> None:
    views = generated.query(
        "select table_name from information_schema.tables where table_schema = 'capital' "
        "and table_type = 'VIEW' order by 1"
    )
    assert views == [
        ("connected_account_financing_balances",),
        ("connected_account_financing_offers",),
        ("financing_transactions",),
    ]
