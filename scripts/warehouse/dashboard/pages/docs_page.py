"""The data docs page (see warehouse.dashboard.docs_view)."""

from warehouse.dashboard import docs_view

docs_view.render()
