"""`scripts/wh`: the warehouse's one entry point."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse import build as build_module
from warehouse import cli_events, publish
from warehouse.land import LandingError, land, print_report
from warehouse.settings import (
    DEMO_AS_OF,
    DEMO_DIR,
    ROOT,
    WarehouseError,
    on_spark,
    open_read_only,
    os_error_sentence,
    require_duckdb,
    spark_dir,
    target,
    warehouse_path,
)
from warehouse.spark_sql import SparkSqlError

EXAMPLE_QUERY = """\
  scripts/wh sql "select state, count(*) as offers from capital.financing_offers group by all order by 2 desc"
  scripts/wh sql "select reason, count(*) from audit.rejected_rows group by all\""""


def cmd_generate(args: argparse.Namespace) -> None:
    from warehouse.generate import generate

    counts = generate(
        Path(args.out), scale=args.scale, seed=args.seed, months=args.months, bad_rows=args.bad_rows
    )
    print(f"wrote {len(counts)} files, {sum(counts.values())} records, into {args.out}")


def writing() -> contextlib.AbstractContextManager:
    """The warehouse's writer lock (publish.py): no landing or build during a night (on Spark,
    `<$WH_SPARK_DIR>.lock`); inside it, on DuckDB, `$WH_DB` is the file to write (the build state,
    once a night has made one)."""
    return _writing(warehouse_path()) if target() == "duckdb" else publish.exclusive_lock(spark_dir())


@contextlib.contextmanager
def _writing(published: Path) -> Iterator[None]:
    with publish.writer_lock(published):
        built = publish.build_target(published)
        os.environ["WH_DB"] = str(built)
        if built != published:
            os.environ["WH_READERS_DB"] = str(published)
        try:
            yield
        finally:
            os.environ["WH_DB"] = str(published)
            os.environ.pop("WH_READERS_DB", None)


def landing_directory(text: str) -> Path:
    """The directory to land, checked before anything is created."""
    directory = Path(text)
    if not directory.is_dir():
        raise LandingError(f"{directory}: no such directory to land.")
    return directory


def cmd_land(args: argparse.Namespace) -> int:
    from warehouse.progress import LandingProgress

    directory = landing_directory(args.dir)
    with writing():
        report = land(directory, LandingProgress())
    print_report(report)
    return 1 if report.refused else 0


def cmd_build(args: argparse.Namespace) -> None:
    as_of = build_module.parse_date(args.as_of) if args.as_of else None
    with writing():
        build_module.build(
            as_of, full_refresh=args.full_refresh, select=args.select, index_lookups=builds_readers_file()
        )
        publish_built()


def builds_readers_file() -> bool:
    """Inside `writing()`: the file to build is the one readers open (no night has made a
    build state yet)."""
    return target() == "duckdb" and os.environ.get("WH_READERS_DB") is None


def publish_built() -> None:
    """Inside `writing()`: when it built a night's build state, publish it to the readers."""
    if target() != "duckdb" or builds_readers_file():
        return
    from warehouse.nightly import publish_build

    publish_build(Path(os.environ["WH_READERS_DB"]))


def cmd_demo(args: argparse.Namespace) -> None:
    from warehouse.generate import generate

    landing = DEMO_DIR / "landing"
    print(f"generating the demo landing set (scale {args.scale}) into {landing} ...")
    generate(landing, scale=args.scale, seed=42, bad_rows=True)
    from warehouse.progress import LandingProgress

    with writing():
        report = land(landing, LandingProgress(every=3))
        print(f"landed {report.rows_landed} records ({len(report.skipped)} files landed before)")
        print(f"building as of {DEMO_AS_OF} (dbt build: models, data tests, unit tests) ...")
        build_module.build(DEMO_AS_OF, full_refresh=True, quiet=True, index_lookups=builds_readers_file())
        publish_built()
    if on_spark():
        print(f"\nThe {target()} target's tables are under {spark_dir()} (as of {DEMO_AS_OF}): schemas")
        print("capital, collections, audit, as on DuckDB; query them with Spark SQL.")
        return
    from warehouse import docs

    docs.generate(docs.docs_path(), DEMO_AS_OF, announce=True)
    print_where_to_look()


def print_where_to_look() -> None:
    with open_read_only() as con:
        tables = con.execute(
            "select table_schema, string_agg(table_name, ', ' order by table_name) "
            "from information_schema.tables where table_schema in ('capital', 'collections', 'audit') "
            "group by table_schema order by table_schema"
        ).fetchall()
        offer_id = con.execute(
            "select id from capital.financing_offers where state = 'paid_out' order by created_at limit 1"
        ).fetchone()
    print(f"\nThe warehouse is {warehouse_path()} (as of {DEMO_AS_OF}). Its public tables:")
    for schema, names in tables:
        print(f"  {schema + '.':13}{names}")
    print("Try:")
    print(EXAMPLE_QUERY)
    if offer_id:
        print(f"  scripts/wh offer {offer_id[0]}")
    print("  scripts/wh dashboard          # the Capital and Collections dashboard, in a browser")


def cmd_nightly(args: argparse.Namespace) -> None:
    as_of = build_module.parse_date(args.as_of) if args.as_of else None
    if not on_spark():
        from warehouse.nightly import nightly

        nightly(Path(args.dir), as_of)
        return
    from warehouse import nightly_spark

    directory = landing_directory(args.dir)
    with writing():
        nightly_spark.nightly(directory, as_of)


def cmd_bench(args: argparse.Namespace) -> None:
    from warehouse import bench

    require_duckdb("`wh bench`", "time `wh land` and `wh build`")
    long_months = 2 * args.months if args.long_months is None else args.long_months
    figures = bench.run(args.scale, args.months, args.repeat, Path(args.work), long_months)
    print(bench.render(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, default=str))


def cmd_offer(args: argparse.Namespace) -> None:
    from warehouse.offer import as_json, offer_detail, render

    detail = offer_detail(args.id)
    print(as_json(detail) if args.json else render(detail))


def cmd_export(args: argparse.Namespace) -> None:
    from warehouse import export

    with contextlib.ExitStack() as stack:
        out = stack.enter_context(export.output_file(args.out)) if args.out else sys.stdout
        if args.what == "eligible":
            rows = export.export_eligible(out, args.units)
        else:
            columns = [c.strip() for c in args.columns.split(",") if c.strip()] if args.columns else None
            rows = export.export_offers(
                out,
                args.tz,
                args.date_from,
                args.date_to,
                columns,
                args.status,
                args.account,
                args.offer,
                args.financing_type,
                args.units,
            )
    if args.out:
        print(f"wrote {rows} rows to {args.out}")
    if rows == 0:  # a header alone is easy to miss: say it
        what = "offer matches the filters" if args.what == "offers" else "account is eligible"
        print(f"notice: no {what}; the file has its header only.", file=sys.stderr)


def cmd_docs(args: argparse.Namespace) -> None:
    from warehouse import docs

    open_read_only().close()  # the warehouse exists (dbt would create an empty one)
    with writing():  # the build state's catalog, once a night has made one
        docs.generate(docs.docs_path(), announce=True)


def cmd_dashboard(args: argparse.Namespace) -> None:
    from warehouse.dashboard import serve

    require_duckdb("`wh dashboard`")
    serve(args.port, args.address)


def cmd_sql(args: argparse.Namespace) -> None:
    with open_read_only() as con:
        # truly read-only: no file or network beyond the warehouse (no COPY TO, no ATTACH,
        # no read_csv of the machine's files), and no setting changed back
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        query = args.query
        if args.dialect == "trino":
            from warehouse.sigma_sql import TRANSLATOR, to_duckdb

            query = to_duckdb(args.query, con)
        elif not query.strip():
            raise WarehouseError("the query is empty.")
        try:
            relation = con.sql(query)
        except duckdb.Error as error:
            if args.dialect == "duckdb" or isinstance(error, duckdb.IOException):
                raise
            first_line = str(error).splitlines()[0]
            raise WarehouseError(f"{first_line} (in {TRANSLATOR}'s DuckDB translation: {query})") from None
        if relation is not None:  # a statement without a result (`set`, `pragma` ...)
            relation.show(max_rows=args.max_rows)


def cmd_cluster(args: argparse.Namespace) -> int:
    from warehouse import cluster

    if args.action == "up":
        cluster.up()
    elif args.action == "down":
        cluster.down()
    else:
        return cluster.status()
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from warehouse.metrics import run_mf

    return run_mf(args.mf_args)


def parser() -> argparse.ArgumentParser:
    # `wh` when run as the installed console command, else the checkout's wrapper
    prog = "wh" if Path(sys.argv[0]).name == "wh" else "scripts/wh"
    top = argparse.ArgumentParser(prog=prog, description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("demo", help="generate the demo data, land it, build, print where to look")
    p.add_argument("--scale", type=int, default=300, help="connected accounts (default 300)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("generate", help="write a deterministic synthetic landing set")
    p.add_argument("--out", required=True, help="directory to write the landing files into")
    p.add_argument("--scale", type=int, default=1000, help="connected accounts (default 1000)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--months", type=int, default=18, help="months of history (default 18)")
    p.add_argument("--bad-rows", action="store_true", help="add a few contract-breaking rows")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("land", help="land every contract file of DIR into the warehouse")
    p.add_argument("dir")
    p.set_defaults(func=cmd_land)

    p = sub.add_parser("build", help="dbt build (models and tests) for an as-of date")
    p.add_argument("--as-of", help="YYYY-MM-DD (default today in the reporting time zone)")
    p.add_argument("--full-refresh", action="store_true")
    p.add_argument("--select", nargs="+", help="dbt node selection (e.g. staging, +collections.payers)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "nightly",
        help="land DIR, build, test and publish $WH_DB in one step (on Spark: built in place)",
    )
    p.add_argument("dir")
    p.add_argument("--as-of", help="YYYY-MM-DD (default today in the reporting time zone)")
    p.set_defaults(func=cmd_nightly)

    p = sub.add_parser("bench", help="measure landing, full build, one night, dashboard queries")
    p.add_argument("--scale", type=int, default=1000, help="connected accounts (default 1000)")
    p.add_argument("--months", type=int, default=18, help="months of history (default 18)")
    p.add_argument("--repeat", type=int, default=1, help="runs of the full build and the night (median)")
    p.add_argument("--work", default=str(ROOT / "bench_data"), help="where landing sets are cached")
    p.add_argument(
        "--long-months",
        type=int,
        help="also one nightly day on this many months of history (default twice --months; 0: no)",
    )
    p.add_argument("--json", help="also write the figures to this file")
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("offer", help="one offer's detail: terms, balance, emails, payment activity")
    p.add_argument("id", help="the offer id (financingoffer_...)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_offer)

    p = sub.add_parser("export", help="CSV exports: eligible accounts, the offers table")
    p.add_argument("what", choices=["eligible", "offers"])
    p.add_argument("--out", help="file to write (default: standard output)")
    p.add_argument("--tz", default="UTC", help="offers: time zone of timestamps and dates (default UTC)")
    p.add_argument("--from", dest="date_from", help="offers: first creation date, YYYY-MM-DD, in --tz")
    p.add_argument("--to", dest="date_to", help="offers: last creation date, YYYY-MM-DD, in --tz")
    p.add_argument("--columns", help="offers: comma-separated columns (default: all)")
    p.add_argument("--status", help="offers: only this state")
    p.add_argument("--financing-type", help="offers: only this financing type (e.g. flex_loan)")
    p.add_argument("--account", help="offers: only this account")
    p.add_argument("--offer", help="offers: only this offer")
    p.add_argument(
        "--units",
        choices=["major", "minor"],  # warehouse.export.UNITS
        default="major",
        help="amounts in major units of their currency, as the dashboard shows them (default), "
        "or minor: Sigma's integer minor units (cents)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("dashboard", help="serve the Capital and Collections dashboard (read-only)")
    p.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    p.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser("docs", help="write the dbt docs page next to the warehouse")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("sql", help="run one read-only SQL query against the warehouse")
    p.add_argument("query", help="unqualified table names resolve in capital, then collections")
    p.add_argument("--max-rows", type=int, default=40)
    p.add_argument(
        "--dialect",
        choices=["duckdb", "trino"],
        default="duckdb",
        help="the query's SQL dialect: duckdb (default), or trino (Sigma's), translated by sqlglot",
    )
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser(
        "metrics",
        help="query the semantic layer's metrics with MetricFlow (the arguments are mf's)",
        description="Runs MetricFlow's `mf` on the warehouse: e.g. `wh metrics list metrics`, "
        "`wh metrics query --metrics originated,repaid --group-by metric_time__month,currency`.",
    )
    p.add_argument("mf_args", nargs=argparse.REMAINDER, help="mf's command and arguments")
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser(
        "cluster",
        help="a local Spark cluster for WH_TARGET=spark_cluster: up, down, status",
        description="A Spark standalone master, two workers and a Thrift server on 127.0.0.1 "
        "(logs and pids in $WH_SPARK_DIR/cluster/); see README, 'Running on a Spark cluster'.",
    )
    p.add_argument("action", choices=["up", "down", "status"])
    p.set_defaults(func=cmd_cluster)

    cli_events.add_parsers(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args) or 0
    except (WarehouseError, LandingError) as error:
        print(f"error: {error}", file=sys.stderr)
    except SparkSqlError as error:
        print(f"error: Spark ({target()}, {spark_dir()}): {error}", file=sys.stderr)
    except duckdb.IOException as error:
        print(f"error: {warehouse_path()}: cannot be opened ({str(error).splitlines()[0]}).", file=sys.stderr)
    except duckdb.Error as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
    except BrokenPipeError:  # output piped into `head` and the like
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # the machine refused a file (full disk, permissions, ...)
        print(f"error: {os_error_sentence(error, 'cannot be read or written')}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted.", file=sys.stderr)
    except Exception as error:
        if not type(error).__module__.startswith(("pyspark", "py4j")):
            raise
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(f"error: Spark ({spark_dir()}): {first_line}", file=sys.stderr)
    return 1
