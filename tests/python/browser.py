"""What the dashboard's browser test reads off the page: when a run is done, full-page
screenshots, and where each cell of a table is, with the width its text needs.

A Streamlit table is a canvas (Glide Data Grid), so its cells are not in the DOM: the grid's
own React props give its columns (title, width in px), how many rows it has and each cell's
text as drawn (`getCellContent`), and the text's width is measured with the grid's font.
A cell is on screen when its column lies inside the grid and the viewport (the grid not
scrolled sideways), and not cut when its text and the cell padding fit the column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from conftest import ROOT

SHOTS = ROOT / "target" / "screenshots"

GRID = """
([index, titles]) => {
  const frames = [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .filter(f => f.offsetParent !== null);
  const frame = frames[index];
  const canvas = frame.querySelector('canvas[data-testid="data-grid-canvas"]');
  let fiber = canvas[Object.keys(canvas).find(k => k.startsWith('__reactFiber'))];
  while (fiber && !(fiber.memoizedProps && fiber.memoizedProps.getCellContent
                    && Array.isArray(fiber.memoizedProps.columns) && fiber.memoizedProps.theme)) {
    fiber = fiber.return;
  }
  const props = fiber.memoizedProps;
  const rect = canvas.getBoundingClientRect();
  const scroller = frame.querySelector('.dvn-scroller');
  const measure = document.createElement('canvas').getContext('2d');
  measure.font = `${props.theme.baseFontStyle} ${props.theme.fontFamily}`;
  const padding = props.theme.cellHorizontalPadding;
  const grid = {viewport: window.innerWidth, left: rect.left, right: rect.right, top: rect.top,
                scrollLeft: scroller ? scroller.scrollLeft : 0, rows: props.rows,
                headerHeight: props.headerHeight, rowHeight: props.rowHeight,
                titles: props.columns.map(c => c.title), columns: {},
                selected: props.selection.rows.toArray ? props.selection.rows.toArray() : []};
  let x = rect.left - grid.scrollLeft;
  props.columns.forEach((column, c) => {
    if (titles.includes(column.title)) {
      const cells = [];
      for (let r = 0; r < props.rows; r++) {
        const cell = props.getCellContent([c, r]);
        const text = cell.displayData ?? String(cell.data ?? '');
        cells.push([text, Math.ceil(measure.measureText(text).width) + 2 * padding]);
      }
      grid.columns[column.title] = {left: x, right: x + column.width, width: column.width, cells};
    }
    x += column.width;
  });
  return grid;
}
"""

CUT_TEXT = """
() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return [e.innerText, e.scrollWidth > e.clientWidth + 1 || r.right > window.innerWidth]; })
"""


def settle(page: Page) -> None:
    """Wait until the app has finished its run and every chart on the page is drawn."""
    page.wait_for_timeout(600)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'notRunning'",
        timeout=60_000,
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]')]"
        ".every(c => c.offsetParent === null || c.querySelector('canvas, svg.marks'))",
        timeout=60_000,
    )
    page.wait_for_timeout(800)


def screenshot(page: Page, name: str) -> Path:
    """The whole page (the app scrolls inside its own container, so the viewport is made as tall
    as the content for the shot), then the viewport as it was."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 6000})
    settle(page)
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": size["width"], "height": int(height) + 60})
    settle(page)
    path = SHOTS / name
    page.screenshot(path=path)
    page.set_viewport_size(size)
    settle(page)
    return path


def grid(page: Page, index: int, titles: list[str]) -> dict[str, Any]:
    """The `index`-th visible table of the page, scrolled into view: its columns `titles`, each
    cell's text and the width it needs."""
    page.locator('[data-testid="stDataFrame"]:visible').nth(index).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    return page.evaluate(GRID, [index, titles])


def assert_on_screen(table: dict[str, Any], titles: list[str]) -> dict[str, list[str]]:
    """Every cell of the columns `titles` is inside the grid and the viewport, its text not cut;
    returns the columns' texts."""
    assert table["scrollLeft"] == 0
    assert table["right"] <= table["viewport"], f"the table ends at {table['right']} px"
    texts = {}
    for title in titles:
        column = table["columns"].get(title)
        assert column, f"no column {title!r} in {table['titles']}"
        assert column["left"] >= table["left"] and column["right"] <= table["right"], (title, column["right"])
        cut = [text for text, needed in column["cells"] if needed > column["width"]]
        assert not cut, f"{title!r} ({column['width']} px) cuts {cut[:3]}"
        texts[title] = [text for text, _ in column["cells"]]
    return texts


def assert_cards_fit(page: Page) -> list[str]:
    """No metric card's value is cut or past the viewport's right edge; returns their values."""
    cards = page.evaluate(CUT_TEXT)
    assert cards, "no metric card on the page"
    assert not [value for value, cut in cards if cut], cards
    return [value for value, _ in cards]


def click_row(page: Page, index: int, row: int, done: Callable[[], bool] | None = None) -> None:
    """Select a row of the `index`-th visible table: its check box, in the grid's first column.
    The grid may take a click for the end of a scroll: the click is made again until the row
    is selected, or `done()` (three times at most)."""

    def selected() -> bool:
        return done() if done else row in grid(page, index, [])["selected"]

    for _ in range(3):
        table = grid(page, index, [])
        x = table["left"] + 16
        y = table["top"] + table["headerHeight"] + table["rowHeight"] * (row + 0.5)
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        page.mouse.click(x, y)
        settle(page)
        if selected():
            return
    raise AssertionError(f"row {row} of table {index} could not be selected")
