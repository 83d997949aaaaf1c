"""Resident memory of the app on the library: a 100,000-article database
against a 10-article one, in the same run.

    .venv/bin/python bench/bench_memory_library.py [--count 100000] [--small 10]

Each database opens in a fresh process in a pseudo-terminal (80x24); memory
is read from /proc once the first page shows, and again after paging to the
end of the list and back (G, then g). Target (issue 3): ratio <= 1.2.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from app_bench import PtyApp, claimdesk_command, database


def resident_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def measure(count: int) -> tuple[float, float]:
    db = database(count)
    app = PtyApp(claimdesk_command("--db", str(db), "--annotator", f"bench-{uuid.uuid4().hex[:6]}"))
    try:
        app.wait_for(f"{count:,} articles", timeout=60)
        app.wait_quiet(0.5)
        app.send("G")
        app.wait_quiet(0.5)
        app.send("g")
        app.wait_quiet(0.5)
        return resident_mb(app.process.pid)
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="2,000 articles against 10")
    args = parser.parse_args()
    if args.quick:
        args.count = 2_000
    small_now, small_peak = measure(args.small)
    big_now, big_peak = measure(args.count)
    print("resident memory on the library (after paging to the end and back):")
    print(f"  {args.small:>9,} articles   {small_now:6.1f} MB   (peak {small_peak:6.1f} MB)")
    print(f"  {args.count:>9,} articles   {big_now:6.1f} MB   (peak {big_peak:6.1f} MB)")
    print(f"  ratio {big_now / small_now:.2f} (peak {big_peak / small_peak:.2f}); target <= 1.2")
    from results import ratio, result

    result(f"resident memory with {args.count:,} articles", f"{big_now:.1f} MB",
           f"{small_now:.1f} MB with {args.small:,} articles", ratio(big_now, small_now), "<= 1.2",
           big_now / small_now <= 1.2)


if __name__ == "__main__":
    main()
