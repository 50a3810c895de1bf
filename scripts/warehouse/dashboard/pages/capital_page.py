"""The Capital page (see warehouse.dashboard.capital_view)."""

from warehouse.dashboard import capital_view

capital_view.render()
