"""The dashboard in a real browser: `scripts/wh dashboard` on 127.0.0.1 and a free port, driven
in Debian's headless Chromium (`/usr/bin/chromium`, which `scripts/test` installs) through
Playwright, never a browser download. Each page must show its headline figures, equal to SQL on
the marts, and no error, on a 1440 px and a 1024 px wide screen, with every key amount inside the
viewport and never cut (`browser.assert_on_screen`, `browser.assert_cards_fit`); screenshots of
each page at 1440 px go to target/screenshots/."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from browser import assert_cards_fit, assert_on_screen, click_row, grid, screenshot, settle
from conftest import WH, Warehouse, free_port

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
SYMBOLS = {"eur": "€", "gbp": "£", "usd": "$"}  # seeds/currencies.csv, all exponent 2
OFFER_COLUMNS = (
    "created_at,state,max_advance_amount,accepted_advance_amount,remaining_balance_amount,"
    "account_name,financing_type,currency,id,account_id"
)
OFFER_AMOUNTS = ["max advance", "accepted advance", "remaining balance"]
WIDTHS = [1440, 1024]


def shown(amount: int | None, currency: str) -> str:
    return "—" if amount is None else f"{Decimal(amount) / 100:,.2f} {SYMBOLS[currency]}"


@pytest.fixture(scope="module")
def server(dashboard_db: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
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
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user data dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=FLAGS,
            viewport={"width": 1440, "height": 1000},
            accept_downloads=True,
        )
        context.set_default_timeout(60_000)
        yield context.new_page()
        context.close()


def open_page(page: Page, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(url)
    settle(page)


def no_error(page: Page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id(
        "stException"
    ).all_inner_texts()
    assert page.get_by_test_id("stAlertContentError").count() == 0, page.get_by_test_id(
        "stAlertContentError"
    ).all_inner_texts()


def metric(page: Page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has=page.get_by_text(label, exact=True))
    return card.get_by_test_id("stMetricValue").inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_capital_page_shows_the_topline(page: Page, server: str, dashboard_db: Warehouse, width: int) -> None:
    open_page(page, server, width)
    expect(page.get_by_role("heading", name="Capital")).to_be_visible()
    for stage, label in (("in_progress", "Financing in progress"), ("fully_repaid", "Fully repaid")):
        (amount,) = dashboard_db.query(
            "select amount from capital.topline where stage = ? and currency = 'eur'", stage
        )[0]
        assert metric(page, f"{label} · EUR") == shown(amount, "eur")
    assert len(assert_cards_fit(page)) == 12  # 4 stages x 3 currencies, none cut
    expect(page.get_by_test_id("stVegaLiteChart")).to_have_count(6)
    no_error(page)
    if width == 1440:
        screenshot(page, "capital.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_offers_table_amounts_are_on_screen(
    page: Page, server: str, dashboard_db: Warehouse, width: int
) -> None:
    open_page(page, server, width)
    page.get_by_role("tab", name="Financing offers").click()
    settle(page)
    newest = dashboard_db.query(
        "select max_advance_amount, accepted_advance_amount, remaining_balance_amount, currency "
        "from capital.financing_offers order by created_at desc, id limit 3"
    )
    texts = assert_on_screen(grid(page, 0, OFFER_AMOUNTS), OFFER_AMOUNTS)
    for row, (offered, accepted, remaining, currency) in enumerate(newest):  # newest first
        assert [texts[t][row] for t in OFFER_AMOUNTS] == [
            shown(a, currency) for a in (offered, accepted, remaining)
        ]
    no_error(page)
    if width == 1440:
        screenshot(page, "offers.png")


def test_a_selected_row_then_a_search_that_matches_nothing(page: Page, server: str) -> None:
    open_page(page, server, 1440)
    page.get_by_role("tab", name="Financing offers").click()
    settle(page)
    click_row(page, 0, 0)
    settle(page)
    expect(page.get_by_role("heading", name="Offer detail")).to_be_visible()
    page.get_by_label("Account ID").fill("acct_matches_nothing")
    page.get_by_label("Account ID").press("Enter")
    settle(page)
    expect(page.get_by_text("0 offers, newest first")).to_be_visible()
    expect(page.get_by_role("heading", name="Offer detail")).to_have_count(0)
    no_error(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_offers_export_is_the_cli_export_and_detail(
    page: Page, server: str, dashboard_db: Warehouse, width: int
) -> None:
    account, offers = dashboard_db.query(
        "select account_id, count(*) from capital.financing_offers group by 1 order by 2 desc, 1 limit 1"
    )[0]
    open_page(page, server, width)
    page.get_by_role("tab", name="Financing offers").click()
    page.get_by_label("Account ID").fill(account)
    page.get_by_label("Account ID").press("Enter")
    expect(page.get_by_text(f"{offers} offers, newest first")).to_be_visible()
    settle(page)
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").filter(has_text="Export CSV").get_by_role("button").click()
    exported = Path(download.value.path()).read_bytes()
    cli = dashboard_db.run(
        "export", "offers", "--tz", "UTC", "--account", account, "--columns", OFFER_COLUMNS
    )
    assert exported == cli.stdout.encode("utf-8")
    assert exported.count(b"\r\n") == offers + 1
    assert b"max_advance_amount (major units of currency)" in exported.split(b"\r\n")[0]

    # a charged-off financing: what it still owed, and its payment activity on screen
    offer_id, owed, payments = dashboard_db.query(
        "select o.id, o.remaining_balance_amount, count(*) from capital.financing_offers as o "
        "inner join capital.connected_account_financing_transactions as t on t.financing_offer = o.id "
        "where o.charged_off_at is not null and o.currency = 'eur' group by all order by o.id limit 1"
    )[0]
    page.get_by_label("Account ID").fill("")
    page.get_by_label("Offer ID").fill(offer_id)
    page.get_by_label("Offer ID").press("Enter")
    expect(page.get_by_role("heading", name="Offer detail")).to_be_visible()
    settle(page)
    assert metric(page, "Owed at charge-off") == shown(owed, "eur")
    expect(page.locator(".stMarkdownBadge", has_text="paid out, charged off")).to_be_visible()
    assert_cards_fit(page)
    activity = assert_on_screen(grid(page, 2, ["advance", "fee", "total"]), ["advance", "fee", "total"])
    assert len(activity["total"]) == payments
    no_error(page)
    if width == 1440:
        screenshot(page, "offer.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_pending_offers_and_earnings(page: Page, server: str, dashboard_db: Warehouse, width: int) -> None:
    open_page(page, server, width)
    page.get_by_role("tab", name="Pending offers").click()
    settle(page)
    pending = dashboard_db.scalar("select count(*) from capital.pending_offers where blocked_reason is null")
    expect(page.get_by_text(f"offer can be created: {pending}")).to_be_visible()
    assert_on_screen(grid(page, 0, ["estimated_advance"]), ["estimated_advance"])
    if width == 1440:
        screenshot(page, "pending.png")
        with page.expect_download() as download:
            page.get_by_test_id("stDownloadButton").filter(has_text="eligible accounts").get_by_role(
                "button"
            ).click()
        exported = Path(download.value.path()).read_bytes()
        assert exported == dashboard_db.run("export", "eligible").stdout.encode()
    page.get_by_role("tab", name="Platform earnings").click()
    settle(page)
    month, currency = dashboard_db.query(
        "select month, currency from capital.platform_earnings_monthly where difference <> 0"
    )[0]
    expect(
        page.get_by_text(f"differs from the revenue share earned for {month:%Y-%m} {currency.upper()}")
    ).to_be_visible()
    assert_on_screen(grid(page, 0, ["earned", "booked", "difference"]), ["earned", "booked", "difference"])
    no_error(page)
    if width == 1440:
        screenshot(page, "earnings.png")


@pytest.mark.parametrize("width", WIDTHS)
def test_collections_platform_and_drill_down(
    page: Page, server: str, dashboard_db: Warehouse, width: int
) -> None:
    collected, earned = dashboard_db.query(
        "select sum(amount_collected), sum(platform_earned_amount) from collections.club_collections_monthly "
        "where currency = 'eur'"
    )[0]
    top_club, top_name = dashboard_db.query(
        "select account_id, coalesce(any_value(account_name), account_id) "
        "from collections.club_collections_monthly where currency = 'eur' "
        "group by 1 order by sum(amount_collected) desc, 1 limit 1"
    )[0]
    open_page(page, server + "/collections", width)
    expect(page.get_by_role("heading", name="Collections")).to_be_visible()
    assert metric(page, "Collected") == shown(int(collected), "eur")
    assert metric(page, "Earned by the platform") == shown(int(earned), "eur")
    assert_cards_fit(page)
    figures = ["collected", "commissions", "tips", "failed", "scheduled", "in transit"]
    assert_on_screen(grid(page, 0, figures), figures)  # per month
    clubs = grid(page, 1, ["club", *figures])
    assert assert_on_screen(clubs, ["club", *figures])["club"][0] == top_name
    no_error(page)
    if width == 1440:
        screenshot(page, "collections.png")
    one = page.get_by_role("tab", name="One collection")
    click_row(page, 1, 0, done=lambda: one.get_attribute("aria-selected") == "true")  # drill down
    first = dashboard_db.query(
        "select collection_name, amount_collected from collections.collection_summary where account_id = ? "
        "order by opened_at, collection_id limit 1",
        top_club,
    )[0]
    expect(page.get_by_role("heading", name=first[0])).to_be_visible()
    assert metric(page, "Amount collected") == shown(first[1], "eur")
    assert_cards_fit(page)
    payers = assert_on_screen(
        grid(page, 1, ["status", "due", "paid", "collected"]), ["status", "due", "paid"]
    )
    assert all(status.startswith("● ") for status in payers["status"])
    no_error(page)
    if width == 1440:
        screenshot(page, "collection.png")


def test_docs_page_shows_the_dbt_docs(page: Page, server: str) -> None:
    open_page(page, server + "/docs", 1440)
    expect(page.get_by_role("heading", name="Data docs")).to_be_visible()
    docs = page.frame_locator("iframe").first
    # the docs site's overview (models/_overview.md) and its list of exposures
    expect(docs.get_by_role("heading", name="Club payments warehouse")).to_be_visible()
    settle(page)
    no_error(page)
    screenshot(page, "docs.png")
