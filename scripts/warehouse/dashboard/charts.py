"""The dashboard's daily charts (Vega-Lite through Altair): dates always with their year,
and the counts behind a rate or an average in the tooltip."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

DATE_FORMAT = "%Y-%m-%d"  # the axis of a daily chart: a month alone would not say which year


def daily(
    data: pd.DataFrame,
    y_title: str,
    tooltip: list[alt.Tooltip] | None = None,
    points: bool = False,
) -> None:
    """A daily series (`day`, `value` and the tooltip's columns): a line, or one dot per day that
    has a value (`points`, for a series with gaps, which a line would hide or bridge)."""
    mark = alt.Chart(data).mark_circle(size=36) if points else alt.Chart(data).mark_line()
    chart = mark.encode(
        x=alt.X("day:T", title="day", axis=alt.Axis(format=DATE_FORMAT, labelAngle=-30, labelOverlap=True)),
        y=alt.Y("value:Q", title=y_title),
        tooltip=[alt.Tooltip("day:T", title="day", format=DATE_FORMAT), *(tooltip or [])],
    )
    st.altair_chart(chart, width="stretch")
