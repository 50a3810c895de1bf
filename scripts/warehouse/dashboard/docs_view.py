"""The data docs page: the dbt docs site the nightly run publishes next to the warehouse."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from warehouse.docs import docs_path


def render() -> None:
    st.title("Data docs")
    page = docs_path()
    if not page.exists():
        st.info(
            f"No docs page next to the warehouse yet ({page.name}): the nightly run writes it, "
            "and `scripts/wh docs` writes it now."
        )
        return
    st.caption(
        f"Every model, column, test and exposure of the warehouse (`dbt docs generate --static`), "
        f"from `{page.name}` next to the warehouse."
    )
    st.download_button(
        "Download the docs page (open it in any browser)",
        data=lambda: Path(page).read_bytes(),
        file_name=page.name,
        mime="text/html",
        on_click="ignore",
    )
    st.iframe(page, height=900)
