"""The offer detail's lookup indexes (DuckDB): one offer's row, transactions, balances and
emails read an index, not the whole table (`wh offer`, the dashboard's offer page).

They exist only in the file readers open, never while dbt builds: dbt rebuilds a table by
renaming the old one aside, DuckDB cannot rename a table that has an index, and dropping one
while another dbt thread writes the catalog fails that thread (checked: "Table with name
offer_email_events__dbt_backup does not exist!"). So a night creates them in the readers'
file it publishes, and a `wh build` of a one-file warehouse drops them before dbt and
creates them again after it.
"""

from __future__ import annotations

import duckdb

# (schema, table, column): the columns `warehouse.offer` looks one offer up by
LOOKUPS = (
    ("capital", "financing_offers", "id"),
    ("capital", "connected_account_financing_transactions", "financing_offer"),
    ("capital", "financing_balances", "financing_offer"),
    ("capital", "offer_email_events", "financing_offer"),
)


def index_name(table: str, column: str) -> str:
    return f"{table}_by_{column}"


def drop(con: duckdb.DuckDBPyConnection) -> None:
    for schema, table, column in LOOKUPS:
        con.execute(f'drop index if exists "{schema}"."{index_name(table, column)}"')


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Each lookup index whose table exists (a build that failed early may have left some out)."""
    tables = set(
        con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    )
    for schema, table, column in LOOKUPS:
        if (schema, table) in tables:
            con.execute(
                f'create index if not exists "{index_name(table, column)}" '
                f'on "{schema}"."{table}" ("{column}")'
            )
