"""The dashboard in a real browser: `scripts/wh dashboard` on 127.0.0.1 and a free port, driven
in Debian's headless Chromium (`/usr/bin/chromium`, which `scripts/test` installs) through
Playwright, never a browser download. Each page must show its headline figures, equal to SQL on
the marts, and no error; screenshots go to target/screenshots/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from conftest import ROOT, WH, Warehouse

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that reaches for the network on its own.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = ROOT / "target" / "screenshots"
SYMBOLS = {"eur": "€", "gbp": "£", "usd": "$"}  # seeds/currencies.csv, all exponent 2
OFFER_COLUMNS = (
    "id,account_id,account_name,state,financing_type,created_at,currency,"
    "max_advance_amount,accepted_advance_amount,remaining_balance_amount"
)


def shown(amount: int, currency: str) -> str:
    return f"{Decimal(amount) / 100:,.2f} {SYMBOLS[currency]}"


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(dashboard_db: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("dashboard-server") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(WH), "dashboard", "--port", str(port)],
            env=dict(os.environ, WH_DB=str(dashboard_db.path)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                pass
            assert process.poll() is None, f"wh dashboard exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"wh dashboard did not answer:\n{log.read_text()}"
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    assert CHROMIUM.exists(), "no /usr/bin/chromium: scripts/test installs Debian's chromium"
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user data dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1500, "height": 2400},
            accept_downloads=True,
        )
        context.set_default_timeout(60_000)
        yield context.new_page()
        context.close()


def settle(page: Page) -> None:
    """Wait until the app has finished its run (no 'running' indicator), and charts are drawn."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')", timeout=60_000
    )
    page.wait_for_timeout(1200)


def no_error(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0, "a Streamlit exception box is shown"
    assert page.get_by_test_id("stAlertContentError").count() == 0, page.get_by_test_id(
        "stAlertContentError"
    ).all_inner_texts()


def metric(page: Page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    return card.get_by_test_id("stMetricValue").inner_text()


def test_capital_page_shows_the_topline(page: Page, server: str, dashboard_db: Warehouse) -> None:
    page.goto(server)
    expect(page.get_by_role("heading", name="Capital")).to_be_visible()
    settle(page)
    for stage, label in (("in_progress", "Financing in progress"), ("fully_repaid", "Fully repaid")):
        (amount,) = dashboard_db.query(
            "select amount from capital.topline where stage = ? and currency = 'eur'", stage
        )[0]
        assert metric(page, f"{label} · EUR") == shown(amount, "eur")
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(6)
    no_error(page)
    page.screenshot(path=SHOTS / "capital.png")


def test_offers_export_is_the_cli_export_and_detail(page: Page, server: str, dashboard_db: Warehouse) -> None:
    account, offers = dashboard_db.query(
        "select account_id, count(*) from capital.financing_offers group by 1 order by 2 desc, 1 limit 1"
    )[0]
    page.goto(server)
    page.get_by_role("tab", name="Financing offers").click()
    page.get_by_label("Account ID").fill(account)
    page.get_by_label("Account ID").press("Enter")
    expect(page.get_by_text(f"{offers} offers; select a row")).to_be_visible()
    settle(page)
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").filter(has_text="Export CSV").get_by_role("button").click()
    exported = Path(download.value.path()).read_bytes()
    cli = dashboard_db.run(
        "export", "offers", "--tz", "UTC", "--account", account, "--columns", OFFER_COLUMNS
    )
    assert exported == cli.stdout.encode("utf-8")
    assert exported.count(b"\r\n") == offers + 1

    offer_id, owed = dashboard_db.query(
        "select financing_offer, principal_outstanding_amount + premium_outstanding_amount "
        "from capital.financing_balances where financing_offer in "
        "(select id from capital.financing_offers where state = 'paid_out' and charged_off_at is null "
        "and currency = 'eur') "
        "qualify row_number() over (partition by financing_offer order by effective_date_utc desc) = 1 "
        "order by financing_offer limit 1"
    )[0]
    page.get_by_label("Account ID").fill("")
    page.get_by_label("Offer ID").fill(offer_id)
    page.get_by_label("Offer ID").press("Enter")
    expect(page.get_by_role("heading", name="Offer detail")).to_be_visible()
    settle(page)
    assert metric(page, "Remaining balance") == shown(owed, "eur")
    no_error(page)
    page.screenshot(path=SHOTS / "offer.png")

    page.get_by_role("tab", name="Pending offers").click()
    settle(page)
    pending = dashboard_db.scalar("select count(*) from capital.pending_offers where blocked_reason is null")
    expect(page.get_by_text(f"offer can be created: {pending}")).to_be_visible()
    page.screenshot(path=SHOTS / "pending.png")
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").filter(has_text="eligible accounts").get_by_role(
            "button"
        ).click()
    assert Path(download.value.path()).read_bytes() == dashboard_db.run("export", "eligible").stdout.encode()
    page.get_by_role("tab", name="Platform earnings").click()
    settle(page)
    month, currency = dashboard_db.query(
        "select month, currency from capital.platform_earnings_monthly where difference <> 0"
    )[0]
    expect(
        page.get_by_text(f"differs from the revenue share earned for {month:%Y-%m} {currency.upper()}")
    ).to_be_visible()
    no_error(page)
    page.screenshot(path=SHOTS / "earnings.png")


def test_collections_page_shows_the_collection_totals(
    page: Page, server: str, dashboard_db: Warehouse
) -> None:
    # what the page opens on: the first club (by id), its first collection (by opening)
    name, currency, due, collected, participants = dashboard_db.query(
        "select collection_name, currency, amount_due, amount_collected, participants "
        "from collections.collection_summary order by account_id, opened_at, collection_id limit 1"
    )[0]
    page.goto(server)
    page.get_by_test_id("stSidebarNav").get_by_text("Collections").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    settle(page)
    assert metric(page, "Amount due") == shown(due, currency)
    assert metric(page, "Amount collected") == shown(collected, currency)
    assert metric(page, "Participants") == str(participants)
    no_error(page)
    page.screenshot(path=SHOTS / "collections.png")


def test_docs_page_shows_the_dbt_docs(page: Page, server: str) -> None:
    page.goto(server)
    page.get_by_test_id("stSidebarNav").get_by_text("Data docs").click()
    expect(page.get_by_role("heading", name="Data docs")).to_be_visible()
    docs = page.frame_locator("iframe").first
    # the docs site's overview (models/_overview.md) and its list of exposures
    expect(docs.get_by_role("heading", name="Club payments warehouse")).to_be_visible()
    settle(page)
    no_error(page)
    page.screenshot(path=SHOTS / "docs.png")
