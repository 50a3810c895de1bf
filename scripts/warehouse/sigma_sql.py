"""Sigma's SQL: Trino queries translated to DuckDB by sqlglot, for `scripts/wh sql --dialect trino`.

The translation is sqlglot's alone; this module only turns its errors into one sentence and
refuses the constructs whose translation was found to give a different answer than Trino
(DECISIONLOG, "Sigma's SQL"): a clear error rather than a silently wrong result.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, ParseError, SqlglotError, TokenError

from warehouse.settings import WarehouseError

TRANSLATOR = f"sqlglot {sqlglot.__version__}"

# Trino constructs that sqlglot translates to DuckDB SQL that runs but answers differently:
# (the construct, how to recognise it in sqlglot's tree, what goes wrong and what to write instead).
WRONG_TRANSLATIONS: list[tuple[str, Callable[[exp.Expr], bool], str]] = [
    (
        "date_diff",
        lambda node: isinstance(node, exp.DateDiff),
        "translates it to DuckDB's date_diff, which counts unit boundaries crossed where Trino counts "
        "whole units elapsed (23:00 to 01:00 the next day is 1 day there, 0 in Trino); write the query "
        "in DuckDB SQL with date_sub(unit, start, end), which counts whole units as Trino does",
    ),
    (
        "from_unixtime with a time zone or an offset",
        lambda node: isinstance(node, exp.UnixToTime)
        and any(node.args.get(arg) is not None for arg in ("zone", "hours", "minutes")),
        "drops the zone (the result is the instant in UTC, so its date and hour are UTC's); "
        "write from_unixtime(seconds) AT TIME ZONE 'Zone' instead",
    ),
]


def to_duckdb(query: str, con: duckdb.DuckDBPyConnection) -> str:
    """The Trino query as DuckDB SQL, or a WarehouseError in one sentence."""
    try:
        statements = [s for s in sqlglot.parse(query, read="trino") if s is not None]
    except ParseError as error:
        raise WarehouseError(f"the query does not parse as Trino SQL: {describe(error)}.") from None
    except TokenError as error:
        near = first_line(error).removeprefix("Error tokenizing ")
        raise WarehouseError(
            f"the query does not parse as Trino SQL: cannot read the text at {near} (an unclosed quote?)."
        ) from None
    if not statements:
        raise WarehouseError("the query is empty.")
    for statement in statements:
        refuse_wrong_translations(statement)
        refuse_untranslated_functions(statement, con)
    try:
        return ";\n".join(
            statement.sql(dialect="duckdb", unsupported_level=ErrorLevel.RAISE) for statement in statements
        )
    except SqlglotError as error:
        raise WarehouseError(
            f"{TRANSLATOR} cannot translate this Trino query to DuckDB: {first_line(error)}."
        ) from None


def refuse_wrong_translations(statement: exp.Expr) -> None:
    for node in statement.walk():
        for construct, matches, why in WRONG_TRANSLATIONS:
            if matches(node):
                raise WarehouseError(f"{construct} is refused: {TRANSLATOR} {why}.")


def refuse_untranslated_functions(statement: exp.Expr, con: duckdb.DuckDBPyConnection) -> None:
    """A function sqlglot does not know passes through under its Trino name; if DuckDB has no
    function of that name, say so rather than let DuckDB report a missing function."""
    names = sorted({node.name.lower() for node in statement.find_all(exp.Anonymous)})
    if not names:
        return
    known = {
        name
        for (name,) in con.execute(
            "select distinct function_name from duckdb_functions() where function_name in ?", [names]
        ).fetchall()
    }
    missing = [name for name in names if name not in known]
    if missing:
        raise WarehouseError(
            f"the Trino function {', '.join(missing)} has no DuckDB translation in {TRANSLATOR} "
            "(and DuckDB has no function of that name); write the query in DuckDB SQL."
        )


def describe(error: ParseError) -> str:
    """sqlglot's first parse error as `what, at line L, column C (near 'token')`."""
    if not error.errors:
        return first_line(error)
    detail = error.errors[0]
    what = str(detail.get("description") or "unexpected text")
    missing = re.match(r"Required keyword: '\w+' missing for <class '[\w.]*\.(\w+)'>", what)
    if missing:
        what = f"an incomplete {missing.group(1).lower()}"
    elif what.startswith("Invalid expression / Unexpected token"):
        what = "unexpected text"
    else:
        what = what[:1].lower() + what[1:]
    near = f" (near {detail['highlight']!r})" if detail.get("highlight") else ""
    return f"{what} at line {detail.get('line')}, column {detail.get('col')}{near}"


def first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0].rstrip(".")
