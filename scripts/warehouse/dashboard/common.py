"""What every page of the dashboard shares: the read-only connection of a page run, the
chosen time zone, the display of amounts (through `warehouse.money`), states and missing
values (through `warehouse.labels`), and the tables' layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import duckdb
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from warehouse.labels import NONE, missing, words
from warehouse.money import display, major
from warehouse.settings import WarehouseError, open_read_only, warehouse_path

TZ_KEY = "tz"
CARD_WIDTH = 260  # px: the widest card value (`1,234,567.89 €`) fits; cards wrap on narrow screens
MAX_WIDTH = 360  # px: the widest column a table gives a long text (an email, an id)


def time_zone() -> str:
    """The zone chosen at the top of the page (UTC until one is chosen)."""
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
    return None if missing(value) else int(value)


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
    return [None if missing(value) else float(value) * factor for value in values]


def local_time(value: Any, tz_name: str) -> str:
    """A UTC instant of the warehouse in the chosen zone (`2026-01-02 00:30 CET`), or the dash."""
    if missing(value):
        return NONE
    stamp = pd.Timestamp(value).to_pydatetime()
    stamp = (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).astimezone(ZoneInfo(tz_name))
    return stamp.strftime("%Y-%m-%d %H:%M %Z")


def local_times(values: Iterable[Any], tz_name: str) -> list[str]:
    return [local_time(value, tz_name) for value in values]


def day(value: Any) -> str:
    """A date as `2026-01-31`, or the dash."""
    return NONE if missing(value) else str(pd.Timestamp(value).date())


def text(values: Iterable[Any]) -> list[str]:
    """Text cells with the dash for a missing value (a table never reads `None`)."""
    return [NONE if missing(value) else str(value) for value in values]


def status_label(status: Any) -> str:
    """A status as a badge of a table: `● in progress`."""
    return NONE if missing(status) else f"● {words(status)}"


def _width(header: str, values: Iterable[Any]) -> int:
    """A column's width in px from its longest text (header or cell, 14 px type: about 7 px a
    character on average, plus the cell padding): the grid sizes a column by its first rows only, which
    cut a longer value further down (`in progre…`)."""
    longest = max([len(str(header)), *(len(str(v)) for v in values)])
    return min(MAX_WIDTH, 24 + 7 * longest)


def table(shown: pd.DataFrame | Styler, **options: Any) -> Any:
    """`st.dataframe` whose every column is wide enough for its longest value, so that no amount
    or status is cut; the caller passes text with the dash for a missing value (see `text`)."""
    data = shown.data if isinstance(shown, Styler) else shown
    given = options.pop("column_config", {})
    config = {}
    for name in data.columns:
        column = dict(given.get(name) or {})
        if not column.get("width"):
            column["width"] = _width(column.get("label") or name, data[name])
        config[name] = column
    return st.dataframe(shown, hide_index=True, column_config=config, **options)


def cards(items: Iterable[tuple[str, str, str | None]]) -> None:
    """Metric cards (label, value, caption under it) in a row that wraps on a narrow screen,
    so that a value is never cut."""
    with st.container(horizontal=True, gap="small"):
        for label, value, caption in items:
            with st.container(width=CARD_WIDTH, gap="xsmall"):
                st.metric(label, value, border=True)
                if caption:
                    st.caption(caption)


def top_bar() -> None:
    """What the warehouse holds, and the time zone picker (on every page, above its title)."""
    try:
        with open_read_only() as con:
            info = build_info(con)
    except (WarehouseError, duckdb.Error):
        info = None
    left, right = st.columns([5, 1], vertical_alignment="bottom")
    zones = sorted(available_timezones())
    right.selectbox(
        "Time zone",
        zones,
        index=zones.index("UTC"),
        key=TZ_KEY,
        help="Timestamps are shown, and the offers table filtered and exported, in this zone.",
    )
    if info:
        as_of, reporting_tz, built_at = info
        left.caption(
            f"Warehouse `{warehouse_path().name}` as of **{as_of}** (daily series by {reporting_tz} days), "
            f"built {local_time(built_at, time_zone())}. Read-only; each page run reads the latest "
            "published file."
        )
