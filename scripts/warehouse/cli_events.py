"""The commands that bring the provider's events in: `receive`, `backfill`, `bench-receive`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def cmd_receive(args: argparse.Namespace) -> None:
    from warehouse import receive

    if args.close:
        finals = receive.close(Path(args.dir))
        print(f"closed {len(finals)} hourly files" + "".join(f"\n  {p.name}" for p in finals))
        return
    receive.serve(Path(args.dir), args.address, args.port)


def cmd_backfill(args: argparse.Namespace) -> None:
    from warehouse import backfill

    report = backfill.run(Path(args.dir), backfill.parse_since(args.since), args.account)
    print(backfill.render(report))


def cmd_bench_receive(args: argparse.Namespace) -> None:
    from warehouse import bench_receive

    figures = bench_receive.run(args.events, args.senders, Path(args.dir) if args.dir else None)
    print(bench_receive.render(figures))


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("receive", help="receive the provider's webhooks into hourly landing files")
    p.add_argument("dir", help="the landing directory to write into")
    p.add_argument("--address", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8502, help="port to listen on (default 8502)")
    p.add_argument(
        "--close", action="store_true", help="do not serve: finalize the hours left partial, then exit"
    )
    p.set_defaults(func=cmd_receive)

    p = sub.add_parser("backfill", help="write the provider's listed events (last 30 days) as landing files")
    p.add_argument("dir", help="the landing directory to write into")
    p.add_argument("--since", required=True, help="YYYY-MM-DD (UTC): first day of events to list")
    p.add_argument("--account", help="a connected account (acct_...) whose own events to list")
    p.set_defaults(func=cmd_backfill)

    p = sub.add_parser("bench-receive", help="load `wh receive` on 127.0.0.1: events/s, latency")
    p.add_argument("--events", type=int, default=20000, help="events to send (default 20000)")
    p.add_argument("--senders", type=int, default=8, help="concurrent senders (default 8)")
    p.add_argument("--dir", help="landing directory to receive into (default: a temporary one)")
    p.set_defaults(func=cmd_bench_receive)
