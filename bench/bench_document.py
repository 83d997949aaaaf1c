"""A 1 MB article: time to open it, and time per cursor move, against
Textual's read-only TextArea with soft wrap in the same run.

    .venv/bin/python bench/bench_document.py [--size 1000000] [--moves 200]

Headless (Textual's test driver) at 80x24. "Open" runs from the key that
opens the article (claimdesk: Enter in the library, which reads the article
in the writer thread) or from mounting the TextArea, to the first frame
showing it. "Move" is the CPU time of one key press to the frame after it (right,
down and next word in turn), median over --moves. Targets (issue 3): open < 500 ms,
move < 16 ms median.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid

from app_bench import big_article_database, big_article_text, median
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from tui.app import ClaimdeskApp

SIZE = (80, 24)
OUR_KEYS = ("l", "j", "w")
TEXTAREA_KEYS = ("right", "down", "ctrl+right")


async def time_keys(pilot, keys: tuple[str, ...], moves: int) -> list[float]:
    """CPU seconds per key press, to the frame after it. (Wall time under the
    Pilot is mostly its own fixed waits between keys, the same for any app.)"""
    times = []
    for n in range(moves):
        start = time.process_time()
        await pilot.press(keys[n % len(keys)])
        await pilot.pause()
        times.append(time.process_time() - start)
    return times


async def claimdesk(size: int, moves: int) -> tuple[float, list[float], int]:
    path, _ = big_article_database(size)
    app = ClaimdeskApp(path, f"bench-{uuid.uuid4().hex[:6]}")
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("enter")
        await app.settled()
        await pilot.pause()
        opened = time.perf_counter() - start
        screen = app.screen
        assert len(screen.view.text) >= size, "the article did not open"
        return opened, await time_keys(pilot, OUR_KEYS, moves), screen.view.layout_.row_count


class TextAreaApp(App):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        return []


async def textarea(size: int, moves: int) -> tuple[float, list[float]]:
    text = big_article_text(size)
    app = TextAreaApp(text)
    async with app.run_test(size=SIZE) as pilot:
        start = time.perf_counter()
        area = TextArea(text, read_only=True, soft_wrap=True)
        await app.mount(area)
        area.focus()
        await pilot.pause()
        opened = time.perf_counter() - start
        return opened, await time_keys(pilot, TEXTAREA_KEYS, moves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="a 100 KB article, 50 moves")
    args = parser.parse_args()
    if args.quick:
        args.size, args.moves = 100_000, 50
    ours_open, ours_moves, rows = asyncio.run(claimdesk(args.size, args.moves))
    base_open, base_moves = asyncio.run(textarea(args.size, args.moves))
    print(f"a {args.size:,}-character article ({rows:,} rows at 80 columns), headless at 80x24:")
    print(f"  open:  claimdesk {ours_open * 1000:7.0f} ms   TextArea {base_open * 1000:7.0f} ms"
          f"   ratio {ours_open / base_open:5.2f}   (target < 500 ms)")
    ours, base = median(ours_moves), median(base_moves)
    print(f"  move:  claimdesk {ours * 1000:7.1f} ms   TextArea {base * 1000:7.1f} ms"
          f"   ratio {ours / base:5.2f}   (median of {args.moves}; target < 16 ms)")
    print(f"         claimdesk 90th percentile {sorted(ours_moves)[int(len(ours_moves) * 0.9)] * 1000:.1f} ms")
    from results import ratio, result

    result(f"open a {args.size / 1e6:g} MB article", f"{ours_open * 1000:.0f} ms",
           f"{base_open * 1000:.0f} ms: Textual's read-only TextArea", ratio(ours_open, base_open), "< 500 ms",
           ours_open < 0.5)
    result("repaint per cursor move in that article, median", f"{ours * 1000:.1f} ms",
           f"{base * 1000:.1f} ms: TextArea", ratio(ours, base), "< 16 ms", ours < 0.016)


if __name__ == "__main__":
    main()
