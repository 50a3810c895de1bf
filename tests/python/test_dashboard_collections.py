"""The Collections page under AppTest on hand-written files (values worked out by hand): the
platform's totals per month and per club, with the clubs' names from the provider's
`account.updated` events, and the drill-down from a club into its collections.

Club A (`acct_A`): a tip-model collection (10000 paid on Jan 10 with a 200 tip, 5000 failed on
Feb 5) and a 1.3 % commission collection (10000 paid on Feb 20: 130 commission, 9870 collected;
5000 due on Apr 15). Club B (`acct_B`): 20000 paid on Feb 1 with a 500 tip. A club the provider
never reported (`acct_C`) collected 3000 pence on Mar 1. Transfers: 10000 to A sent Jan 12 and
delivered Jan 14; 20000 to B sent Feb 28, still in transit. As of 2026-03-31, UTC months.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import Warehouse, write
from events import T0, account, event
from test_dashboard import open_app

Z = "T10:00:00Z"
FILES = {
    "collections.csv": (
        "collection_id,account_id,name,kind,fee_model,commission_rate,currency,opened_at,closes_at\n"
        "c_a_members,acct_A,Adhésions 2026,membership,tip,,eur,2026-01-01T00:00:00Z,\n"
        "c_a_camp,acct_A,Stage d'hiver,activity_registration,club_commission,0.013,eur,"
        "2026-01-05T00:00:00Z,\n"
        "c_b_members,acct_B,Cotisations,membership,tip,,eur,2026-01-01T00:00:00Z,\n"
        "c_c_kit,acct_C,Maillots,equipment_preorder,tip,,gbp,2026-01-01T00:00:00Z,\n"
    ),
    "rates.csv": (
        "rate_id,collection_id,label,amount\n"
        "r_a,c_a_members,Adultes,15000\nr_camp,c_a_camp,Stage,15000\n"
        "r_b,c_b_members,Adultes,20000\nr_c,c_c_kit,Maillot,3000\n"
    ),
    "participants.csv": (
        "participant_id,collection_id,rate_id,first_name,last_name,email,is_guest,has_parent_account,"
        "member_id,form_first_viewed_at,form_completed_at,created_at,updated_at\n"
        f"p_a,c_a_members,r_a,Ana,Arnaud,ana@example.fr,false,false,,,,2026-01-02{Z},2026-01-02{Z}\n"
        f"p_camp,c_a_camp,r_camp,Camille,Roux,camille@example.fr,false,false,,,,2026-01-06{Z},2026-01-06{Z}\n"
        f"p_b,c_b_members,r_b,Bruno,Blanc,bruno@example.fr,false,false,,,,2026-01-02{Z},2026-01-02{Z}\n"
        f"p_c,c_c_kit,r_c,Chloé,Clément,chloe@example.fr,false,false,,,,2026-01-02{Z},2026-01-02{Z}\n"
    ),
    "payers.csv": (
        "payer_id,collection_id,first_name,last_name,email,created_at\n"
        f"py_a,c_a_members,Ana,Arnaud,ana@example.fr,2026-01-02{Z}\n"
        f"py_camp,c_a_camp,Camille,Roux,camille@example.fr,2026-01-06{Z}\n"
        f"py_b,c_b_members,Bruno,Blanc,bruno@example.fr,2026-01-02{Z}\n"
        f"py_c,c_c_kit,Chloé,Clément,chloe@example.fr,2026-01-02{Z}\n"
    ),
    "transactions.csv": (
        "transaction_id,collection_id,payer_id,amount,tip_amount,status,scheduled_for,paid_at,failed_at,"
        "installment_number,installment_count,updated_at\n"
        f"t_a1,c_a_members,py_a,10000,200,paid,2026-01-10,2026-01-10{Z},,1,2,2026-01-10{Z}\n"
        f"t_a2,c_a_members,py_a,5000,0,failed,2026-02-05,,2026-02-05{Z},2,2,2026-02-05{Z}\n"
        f"t_camp1,c_a_camp,py_camp,10000,0,paid,2026-02-20,2026-02-20{Z},,1,2,2026-02-20{Z}\n"
        f"t_camp2,c_a_camp,py_camp,5000,0,upcoming,2026-04-15,,,2,2,2026-02-20{Z}\n"
        f"t_b1,c_b_members,py_b,20000,500,paid,2026-02-01,2026-02-01{Z},,1,1,2026-02-01{Z}\n"
        f"t_c1,c_c_kit,py_c,3000,0,paid,2026-03-01,2026-03-01{Z},,1,1,2026-03-01{Z}\n"
    ),
    "transaction_participants.csv": (
        "transaction_id,participant_id\nt_a1,p_a\nt_a2,p_a\nt_camp1,p_camp\nt_camp2,p_camp\nt_b1,p_b\nt_c1,p_c\n"
    ),
    "transfers.csv": (
        "transfer_id,account_id,amount,currency,status,sent_at,delivered_at,updated_at\n"
        f"tr_a,acct_A,10000,eur,delivered,2026-01-12{Z},2026-01-14{Z},2026-01-14{Z}\n"
        f"tr_b,acct_B,20000,eur,sent,2026-02-28{Z},,2026-02-28{Z}\n"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    tmp = tmp_path_factory.mktemp("platform")
    for name, text in FILES.items():
        write(tmp / "landing", name, text)
    events = [
        event("evt_a", "account.updated", T0, account("acct_A", "a@club.fr", "Club A")),
        event("evt_b", "account.updated", T0, account("acct_B", "b@club.fr", "Club B")),
    ]
    write(tmp / "landing", "capital_events.ndjson", "\n".join(events) + "\n")
    warehouse = Warehouse(Path(tmp) / "warehouse.duckdb")
    warehouse.run("land", str(tmp / "landing"))
    warehouse.run("build", "--as-of", "2026-03-31")
    return warehouse


@pytest.fixture
def page(built: Warehouse, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_app(built.path, monkeypatch, "pages/collections_page.py")


def platform(app: AppTest) -> dict[str, str]:
    """The platform's cards (the "All clubs" tab's)."""
    return {m.label: m.value for m in app.tabs[0].metric}


def _clubs(app: AppTest):
    (table,) = [d for d in app.tabs[0].dataframe if d.key and d.key.startswith("platform_clubs_")]
    return table


def test_the_platform_in_euros_all_months(page: AppTest) -> None:
    assert platform(page) == {
        "Collected": "398.70 €",  # 10000 + 9870 + 20000 cents
        "Commissions": "1.30 €",  # 1.3 % of 10000
        "Tips": "7.00 €",  # 200 + 500
        "Earned by the platform": "8.30 €",
        "Failed": "50.00 €",
        "Scheduled": "50.00 €",  # due Apr 15, after the as-of date
        "In transit": "200.00 €",
    }
    months = page.tabs[0].dataframe[0].value
    assert list(months["month"]) == ["2026-03", "2026-02", "2026-01"]  # every month to the as-of date
    assert list(months["collected"]) == ["0.00 €", "298.70 €", "100.00 €"]
    assert list(months["commissions"]) == ["0.00 €", "1.30 €", "0.00 €"]
    assert list(months["tips"]) == ["0.00 €", "5.00 €", "2.00 €"]
    assert list(months["failed"]) == ["0.00 €", "50.00 €", "0.00 €"]
    assert list(months["in transit"]) == ["0.00 €", "200.00 €", "0.00 €"]
    assert list(months["clubs"]) == [0, 2, 1]
    assert "Scheduled after 2026-03: 50.00 € due in the 1 month to come (to 2026-04)." in [
        c.value for c in page.tabs[0].caption
    ]
    clubs = _clubs(page).value
    assert list(clubs["club"]) == ["Club B", "Club A"]  # by amount collected
    assert list(clubs["collected"]) == ["200.00 €", "198.70 €"]
    assert list(clubs["commissions"]) == ["0.00 €", "1.30 €"]
    assert list(clubs["scheduled"]) == ["0.00 €", "50.00 €"]
    assert list(clubs["in transit"]) == ["200.00 €", "0.00 €"]


def test_one_month_and_another_currency(page: AppTest) -> None:
    import datetime as dt

    page.selectbox(key="platform_month").set_value(dt.date(2026, 2, 1)).run()
    assert platform(page)["Collected"] == "298.70 €"
    clubs = _clubs(page).value
    assert list(zip(clubs["club"], clubs["collected"], clubs["failed"], strict=True)) == [
        ("Club B", "200.00 €", "0.00 €"),
        ("Club A", "98.70 €", "50.00 €"),
    ]
    page.selectbox(key="platform_month").set_value("all")
    page.selectbox(key="platform_currency").set_value("gbp").run()
    assert platform(page)["Collected"] == "30.00 £"
    # a club the provider never reported goes by its account ID
    assert list(_clubs(page).value["club"]) == ["acct_C"]


def test_a_club_opens_its_collections(page: AppTest) -> None:
    page.session_state[_clubs(page).key] = {"selection": {"rows": [1], "columns": [], "cells": []}}  # Club A
    page.run()
    assert page.session_state["collections_tab"] == "One collection"
    club = page.selectbox(key="club")
    assert club.value == "acct_A"
    assert club.options == [
        "Club A · acct_A (2 collections)",
        "Club B · acct_B (1 collection)",
        "— · acct_C (1 collection)",
    ]
    assert page.subheader[0].value == "Adhésions 2026"  # its first collection, by opening
    transactions = page.tabs[1].dataframe[2].value.set_index("transaction_id")
    # a failed transaction collected nothing; a paid one its amount (tip model: no fee)
    assert list(transactions.loc["t_a2", ["status", "amount", "collected", "fee", "tip"]]) == [
        "● failed",
        "50.00 €",
        "—",
        "—",
        "—",
    ]
    assert list(transactions.loc["t_a1", ["status", "amount", "collected", "fee", "tip"]]) == [
        "● paid",
        "100.00 €",
        "100.00 €",
        "0.00 €",
        "2.00 €",
    ]
    payers = page.tabs[1].dataframe[1].value
    assert list(payers["status"]) == ["● failed"]  # 100.00 paid of 150.00 due, one failed
