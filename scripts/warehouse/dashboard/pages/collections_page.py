"""The Collections page (see warehouse.dashboard.collections_view)."""

from warehouse.dashboard import collections_view

collections_view.render()
