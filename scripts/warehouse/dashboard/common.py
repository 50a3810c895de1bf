"""What every page of the dashboard shares: the read-only connection of a page run, the
chosen time zone, and the display of amounts (through `warehouse.money`) and timestamps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import duckdb
import pandas as pd
import streamlit as st

from warehouse.money import display, major
from warehouse.settings import WarehouseError, open_read_only, warehouse_path

TZ_KEY = "tz"


def time_zone() -> str:
    """The zone chosen in the sidebar (UTC until one is chosen)."""
    return st.session_state.get(TZ_KEY) or "UTC"


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0].rstrip(".") if str(error).strip() else type(error).__name__


def run_page(render: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Render a page on the published warehouse, opened read-only for this run only.

    A connection per run: once the nightly run has renamed tonight's file over `$WH_DB`,
    the next run reads it. Errors show as one sentence, never a traceback.
    """
    try:
        with open_read_only() as con:
            render(con)
    except WarehouseError as error:
        st.error(str(error))
    except duckdb.IOException as error:
        st.error(
            f"{warehouse_path()} cannot be opened read-only right now ({_first_line(error)}); "
            "a build may be writing it in place, reload the page in a moment."
        )
    except duckdb.Error as error:
        st.error(f"{warehouse_path().name}: {_first_line(error)}.")


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pd.DataFrame:
    return con.execute(sql, params or []).df()


def build_info(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, str, dt.datetime] | None:
    """As-of date, reporting time zone and build time of the warehouse."""
    try:
        return con.execute("select as_of_date, reporting_timezone, built_at from audit.build_info").fetchone()
    except duckdb.CatalogException:
        return None


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def money(amount: Any, currency: str) -> str:
    """Minor units shown in major units with the currency's symbol and decimals."""
    return display(_int(amount), currency)


def money_column(df: pd.DataFrame, column: str, currency_column: str = "currency") -> list[str]:
    return [money(a, c) for a, c in zip(df[column], df[currency_column], strict=True)]


def major_values(values: Iterable[Any], currency: str) -> list[float | None]:
    """Minor units as major-unit numbers, for charts."""
    return [None if (v := _int(value)) is None else float(major(v, currency)) for value in values]


def major_floats(values: Iterable[Any], currency: str) -> list[float | None]:
    """Decimal minor-unit figures (averages) as major-unit numbers, for charts."""
    factor = float(major(1, currency))
    return [None if value is None or pd.isna(value) else float(value) * factor for value in values]


def local_time(value: Any, tz_name: str) -> str | None:
    """A UTC timestamp of the warehouse, shown in the chosen zone (`2026-01-02 00:30 CET`)."""
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value).to_pydatetime()
    stamp = (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).astimezone(ZoneInfo(tz_name))
    return stamp.strftime("%Y-%m-%d %H:%M %Z")


def local_times(values: Iterable[Any], tz_name: str) -> list[str | None]:
    return [local_time(value, tz_name) for value in values]


def sidebar() -> None:
    """The time zone picker and what the warehouse holds."""
    zones = sorted(available_timezones())
    st.sidebar.selectbox(
        "Time zone",
        zones,
        index=zones.index("UTC"),
        key=TZ_KEY,
        help="Timestamps are shown, and the offers table filtered and exported, in this zone.",
    )
    try:
        with open_read_only() as con:
            info = build_info(con)
    except (WarehouseError, duckdb.Error):
        info = None
    if info:
        as_of, reporting_tz, built_at = info
        st.sidebar.caption(
            f"Warehouse `{warehouse_path().name}` as of **{as_of}** (daily series by {reporting_tz} days), "
            f"built {local_time(built_at, time_zone())}. Read-only; each page run reads the latest "
            "published file."
        )
