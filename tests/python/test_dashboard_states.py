"""Issue 17 on the Capital page, under Streamlit's AppTest on the generated warehouse: a selection
that outlives its rows, states and missing values as a person reads them, charts whose dates
carry their year and whose rates and averages show their counts, the offers newest first, and
filters that cannot match said so. Expected figures are SQL on the marts, formatted by hand
(euro: exponent 2, symbol €)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from conftest import Warehouse
from test_dashboard import chart_data, eur, metrics, offers_table, open_app

MISSING = {"None", "none", "nan", "NaN", "NaT", "<NA>", "-", ""}


@pytest.fixture
def capital(dashboard_db: Warehouse, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_app(dashboard_db.path, monkeypatch)


def _specs(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("vega_lite_chart")]


def _cells(frame: pd.DataFrame) -> list[str]:
    return [str(v) for column in frame.columns for v in frame[column]]


def test_a_selected_row_then_a_search_that_matches_nothing(capital: AppTest) -> None:
    """The issue's crash: select a row, then type an account ID that matches nothing."""
    capital.session_state[offers_table(capital).key] = {
        "selection": {"rows": [0], "columns": [], "cells": []}
    }
    capital.run()
    assert "Offer detail" in [s.value for s in capital.subheader]  # the selected offer's detail
    capital.text_input(key="offers_account").set_value("acct_matches_nothing").run()
    assert not capital.exception, [e.value for e in capital.exception]
    assert len(offers_table(capital).value) == 0
    assert any(c.value.startswith("0 offers, newest first;") for c in capital.caption)
    assert "Offer detail" not in [s.value for s in capital.subheader]


def test_the_offers_open_newest_first(capital: AppTest, dashboard_db: Warehouse) -> None:
    newest = [
        i
        for (i,) in dashboard_db.query("select id from capital.financing_offers order by created_at desc, id")
    ]
    assert list(offers_table(capital).value["id"]) == newest


def test_a_charged_off_financing_reads_charged_off(capital: AppTest, dashboard_db: Warehouse) -> None:
    charged = dashboard_db.query(
        "select id, remaining_balance_amount, currency from capital.financing_offers "
        "where state = 'paid_out' and charged_off_at is not null order by id"
    )
    assert len(charged) == 4  # the generator's charge-off scenarios
    table = offers_table(capital).value.set_index("id")
    assert [table.loc[i, "state"] for i, _, _ in charged] == ["paid out, charged off"] * 4
    assert set(table["state"]) >= {"paid out", "fully repaid", "replaced"}  # words, not snake_case
    offer_id, owed, _ = next(row for row in charged if row[2] == "eur")
    capital.text_input(key="offers_offer").set_value(offer_id).run()
    shown = metrics(capital)
    assert shown["Owed at charge-off"] == eur(owed)
    assert "Remaining balance" not in shown
    badge = next(m.value for m in capital.markdown if m.value.startswith("Status "))
    assert badge.startswith("Status :red-badge[paid out, charged off] · charged off on 20")
    assert badge.endswith(f": no longer in progress, {eur(owed)} still owed then")


def test_no_cell_reads_none(capital: AppTest, dashboard_db: Warehouse) -> None:
    """Missing values read as one dash everywhere: an offer that expired undelivered has no
    accepted terms, no balance, no payment."""
    (offer_id,) = dashboard_db.query(
        "select id from capital.financing_offers where state = 'expired' "
        "and accepted_advance_amount is null order by id limit 1"
    )[0]
    capital.text_input(key="offers_offer").set_value(offer_id).run()
    tables = [t.value for tab in capital.tabs for t in tab.dataframe]
    assert len(tables) >= 6  # offers, terms, payments, emails, pending, earnings
    for frame in tables:
        assert not set(_cells(frame)) & MISSING, frame.head()
    terms = tables[1].set_index("")
    assert terms.loc["advance", "accepted"] == "—"
    assert metrics(capital)["Remaining balance"] == "—"


def test_daily_charts_carry_the_year(capital: AppTest) -> None:
    specs = _specs(capital)
    assert len(specs) == 6  # 2 monthly bar charts, 4 daily charts
    daily = specs[2:]
    assert [s["encoding"]["x"]["axis"]["format"] for s in daily] == ["%Y-%m-%d"] * 4
    assert [s["encoding"]["tooltip"][0]["format"] for s in daily] == ["%Y-%m-%d"] * 4
    months = [row["month"] for row in chart_data(capital, 0)]
    assert months[0] == "2025-05" and months[-1] == "2026-10"  # monthly labels are year-month


def test_the_counts_behind_conversion_and_loan_size(capital: AppTest, dashboard_db: Warehouse) -> None:
    conversion = chart_data(capital, 3)
    expected = dashboard_db.query(
        "select metric_date, offers_accepted_30d, offers_delivered_30d from capital.daily_program_metrics "
        "order by metric_date"
    )
    assert [(r["day"].date(), r["accepted"], r["delivered"]) for r in conversion] == expected
    last_day, accepted, delivered = expected[-1]
    assert (
        f"On {last_day}: {accepted} of {delivered} offers first delivered in the 30 days were accepted "
        "within 30 days of delivery."
    ) in [c.value for c in capital.caption]
    # the average loan size: one dot per day that has a loan to average, never a gap of nulls
    loans = chart_data(capital, 5)
    expected_loans = dashboard_db.query(
        "select metric_date, avg_loan_size_7d, financings_paid_out_7d from capital.daily_loan_size "
        "where currency = 'eur' and avg_loan_size_7d is not null order by 1"
    )
    assert len(loans) == len(expected_loans) == 149
    assert [(r["day"].date(), r["financings"]) for r in loans] == [(d, n) for d, _, n in expected_loans]
    assert [r["value"] for r in loans] == pytest.approx([a / 100 for _, a, _ in expected_loans])
    assert _specs(capital)[5]["mark"]["type"] == "circle"
    assert "149 of 547 days" in " ".join(c.value for c in capital.caption)


def test_created_from_after_created_to_is_said(capital: AppTest) -> None:
    import datetime as dt

    capital.date_input(key="offers_from").set_value(dt.date(2026, 2, 1))
    capital.date_input(key="offers_to").set_value(dt.date(2026, 1, 1)).run()
    assert [w.value for w in capital.tabs[1].warning] == [
        "Created from 2026-02-01 is after created to 2026-01-01: no offer can be created in between; "
        "change one of the two dates."
    ]
    assert not [d for d in capital.tabs[1].dataframe if d.key and d.key.startswith("offers_table_")]


def test_the_file_units_are_chosen_with_the_command(capital: AppTest) -> None:
    def command() -> str:
        return next(c.value for c in capital.code if c.value.startswith("scripts/wh export offers"))

    assert "--units" not in command()  # major units: the default
    capital.radio(key="offers_units").set_value("minor").run()
    assert command().endswith(" --units minor")
