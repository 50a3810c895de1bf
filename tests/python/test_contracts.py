"""The public tables' contracts, read from the manifest of a `dbt parse` (no build).

Every table of the interface (its "Schemas and tables" list), the three Sigma views and the
models the exposures read are `access: public` with an enforced contract on DuckDB: every
column named with its data type. No other model is public, the exposures read public models
only, and on the Spark target the contracts are not enforced (DECISIONLOG.md, "Contracts").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import INTERFACE_TABLES, ROOT

# sigma_schema.md: the other section's names, views of the three tables
SIGMA_VIEWS = {
    "capital.connected_account_financing_offers",
    "capital.connected_account_financing_balances",
    "capital.financing_transactions",
}
# read by the dashboard and the exports (models/exposures.yml), beyond the interface's list
EXPOSED = {
    "capital.eligible_accounts",
    "capital.offer_email_events",
    "audit.build_info",
    "collections.club_collections_monthly",
}
PUBLIC = INTERFACE_TABLES | SIGMA_VIEWS | EXPOSED
INCREMENTAL = {
    "capital.financing_offers",
    "capital.financing_balances",
    "capital.connected_account_financing_transactions",
    "collections.participants",
    "collections.payers",
    "collections.transactions",
    "collections.transfers",
    "collections.collection_summary",
}


def _manifest(tmp_path: Path, target: str) -> dict:
    """The manifest of a `dbt parse` of the project for `target`, in a target path of its own."""
    target_path = tmp_path / f"target-{target}"
    env = dict(
        os.environ,
        WH_TARGET=target,
        WH_DB=str(tmp_path / "parse.duckdb"),
        WH_SPARK_DIR=str(tmp_path / "spark"),
        DBT_PROFILES_DIR=str(ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    dbt = str(Path(sys.executable).with_name("dbt"))
    result = subprocess.run(
        [dbt, "--quiet", "parse", "--no-partial-parse", "--target-path", str(target_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((target_path / "manifest.json").read_text())


def _models(manifest: dict) -> dict[str, dict]:
    """This project's models by `schema.name`."""
    return {
        f"{node['schema']}.{node['name']}": node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == "club_warehouse"
    }


@pytest.fixture(scope="module")
def duckdb_manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _manifest(tmp_path_factory.mktemp("parse"), "duckdb")


@pytest.fixture(scope="module")
def duckdb_models(duckdb_manifest: dict) -> dict[str, dict]:
    return _models(duckdb_manifest)


def test_the_public_models_are_the_interfaces_tables_views_and_exposed_models(
    duckdb_models: dict[str, dict],
) -> None:
    public = {name for name, node in duckdb_models.items() if node["access"] == "public"}
    assert public == PUBLIC
    assert len(public) == 22
    others = {node["access"] for name, node in duckdb_models.items() if name not in PUBLIC}
    assert others == {"protected"}


def test_every_public_model_has_an_enforced_contract_naming_every_column_with_its_type(
    duckdb_models: dict[str, dict],
) -> None:
    for name in sorted(PUBLIC):
        node = duckdb_models[name]
        assert node["config"]["contract"]["enforced"] is True, name
        untyped = [column for column, spec in node["columns"].items() if not spec.get("data_type")]
        assert untyped == [], name
        undocumented = [column for column, spec in node["columns"].items() if not spec.get("description")]
        assert undocumented == [], name


def test_public_types_are_the_interfaces(duckdb_models: dict[str, dict]) -> None:
    def types(name: str) -> dict[str, str]:
        return {column: spec["data_type"] for column, spec in duckdb_models[name]["columns"].items()}

    # instants are timestamptz in every public table, dates date, amounts bigint
    for name in sorted(PUBLIC):
        for column, data_type in types(name).items():
            if column.endswith("_at") or column in {"batch_timestamp", "effective_time"}:
                assert data_type == "timestamptz", (name, column)
    assert types("collections.transfers") == {
        "transfer_id": "varchar",
        "account_id": "varchar",
        "amount": "bigint",
        "currency": "varchar",
        "status": "varchar",
        "sent_at": "timestamptz",
        "delivered_at": "timestamptz",
        "delivery_seconds": "bigint",
        "delivery_hours": "decimal(18, 2)",
        "updated_at": "timestamptz",
        "_built_at": "timestamptz",
    }
    assert types("audit.rejected_rows") == {
        "source_table": "varchar",
        "rejected_by": "varchar",
        "source_file": "varchar",
        "reason": "varchar",
        "raw_record": "varchar",
        "landed_at": "timestamptz",
        "row_number": "bigint",
    }
    assert types("capital.daily_loan_size") == {
        "metric_date": "date",
        "currency": "varchar",
        "financings_paid_out_7d": "bigint",
        "avg_loan_size_7d": "double",
    }
    # a Sigma view has its table's columns and types
    assert types("capital.connected_account_financing_offers") == types("capital.financing_offers")
    assert types("capital.connected_account_financing_balances") == types("capital.financing_balances")
    transactions = types("capital.connected_account_financing_transactions")
    assert types("capital.financing_transactions") == transactions


def test_incremental_public_models_stop_on_a_schema_change(duckdb_models: dict[str, dict]) -> None:
    incremental = {name for name in PUBLIC if duckdb_models[name]["config"]["on_schema_change"] == "fail"}
    assert incremental == INCREMENTAL


def test_exposures_read_public_models_only(duckdb_manifest: dict) -> None:
    nodes = duckdb_manifest["nodes"]
    assert len(duckdb_manifest["exposures"]) == 3
    for exposure in duckdb_manifest["exposures"].values():
        parents = exposure["depends_on"]["nodes"]
        assert parents, exposure["name"]
        assert [p for p in parents if nodes[p]["access"] != "public"] == [], exposure["name"]


def test_contracts_are_not_enforced_on_spark(tmp_path: Path) -> None:
    models = _models(_manifest(tmp_path, "spark"))
    assert {name for name, node in models.items() if node["access"] == "public"} == PUBLIC
    assert {name for name in PUBLIC if models[name]["config"]["contract"]["enforced"]} == set()
