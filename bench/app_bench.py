"""Shared pieces of the app benchmarks: cached databases, a bare Textual
baseline app, and the pseudo-terminal runner from the tests."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "bench")]

from corpus.records import ArticleRecord  # noqa: E402
from pty_app import PtyApp, claimdesk_command  # noqa: E402,F401
from store import Store  # noqa: E402
from store.ingest import Ingester  # noqa: E402
from synthetic import article, articles  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "claimdesk-bench"

BARE_APP = """
import sys
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static(sys.argv[1])
Bare().run()
"""


def database(count: int, size: int = 1000) -> Path:
    """A database of ``count`` synthetic articles of about ``size`` characters (built once, then reused)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"articles-{count}-{size}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with Store(partial) as store:
            records = (ArticleRecord(source="bench", **a) for a in articles(count, size=size))
            Ingester(store.db).run(records)
            store.articles.count(title_contains="minister")  # build the title index now, not during a run
        partial.rename(path)
    return path


def big_article_text(size: int = 1_000_000) -> str:
    """About ``size`` characters of news-like text (1 MB: about 170,000 words)."""
    import random

    return article(random.Random(11), 0, size)["text"]


def big_article_database(size: int = 1_000_000) -> tuple[Path, str]:
    """A database whose first article is ``size`` characters long; returns it and the article id."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"big-article-{size}.db"
    if not path.exists():
        with Store(path) as store:
            Ingester(store.db).run([ArticleRecord(source="bench", id="big", title="A very long article",
                                                  outlet="Bench", text=big_article_text(size))])
    return path, "big"


def bare_command(marker: str) -> list[str]:
    """A bare Textual app that shows one Static with ``marker``."""
    return [sys.executable, "-c", BARE_APP, marker]


def median(values: list[float]) -> float:
    return statistics.median(values)


def slate_command(text_file: Path) -> tuple[list[str] | None, str]:
    """The command that opens ``text_file`` in slate, the curses annotator,
    installed with pip into a throwaway venv of the bench's own (made once);
    or None and why it could not be installed."""
    import subprocess
    import venv

    home = CACHE / "slate-venv"
    slate = home / "bin" / "slate"
    if not slate.exists():
        CACHE.mkdir(exist_ok=True)
        try:
            venv.create(home, with_pip=True, clear=True)
            done = subprocess.run([str(home / "bin" / "pip"), "install", "-q", "slate-nlp"], capture_output=True,
                                  text=True, timeout=300)
        except (OSError, subprocess.SubprocessError) as error:
            return None, f"could not make a venv for slate: {error}"
        if done.returncode != 0 or not slate.exists():
            lines = (done.stderr or done.stdout).strip().splitlines()
            return None, f"pip install slate-nlp failed: {lines[-1] if lines else done.returncode}"
    return [str(slate), str(text_file)], ""
