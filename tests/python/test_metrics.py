"""The semantic layer: metrics queried through MetricFlow (`wh metrics query`) equal the marts' figures."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import GENERATED_AS_OF, Warehouse


def mf_query(warehouse: Warehouse, tmp_path: Path, metrics: str, group_by: str, *extra: str) -> list[dict]:
    """`wh metrics query` written as CSV: one dict per row, empty cells as None."""
    out = tmp_path / f"{metrics.replace(',', '_')}.csv"
    warehouse.run("metrics", "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out), *extra)
    with out.open(newline="") as f:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(f)]


def number(value: str | None) -> float:
    return float(value) if value is not None else 0.0


def test_originated_repaid_and_earnings_by_month_and_currency(generated: Warehouse, tmp_path: Path) -> None:
    rows = mf_query(generated, tmp_path, "originated,repaid,platform_earnings", "metric_time__month,currency")
    got = {
        (row["metric_time__month"][:10], row["currency"]): (
            number(row["originated"]),
            number(row["repaid"]),
            number(row["platform_earnings"]),
        )
        for row in rows
    }
    marts = generated.query(
        "select cast(coalesce(f.month, e.month) as varchar), coalesce(f.currency, e.currency), "
        "coalesce(f.originated_amount, 0), coalesce(f.repaid_amount, 0), "
        "coalesce(e.revshare_earned_amount, 0) "
        "from capital.monthly_financing as f "
        "full outer join capital.platform_earnings_monthly as e using (month, currency)"
    )
    expected = {(month, currency): (o, r, e) for month, currency, o, r, e in marts if (o, r, e) != (0, 0, 0)}
    assert {key: value for key, value in got.items() if value != (0, 0, 0)} == expected
    assert sum(o for o, _, _ in expected.values()) > 0


def test_program_rates_by_day_and_month(generated: Warehouse, tmp_path: Path) -> None:
    rows = mf_query(generated, tmp_path, "adoption,conversion_30d,eligible_accounts", "metric_time__day")
    got = {
        row["metric_time__day"][:10]: (row["adoption"], row["conversion_30d"], row["eligible_accounts"])
        for row in rows
    }
    marts = generated.query(
        "select cast(metric_date as varchar), adoption_rate, conversion_rate_30d, eligible_accounts "
        "from capital.daily_program_metrics order by 1"
    )
    assert len(got) == len(marts)
    for day, adoption, conversion, eligible in marts:
        mf_adoption, mf_conversion, mf_eligible = got[day]
        assert (mf_adoption is None) == (adoption is None), day
        assert adoption is None or float(mf_adoption) == pytest.approx(adoption, abs=1e-6), day
        assert conversion is None or float(mf_conversion) == pytest.approx(conversion, abs=1e-6), day
        assert (mf_eligible is None and eligible is None) or number(mf_eligible) == eligible, day
    assert got[GENERATED_AS_OF][0] is not None


def test_average_loan_size_7d_by_day_and_currency(generated: Warehouse, tmp_path: Path) -> None:
    rows = mf_query(
        generated,
        tmp_path,
        "average_loan_size_7d,financings_paid_out_7d",
        "metric_time__day,currency",
        "--end-time",
        GENERATED_AS_OF,
    )
    got = {
        (row["metric_time__day"][:10], row["currency"]): (
            number(row["financings_paid_out_7d"]),
            number(row["average_loan_size_7d"]),
        )
        for row in rows
        if number(row["financings_paid_out_7d"]) > 0
    }
    marts = generated.query(
        "select cast(metric_date as varchar), currency, financings_paid_out_7d, avg_loan_size_7d "
        "from capital.daily_loan_size where financings_paid_out_7d > 0"
    )
    assert marts
    assert got.keys() == {(day, currency) for day, currency, _, _ in marts}
    for day, currency, count, average in marts:
        assert got[day, currency] == (count, pytest.approx(average)), (day, currency)


def test_collections_totals_by_club(generated: Warehouse, tmp_path: Path) -> None:
    names = ["due", "paid", "collected", "fees", "tips", "failed"]
    rows = mf_query(generated, tmp_path, ",".join(f"collections_{n}" for n in names), "club,currency")
    got = {
        (row["club"], row["currency"]): tuple(number(row[f"collections_{n}"]) for n in names) for row in rows
    }
    marts = generated.query(
        "select account_id, currency, sum(amount_due), sum(amount_paid), sum(amount_collected), "
        "sum(fee_amount), sum(tip_amount), sum(amount_failed) "
        "from collections.collection_summary group by all"
    )
    assert got == {(club, currency): tuple(float(v) for v in values) for club, currency, *values in marts}
