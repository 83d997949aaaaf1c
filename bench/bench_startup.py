"""Start to first frame on a 100,000-article database, against a bare Textual app.

    .venv/bin/python bench/bench_startup.py [--count 100000] [--runs 5]

Both run in a pseudo-terminal (80x24) as fresh processes, alternately, in
the same run; the time is from spawning the process to its first frame (the
library header for claimdesk, the Static's text for the bare app), and for
claimdesk also to the first page of articles (the header with the count).
Target (issue 3): first frame ratio <= 1.5.

sqlite-utils imports pandas and numpy whenever they are installed (as they
are in the development environment, for the export tests), which costs
several hundred milliseconds; a plain `pip install claimdesk` has neither.
So claimdesk is timed twice: as this environment runs it, and with pandas
and numpy hidden, as a runtime-only install runs it.
"""

from __future__ import annotations

import argparse
import time
import uuid

import sys

from app_bench import PtyApp, bare_command, claimdesk_command, database, median
from results import result

RUNTIME_ONLY = "import sys; sys.modules['pandas'] = sys.modules['numpy'] = None; from tui.cli import main; sys.exit(main())"
# The app module alone, without the command line (which imports every subcommand first).
APP_ALONE = (
    "import sys; sys.modules['pandas'] = sys.modules['numpy'] = None; from tui.app import ClaimdeskApp; "
    "ClaimdeskApp(sys.argv[1], sys.argv[2]).run()"
)


def time_to(command: list[str], *markers: str) -> list[float]:
    """Seconds from spawning ``command`` until each marker shows, in turn."""
    start = time.monotonic()
    app = PtyApp(command)
    try:
        times = []
        for marker in markers:
            app.wait_for(marker, timeout=60)
            times.append(time.monotonic() - start)
        return times
    finally:
        app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 articles, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.count, args.runs = 2000, 2
    db = database(args.count)
    ours, ours_data, lean, lean_data, alone, bare = [], [], [], [], [], []
    markers = ("claimdesk library", f"{args.count:,} articles")
    for _ in range(args.runs):
        bare += time_to(bare_command("bare-app-ready"), "bare-app-ready")
        # A fresh annotator each run: the app opens on the library, not on a resumed article.
        options = ["--db", str(db), "--annotator", f"bench-{uuid.uuid4().hex[:6]}"]
        frame, data = time_to(claimdesk_command(*options), *markers)
        ours.append(frame)
        ours_data.append(data)
        frame, data = time_to([sys.executable, "-c", RUNTIME_ONLY, *options], *markers)
        lean.append(frame)
        lean_data.append(data)
        alone += time_to([sys.executable, "-c", APP_ALONE, str(db), options[-1]], markers[0])

    def show(name: str, times: list[float]) -> None:
        runs = ", ".join(f"{t * 1000:.0f}" for t in times)
        ratio = median(times) / median(bare)
        print(f"  {name:<34} {median(times) * 1000:6.0f} ms  ratio {ratio:4.2f}  (runs: {runs})")

    print(f"start to first frame, {args.count:,} articles, median of {args.runs} (target: ratio <= 1.5):")
    show("bare Textual app (baseline)", bare)
    show("claimdesk, this environment", ours)
    show("  ... first page of articles", ours_data)
    show("claimdesk, runtime-only install", lean)
    show("  ... first page of articles", lean_data)
    show("app module alone, runtime-only", alone)
    ratio = median(ours) / median(bare)
    result(f"start to first frame, {args.count:,} articles", f"{median(ours) * 1000:.0f} ms",
           f"bare Textual app {median(bare) * 1000:.0f} ms", f"{ratio:.2f}", "<= 1.5x", ratio <= 1.5,
           "" if ratio <= 1.5 else
           "the app's own modules (screens, bindings, the command palette) and the store's imports "
           "(store.models' pydantic classes, sqlite_utils) load before the first frame; runs vary by 30% here")


if __name__ == "__main__":
    main()
