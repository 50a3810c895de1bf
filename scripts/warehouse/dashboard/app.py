"""The dashboard's entry script, run by `streamlit run` (`scripts/wh dashboard` starts it)."""

import sys
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[2]
if str(SCRIPTS) not in sys.path:  # `streamlit run` straight on this file
    sys.path.insert(0, str(SCRIPTS))

import streamlit as st  # noqa: E402

from warehouse.dashboard.common import top_bar  # noqa: E402

PAGES = Path(__file__).with_name("pages")

# No sidebar: the pages are in the top bar and the time zone above each page, so that the
# tables and cards have the whole width of a laptop screen.
st.set_page_config(
    page_title="Club payments warehouse",
    page_icon=":material/monitoring:",
    layout="wide",
    initial_sidebar_state="collapsed",
)
navigation = st.navigation(
    [
        st.Page(PAGES / "capital_page.py", title="Capital", icon=":material/payments:", default=True),
        st.Page(
            PAGES / "collections_page.py",
            title="Collections",
            icon=":material/groups:",
            url_path="collections",
        ),
        # the dbt docs site the nightly run publishes next to the warehouse
        st.Page(PAGES / "docs_page.py", title="Data docs", icon=":material/menu_book:", url_path="docs"),
    ],
    position="top",
)
top_bar()  # rendered by this script, so the chosen zone stays when the page changes
navigation.run()
