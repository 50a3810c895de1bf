"""The dashboard's pages under Streamlit's own test harness (AppTest), on a generated warehouse.

Every expected figure comes from SQL on the marts (or the generator's known scenarios), and
amounts are formatted here by hand (euro: exponent 2, symbol €, as seeds/currencies.csv says),
never through the dashboard's own code.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shlex
import shutil
import socket
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT, Warehouse

APP = ROOT / "scripts" / "warehouse" / "dashboard" / "app.py"


def eur(amount: int) -> str:
    return f"{Decimal(amount) / 100:,.2f} €"


def usd(amount: int) -> str:
    return f"{Decimal(amount) / 100:,.2f} $"


def open_app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("WH_DB", str(db))
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    if page:
        app.switch_page(page).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def chart_data(app: AppTest, index: int) -> list[dict]:
    """The rows a chart draws (its dataset, as Streamlit sends it to the browser)."""
    chart = app.get("vega_lite_chart")[index].proto
    assert len(chart.datasets) == 1
    return pa.ipc.open_stream(chart.datasets[0].data.data).read_all().to_pylist()


def offers_table(app: AppTest):
    """The offers table of the "Financing offers" tab (its key changes with the filters)."""
    (table,) = [d for d in app.tabs[1].dataframe if d.key and d.key.startswith("offers_table_")]
    return table


@pytest.fixture
def capital(dashboard_db: Warehouse, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_app(dashboard_db.path, monkeypatch)


def test_topline_cards_are_the_topline_mart(capital: AppTest, dashboard_db: Warehouse) -> None:
    rows = dashboard_db.query(
        "select stage, currency, amount, offer_count, account_count from capital.topline"
    )
    assert len(rows) == 12  # 4 stages x eur, gbp, usd
    shown = metrics(capital)
    amount, offers, accounts = dashboard_db.query(
        "select amount, offer_count, account_count from capital.topline "
        "where stage = 'in_progress' and currency = 'eur'"
    )[0]
    assert shown["Financing in progress · EUR"] == eur(amount)
    assert f"{offers} offers · {accounts} accounts" in [c.value for c in capital.caption]
    (pending_usd,) = dashboard_db.query(
        "select amount from capital.topline where stage = 'pending_offers' and currency = 'usd'"
    )[0]
    assert shown["Pending offers · USD"] == usd(pending_usd)


def test_monthly_chart_draws_originated_amounts(capital: AppTest, dashboard_db: Warehouse) -> None:
    assert capital.selectbox(key="chart_currency").value == "eur"
    expected = [
        {"month": month.strftime("%Y-%m"), "originated": float(Decimal(amount) / 100)}
        for month, amount in dashboard_db.query(
            "select month, originated_amount from capital.monthly_financing "
            "where currency = 'eur' order by month"
        )
    ]
    drawn = [{"month": r["month"], "originated": r["originated"]} for r in chart_data(capital, 0)]
    assert drawn == expected
    assert sum(r["originated"] for r in drawn) > 0


def test_date_range_picker_narrows_the_daily_charts(capital: AppTest, dashboard_db: Warehouse) -> None:
    start, end = dt.date(2026, 9, 1), dt.date(2026, 9, 30)
    capital.date_input(key="daily_range").set_value((start, end)).run()
    expected = dashboard_db.query(
        "select metric_date, adoption_rate from capital.daily_program_metrics "
        "where metric_date between ? and ? order by 1",
        start,
        end,
    )
    adoption = chart_data(capital, 2)  # after the two monthly bar charts
    assert len(adoption) == len(expected) == 30
    assert [r["day"].date() for r in adoption] == [d for d, _ in expected]
    assert [r["value"] for r in adoption] == pytest.approx([float(rate) * 100 for _, rate in expected])


def _created_days(db: Warehouse, tz: str) -> list[tuple[str, str, str, dt.date]]:
    rows = db.query("select id, state, financing_type, created_at from capital.financing_offers")
    zone = ZoneInfo(tz)
    return [(i, s, f, created.replace(tzinfo=dt.UTC).astimezone(zone).date()) for i, s, f, created in rows]


def test_filtered_offers_table_and_its_export_command(capital: AppTest, dashboard_db: Warehouse) -> None:
    capital.selectbox(key="tz").set_value("Pacific/Auckland")
    capital.selectbox(key="offers_status").set_value("fully_repaid")
    capital.date_input(key="offers_from").set_value(dt.date(2025, 9, 1))
    capital.run()
    expected = sorted(
        i
        for i, state, _, day in _created_days(dashboard_db, "Pacific/Auckland")
        if state == "fully_repaid" and day >= dt.date(2025, 9, 1)
    )
    table = offers_table(capital).value
    assert (
        0
        < len(table)
        < dashboard_db.scalar("select count(*) from capital.financing_offers where state = 'fully_repaid'")
    )
    assert sorted(table["id"]) == expected
    assert any(c.value.startswith(f"{len(expected)} offers, newest first;") for c in capital.caption)
    command = next(c.value for c in capital.code if c.value.startswith("scripts/wh export offers"))
    assert command.startswith(
        "scripts/wh export offers --tz Pacific/Auckland --from 2025-09-01 --status fully_repaid "
        "--columns created_at,state,max_advance_amount,"
    )
    # the command the page shows writes the same rows
    args = shlex.split(command)[1:]
    exported = list(csv.DictReader(io.StringIO(dashboard_db.run(*args).stdout)))
    assert sorted(row["id"] for row in exported) == expected


def test_offer_detail_shows_the_remaining_balance(capital: AppTest, dashboard_db: Warehouse) -> None:
    offer_id, owed, last_day = dashboard_db.query(
        "select b.financing_offer, b.principal_outstanding_amount + b.premium_outstanding_amount, "
        "b.effective_date_utc from capital.financing_balances as b "
        "inner join capital.financing_offers as o on o.id = b.financing_offer "
        "where o.state = 'paid_out' and o.charged_off_at is null and o.currency = 'eur' "
        "qualify row_number() over (partition by b.financing_offer order by b.effective_date_utc desc) = 1 "
        "order by b.financing_offer limit 1"
    )[0]
    assert owed > 0
    capital.text_input(key="offers_offer").set_value(offer_id).run()
    assert metrics(capital)["Remaining balance"] == eur(owed)
    assert offer_id in [c.value for c in capital.code]
    balance = chart_data(capital, -1)
    assert balance[-1]["day"].date() == last_day
    assert balance[-1]["value"] == pytest.approx(owed / 100)
    payments = dashboard_db.scalar(
        f"select count(*) from capital.connected_account_financing_transactions "
        f"where financing_offer = '{offer_id}'"
    )
    assert any(m.value == f"**Payment activity** ({payments})" for m in capital.markdown)


def test_pending_offers_and_the_earnings_difference(capital: AppTest, dashboard_db: Warehouse) -> None:
    pending = dashboard_db.query("select account_id, blocked_reason from capital.pending_offers")
    table = capital.tabs[2].dataframe[0].value  # the "Pending offers" tab
    assert sorted(table["account_id"]) == sorted(a for a, _ in pending)
    blocked = sum(1 for _, reason in pending if reason == "deny_listed")
    assert f":red-badge[deny-listed: {blocked}]" in " ".join(m.value for m in capital.markdown)
    # the generator books one month-currency 150 off (the reconciliation's known finding)
    (month, currency, difference) = dashboard_db.query(
        "select month, currency, difference from capital.platform_earnings_monthly where difference <> 0"
    )[0]
    assert difference == 150
    label = f"{month:%Y-%m} {currency.upper()}"
    assert any(label in w.value for w in capital.warning)
    earnings = capital.tabs[3].dataframe[0].value  # the "Platform earnings" tab
    row = earnings[(earnings["month"] == f"{month:%Y-%m}") & (earnings["currency"] == currency.upper())]
    symbol = {"eur": "€", "gbp": "£", "usd": "$"}[currency]  # seeds/currencies.csv
    assert list(row["difference"]) == [f"1.50 {symbol}"]


def test_collection_totals_are_collection_summary(
    dashboard_db: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    club, collection, name = dashboard_db.query(
        "select account_id, collection_id, collection_name from collections.collection_summary "
        "where currency = 'eur' and fee_model = 'club_commission' "
        "and amount_scheduled > 0 and participants_unpaid > 0 "
        "order by collection_id limit 1"
    )[0]
    app = open_app(dashboard_db.path, monkeypatch, "pages/collections_page.py")
    app.selectbox(key="club").set_value(club).run()
    app.selectbox(key=f"collection_{club}").set_value(collection).run()
    assert not app.exception
    assert app.subheader[0].value == name
    due, paid, collected, fee, scheduled, participants, payers = dashboard_db.query(
        "select amount_due, amount_paid, amount_collected, fee_amount, amount_scheduled, "
        "participants, payers from collections.collection_summary where collection_id = ?",
        collection,
    )[0]
    # the summary adds up to the payers' own rows
    assert (paid, collected, fee) == dashboard_db.query(
        "select sum(amount_paid), sum(amount_collected), sum(fee_amount) from collections.payers "
        "where collection_id = ?",
        collection,
    )[0]
    shown = metrics(app)
    assert shown["Amount due"] == eur(due)
    assert shown["Amount paid"] == eur(paid)
    assert shown["Amount collected"] == eur(collected)
    assert shown["Fees"] == eur(fee)
    assert shown["Scheduled"] == eur(scheduled)
    assert (shown["Participants"], shown["Payers"]) == (str(participants), str(payers))
    people, payer_rows, transactions, transfers = (table.value for table in app.tabs[1].dataframe)
    assert (len(people), len(payer_rows)) == (participants, payers)
    forms = dict(
        dashboard_db.query(
            "select form_status, count(*) from collections.participants where collection_id = ? group by 1",
            collection,
        )
    )
    assert people["form"].value_counts().to_dict() == {f"● {k}": v for k, v in forms.items()}
    assert (people["status"] == "● unpaid").sum() == dashboard_db.scalar(
        f"select participants_unpaid from collections.collection_summary where collection_id = '{collection}'"
    )
    assert len(transactions) == dashboard_db.scalar(
        f"select count(*) from collections.transactions where collection_id = '{collection}'"
    )
    assert len(transfers) == dashboard_db.scalar(
        f"select count(*) from collections.transfers where account_id = '{club}'"
    )


def test_docs_page_embeds_the_docs_site(dashboard_db: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(dashboard_db.path, monkeypatch, "pages/docs_page.py")
    assert app.title[0].value == "Data docs"
    assert app.get("iframe"), "the docs page is embedded"
    html = dashboard_db.path.with_name("warehouse.docs.html").read_text(encoding="utf-8")
    assert "exposure.club_warehouse.dashboard" in html


def test_a_newly_published_file_is_read_on_the_next_run(
    dashboard_db: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    published = tmp_path / "warehouse.duckdb"
    shutil.copyfile(dashboard_db.path, published)
    app = open_app(published, monkeypatch)
    before = metrics(app)["Fully repaid · EUR"]
    tonight = tmp_path / "warehouse.duckdb.nightly"
    shutil.copyfile(published, tonight)
    with duckdb.connect(str(tonight)) as con:
        con.execute(
            "update capital.topline set amount = 123456 where stage = 'fully_repaid' and currency = 'eur'"
        )
    os.replace(tonight, published)  # as the nightly run publishes
    app.run()
    assert before != eur(123456)
    assert metrics(app)["Fully repaid · EUR"] == eur(123456)


def test_no_warehouse_is_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WH_DB", str(tmp_path / "missing.duckdb"))
    app = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        f"{tmp_path / 'missing.duckdb'}: no warehouse here yet; run `scripts/wh demo` or `scripts/wh build`."
    ]


def test_wh_dashboard_errors_are_one_sentence(tmp_path: Path, dashboard_db: Warehouse) -> None:
    missing = Warehouse(tmp_path / "missing.duckdb").run("dashboard", check=False)
    assert missing.returncode == 1
    assert missing.stderr == (
        f"error: {tmp_path / 'missing.duckdb'}: no warehouse here yet; "
        "run `scripts/wh demo` or `scripts/wh build`.\n"
    )
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        busy = dashboard_db.run("dashboard", "--port", str(port), check=False)
    assert busy.returncode == 1
    assert busy.stderr == f"error: --port {port} on 127.0.0.1 is already in use.\n"
