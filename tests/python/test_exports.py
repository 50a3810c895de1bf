"""`scripts/wh export`: filters, time zone, columns, units, formula neutralising, errors (hand-written
data). Offers come newest first; amounts in major units by default (exponents of seeds/currencies.csv:
eur 2, jpy 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Warehouse, write
from events import account, event, offer

OFFER = "capital.financing_offer."


def _ts(text: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(text + "+00:00").timestamp())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    tmp = tmp_path_factory.mktemp("exports")
    a_created = _ts("2026-01-01T23:30:00")  # 2026-01-02 00:30 in Paris
    b_created = _ts("2026-01-01T12:00:00")
    c_created = _ts("2026-01-03T08:00:00")
    j_created = _ts("2026-01-04T08:00:00")
    yen_terms = {
        "advance_amount": 500000,  # ¥500,000: the yen has no minor unit
        "fee_amount": 25000,
        "currency": "jpy",
        "withhold_rate": 0.1,
        "campaign_type": "newly_eligible_user",
        "previous_financing_fee_discount_rate": None,
        "repayment_interval_configuration": None,
    }
    lines = [
        event("evt_1", "account.updated", b_created, account("acct_X", "x@club.fr", "=SUM(A1:A2)")),
        event("evt_2", "account.updated", b_created, account("acct_Y", "y@club.fr", "Club, Y")),
        event("evt_3", "account.updated", b_created, account("acct_Z", None, "@risky")),
        event(
            "evt_4",
            OFFER + "created",
            a_created,
            offer("fo_a", "undelivered", "acct_X", created=a_created, expires_after=a_created + 30 * 86400),
        ),
        event(
            "evt_5",
            OFFER + "delivered",
            a_created + 60,
            offer("fo_a", "delivered", "acct_X", created=a_created, expires_after=a_created + 30 * 86400),
        ),
        event(
            "evt_6",
            OFFER + "created",
            b_created,
            offer("fo_b", "undelivered", "acct_Y", created=b_created, expires_after=b_created + 30 * 86400),
        ),
        event(
            "evt_7",
            OFFER + "created",
            c_created,
            offer(
                "fo_c",
                "undelivered",
                "acct_Y",
                created=c_created,
                expires_after=c_created + 30 * 86400,
                financing_type="flex_loan",
            ),
        ),
        event(
            "evt_8",
            OFFER + "rejected",
            c_created + 60,
            offer(
                "fo_c",
                "rejected",
                "acct_Y",
                created=c_created,
                expires_after=c_created + 30 * 86400,
                financing_type="flex_loan",
            ),
        ),
        event(
            "evt_9",
            OFFER + "rejected",
            j_created,
            offer(
                "fo_j",
                "rejected",
                "acct_W",
                created=j_created,
                expires_after=j_created + 30 * 86400,
                offered_terms=yen_terms,
            ),
        ),
    ]
    write(tmp / "landing", "capital_events.ndjson", "\n".join(lines) + "\n")
    write(
        tmp / "landing",
        "capital_eligibility.csv",
        "as_of_date,account_id,is_eligible,estimated_advance_amount,currency\n"
        "2026-01-10,acct_X,true,500000,eur\n"
        "2026-01-10,acct_Z,true,250000,eur\n"
        "2026-01-10,acct_Y,false,,\n"
        "2026-01-09,acct_Y,true,100000,eur\n",
    )
    warehouse = Warehouse(Path(tmp) / "warehouse.duckdb")
    warehouse.run("land", str(tmp / "landing"))
    warehouse.run("build", "--as-of", "2026-01-10")
    return warehouse


def _csv(warehouse: Warehouse, *args: str) -> str:
    return warehouse.run("export", *args).stdout


def test_time_zone_moves_a_late_evening_offer_to_the_next_day(built: Warehouse) -> None:
    paris = _csv(
        built,
        "offers",
        "--tz",
        "Europe/Paris",
        "--from",
        "2026-01-02",
        "--to",
        "2026-01-02",
        "--columns",
        "id,created_at",
    )
    assert paris == "id,created_at\r\nfo_a,2026-01-02T00:30:00+01:00\r\n"
    utc = _csv(built, "offers", "--from", "2026-01-02", "--to", "2026-01-02", "--columns", "id,created_at")
    assert utc == "id,created_at\r\n"
    utc_day_before = _csv(built, "offers", "--to", "2026-01-01", "--columns", "id,created_at")
    assert utc_day_before == (  # newest first, as the dashboard's table
        "id,created_at\r\nfo_a,2026-01-01T23:30:00+00:00\r\nfo_b,2026-01-01T12:00:00+00:00\r\n"
    )


def test_filters_are_the_tables(built: Warehouse) -> None:
    assert _csv(built, "offers", "--status", "delivered", "--columns", "id") == "id\r\nfo_a\r\n"
    assert _csv(built, "offers", "--account", "acct_Y", "--columns", "id,state") == (
        "id,state\r\nfo_c,rejected\r\nfo_b,undelivered\r\n"
    )
    assert _csv(built, "offers", "--offer", "fo_c", "--columns", "id") == "id\r\nfo_c\r\n"
    assert _csv(built, "offers", "--financing-type", "flex_loan", "--columns", "id") == "id\r\nfo_c\r\n"
    assert _csv(
        built, "offers", "--financing-type", "cash_advance", "--account", "acct_Y", "--columns", "id"
    ) == ("id\r\nfo_b\r\n")
    # a filter value is a value, never SQL
    assert _csv(built, "offers", "--account", "acct_Y' or '1'='1", "--columns", "id") == "id\r\n"


def test_columns_are_chosen_and_ordered_and_text_is_quoted(built: Warehouse) -> None:
    # 100000 cents = 1000.00 euros; the currency the amount is in comes along (last)
    out = _csv(built, "offers", "--account", "acct_Y", "--columns", "account_name,id,max_advance_amount")
    assert out == (
        "account_name,id,max_advance_amount (major units of currency),currency\r\n"
        '"Club, Y",fo_c,1000.00,eur\r\n"Club, Y",fo_b,1000.00,eur\r\n'
    )


def test_amounts_in_major_units_of_each_currency_or_minor_on_request(built: Warehouse) -> None:
    columns = "id,currency,max_advance_amount,max_premium_amount,accepted_advance_amount"
    major = _csv(built, "offers", "--status", "rejected", "--columns", columns)
    assert major == (
        "id,currency,max_advance_amount (major units of currency),max_premium_amount (major units of "
        "currency),accepted_advance_amount (major units of currency)\r\n"
        "fo_j,jpy,500000,25000,\r\n"  # yen: exponent 0
        "fo_c,eur,1000.00,100.00,\r\n"  # 100000 and 10000 cents; never accepted: empty
    )
    minor = _csv(built, "offers", "--status", "rejected", "--columns", columns, "--units", "minor")
    assert minor == (
        "id,currency,max_advance_amount,max_premium_amount,accepted_advance_amount\r\n"
        "fo_j,jpy,500000,25000,\r\nfo_c,eur,100000,10000,\r\n"
    )
    # without an amount column the file is what was asked, in either unit
    assert (
        _csv(built, "offers", "--offer", "fo_j", "--columns", "id,state") == "id,state\r\nfo_j,rejected\r\n"
    )


def test_a_filter_that_can_match_nothing_is_an_error_not_an_empty_file(built: Warehouse) -> None:
    # what a person types for a state works: "paid out" is paid_out, "Rejected" is rejected
    assert _csv(built, "offers", "--status", "Rejected", "--columns", "id") == "id\r\nfo_j\r\nfo_c\r\n"
    assert _csv(built, "offers", "--financing-type", "flex loan", "--columns", "id") == "id\r\nfo_c\r\n"
    pending = built.run("export", "offers", "--status", "pending", check=False)
    assert (pending.returncode, pending.stdout) == (1, "")
    assert pending.stderr == (
        "error: --status 'pending' is not an offer state; use one of undelivered, delivered, accepted, "
        "paid_out, fully_repaid, rejected, canceled, expired, replaced; pending offers are in "
        "capital.pending_offers (`scripts/wh export eligible`).\n"
    )
    kind = built.run("export", "offers", "--financing-type", "loan", check=False)
    assert (kind.returncode, kind.stderr) == (
        1,
        "error: --financing-type 'loan' is not a financing type; "
        "use one of flex_loan, fixed_term_loan, cash_advance.\n",
    )
    backwards = built.run("export", "offers", "--from", "2026-01-05", "--to", "2026-01-01", check=False)
    assert (backwards.returncode, backwards.stdout) == (1, "")
    assert backwards.stderr == "error: --from 2026-01-05 is after --to 2026-01-01: no day is in between.\n"
    # a filter that legitimately matches nothing still writes the header, and says so
    none = built.run("export", "offers", "--account", "acct_nobody", "--columns", "id")
    assert (none.stdout, none.stderr) == (
        "id\r\n",
        "notice: no offer matches the filters; the file has its header only.\n",
    )


def test_formulas_are_neutralised(built: Warehouse) -> None:
    out = _csv(built, "offers", "--offer", "fo_a", "--columns", "id,account_name")
    assert out == "id,account_name\r\nfo_a,'=SUM(A1:A2)\r\n"


def test_unknown_column_and_zone_are_one_line_errors(built: Warehouse) -> None:
    result = built.run("export", "offers", "--columns", "id,secret", check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: --columns: secret is not a column of capital.financing_offers.\n"
    result = built.run("export", "offers", "--tz", "Europe/Atlantis", check=False)
    assert result.returncode == 1
    assert (
        result.stderr == "error: --tz 'Europe/Atlantis' is not a known time zone (e.g. UTC, Europe/Paris).\n"
    )


def test_eligible_accounts_on_the_as_of_date(built: Warehouse, tmp_path: Path) -> None:
    target = tmp_path / "eligible.csv"
    built.run("export", "eligible", "--out", str(target))
    assert target.read_bytes().decode() == (  # 500000 and 250000 cents
        "account_id,account_name,email,estimated_advance_amount (major units of currency),currency,"
        "has_pending_offer,blocked_reason\r\n"
        "acct_X,'=SUM(A1:A2),x@club.fr,5000.00,eur,false,\r\n"
        "acct_Z,'@risky,,2500.00,eur,true,no_valid_email\r\n"
    )
    minor = built.run("export", "eligible", "--units", "minor").stdout
    assert minor.split("\r\n")[1:3] == [
        "acct_X,'=SUM(A1:A2),x@club.fr,500000,eur,false,",
        "acct_Z,'@risky,,250000,eur,true,no_valid_email",
    ]


def test_out_to_a_missing_folder_or_a_full_disk_is_one_sentence_and_leaves_nothing(
    built: Warehouse, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere" / "eligible.csv"
    result = built.run("export", "eligible", "--out", str(missing), check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"error: --out {missing}: the folder {missing.parent} does not exist.\n"
    # /dev/full: every write fails as on a full disk (ENOSPC)
    result = built.run("export", "offers", "--out", "/dev/full", check=False)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "error: --out /dev/full: cannot be written (No space left on device).\n"
    # a failed export leaves no file behind, and an existing file as it was
    kept = tmp_path / "offers.csv"
    kept.write_text("yesterday's export\n")
    result = built.run("export", "offers", "--columns", "id,secret", "--out", str(kept), check=False)
    assert result.returncode == 1
    assert kept.read_text() == "yesterday's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["offers.csv"]
    built.run("export", "offers", "--columns", "id", "--out", str(kept))
    assert kept.read_bytes() == b"id\r\nfo_j\r\nfo_c\r\nfo_a\r\nfo_b\r\n"  # newest first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["offers.csv"]


def test_every_cell_a_spreadsheet_reads_as_a_formula_is_neutralised() -> None:
    from zoneinfo import ZoneInfo

    from warehouse.export import cell

    texts = ["\tcmd|' /C calc'!A0", "\r=1+1", "=1+1", "+1", "-1", "@SUM(A1)", "Club A"]
    assert [cell(text, ZoneInfo("UTC")) for text in texts] == [
        "'\tcmd|' /C calc'!A0",
        "'\r=1+1",
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "Club A",
    ]
