"""`scripts/wh offer` and the Sigma tables on hand-written events (values worked out by hand)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, Warehouse, write
from events import T0, event, lifecycle_events, offer, transaction

CHARGED_OFF_AT = T0 + 2 * 86400 + 12 * 3600  # 2026-01-03 12:00 UTC


def charged_off_events() -> list[str]:
    """financingoffer_3 of acct_A, without a financing type or product type: paid out 500.00 + 50.00
    on Jan 1, repaid 200.00 + 20.00 on Jan 2, charged off on Jan 3 12:00 UTC (a second `paid_out`
    event carrying `charged_off_at`): its state stays `paid_out` and it still owed 330.00."""
    terms = {
        "advance_amount": 50000,
        "fee_amount": 5000,
        "currency": "eur",
        "withhold_rate": 0.1,
        "previous_financing_fee_discount_amount": None,
        "previous_financing_fee_discount_rate": None,
        "repayment_interval_configuration": None,
    }
    fields = {"financing_type": None, "product_type": None, "accepted_terms": terms}
    paid_out = offer("financingoffer_3", "paid_out", **fields)
    payout = transaction("cptxn_31", "financingoffer_3", "payout", 50000, 5000)
    payment = transaction("cptxn_32", "financingoffer_3", "payment", 20000, 2000, reason="collection")
    payment["created_at"] = T0 + 86400 + 600
    o = "capital.financing_offer."
    return [
        event("evt_o31", o + "created", T0 + 10, offer("financingoffer_3", "undelivered", **fields)),
        event("evt_o32", o + "paid_out", T0 + 30, paid_out),
        event("evt_t31", "capital.financing_transaction.created", T0 + 30, payout),
        event("evt_t32", "capital.financing_transaction.created", T0 + 86400 + 600, payment),
        event("evt_o33", o + "paid_out", CHARGED_OFF_AT, {**paid_out, "charged_off_at": CHARGED_OFF_AT}),
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    tmp = tmp_path_factory.mktemp("offer")
    payment = transaction(
        "cptxn_2", "financingoffer_1", "payment", 30000, 3000, reason="automatic_withholding"
    )
    payment["created_at"] = T0 + 86400 + 3600  # 2026-01-02 01:00 UTC
    lines = [
        *lifecycle_events(),
        event("evt_t16", "capital.financing_transaction.created", T0 + 86400 + 3600, payment),
        *charged_off_events(),
    ]
    write(tmp / "landing", "capital_events.ndjson", "\n".join(lines) + "\n")
    write(
        tmp / "landing",
        "offer_email_events.csv",
        "event_id,financing_offer,account_id,type,occurred_at\n"
        "em1,financingoffer_1,acct_A,sent,2026-01-01T00:00:15Z\n"
        "em2,financingoffer_1,acct_A,opened,2026-01-01T01:00:15+01:00\n",
    )
    warehouse = Warehouse(Path(tmp) / "warehouse.duckdb")
    warehouse.run("land", str(tmp / "landing"))
    warehouse.run("build", "--as-of", "2026-01-05")
    return warehouse


def test_balances_run_from_payout_day_to_the_as_of_date(built: Warehouse) -> None:
    # payout 1000.00 + 100.00 on Jan 1; payment 300.00 + 30.00 on Jan 2; as of Jan 5
    assert built.query(
        "select cast(effective_date_utc as varchar), principal_outstanding_amount, "
        "premium_outstanding_amount, repaid_amount from capital.financing_balances "
        "where financing_offer = 'financingoffer_1' order by 1"
    ) == [
        ("2026-01-01", 100000, 10000, 0),
        ("2026-01-02", 70000, 7000, 33000),
        ("2026-01-03", 70000, 7000, 33000),
        ("2026-01-04", 70000, 7000, 33000),
        ("2026-01-05", 70000, 7000, 33000),
    ]


def test_offer_detail_in_a_terminal(built: Warehouse) -> None:
    out = built.run("offer", "financingoffer_1").stdout
    assert "  status            paid_out\n" in out
    assert "  created           2026-01-01 00:00 UTC\n" in out
    assert "remaining balance 770.00 € (principal 700.00 €, premium 70.00 €)" in out
    assert "Email engagement (2)\n  2026-01-01 00:00 UTC  sent\n  2026-01-01 00:00 UTC  opened\n" in out
    assert "Payment activity (2)" in out
    assert "payment   automatic_withholding" in out
    assert "  payout    —    " in out  # a payout without a reason: the dash, as every missing value


def test_a_charged_off_financing_says_so(built: Warehouse) -> None:
    # 550.00 owed at payout, 220.00 repaid: 300.00 principal + 30.00 premium owed when charged off
    out = built.run("offer", "financingoffer_3").stdout
    assert (
        "  status            paid_out\n"
        "                    charged off on 2026-01-03 12:00 UTC: no longer in progress, "
        "330.00 € still owed then\n"
    ) in out
    assert "  type              — / —\n" in out  # null financing and product types
    assert "  owed at charge-off 330.00 € (principal 300.00 €, premium 30.00 €)\n" in out
    assert "remaining balance" not in out
    assert built.query(
        "select state, cast(charged_off_at as varchar), remaining_balance_amount "
        "from capital.financing_offers where id = 'financingoffer_3'"
    ) == [("paid_out", "2026-01-03 12:00:00+00", 33000)]
    # the financing ends on the charge-off day (Jan 3): no balance row after it
    assert built.query(
        "select cast(max(effective_date_utc) as varchar) from capital.financing_balances "
        "where financing_offer = 'financingoffer_3'"
    ) == [("2026-01-03",)]


def test_offer_detail_as_json(built: Warehouse) -> None:
    detail = json.loads(built.run("offer", "financingoffer_1", "--json").stdout)
    assert detail["remaining_balance_amount"] == 77000
    assert detail["remaining_balance_major"] == "770.00"
    assert detail["accepted_advance_amount"] == 100000
    assert [t["transaction_type"] for t in detail["transactions"]] == ["payout", "payment"]


def test_unknown_offer_is_one_line_and_exit_1(built: Warehouse) -> None:
    result = built.run("offer", "financingoffer_nope", check=False)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == "error: offer 'financingoffer_nope' is not in warehouse.duckdb.\n"


def test_every_public_column_is_documented(built: Warehouse) -> None:
    """Every column of every table in capital, collections and audit has a description
    (the manifest of the build that made `built`)."""
    manifest = json.loads((ROOT / "target" / "manifest.json").read_text())
    documented = {
        (node["schema"], node["alias"]): {
            name for name, column in node["columns"].items() if column.get("description", "").strip()
        }
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
    }
    tables = built.query(
        "select table_schema, table_name, list(column_name order by ordinal_position) "
        "from information_schema.columns where table_schema in ('capital', 'collections', 'audit') "
        "and table_name <> 'runs' "
        "and table_name not in (select table_name from information_schema.tables where table_type = 'VIEW') "
        "group by all order by all"
    )  # the Sigma section's other names are views of documented tables
    assert len(tables) == 20  # 3 audit, 11 capital, 6 collections tables
    missing = {
        f"{schema}.{table}": sorted(set(columns) - documented[(schema, table)])
        for schema, table, columns in tables
        if set(columns) - documented[(schema, table)]
    }
    assert missing == {}
