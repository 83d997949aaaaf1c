"""``claimdesk suggest``: propose figures, quotes and claim sentences for annotators to decide on."""

from __future__ import annotations

import argparse

from corpus.plural import counted
from tui.commands.errors import CommandError
from tui.commands.options import add_db_option, interactive, open_store
from tui.commands.progress import Progress

HELP = """\
Run the suggesters over stored articles (all, or one with --article) and
store what they propose as pending suggestions: figures with their value
and unit, quotes with their speaker, and the sentences most likely to be
claims. Annotators accept (a) or reject (x) them in the app. Running again
adds only what is new, so it is safe to repeat; `claimdesk ingest` already
runs it over each new article unless told --no-suggest."""

ARTICLES_PER_COMMIT = 200


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``suggest`` to the command line."""
    parser = commands.add_parser(
        "suggest", help="propose figures, quotes and claims to accept or reject", description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--article", metavar="ID", help="only this article")
    add_db_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Suggest over the chosen articles, a page at a time."""
    with open_store(args) as store:
        suggestions = store.suggestions
        if args.article:
            article = store.articles.get(args.article)
            if article is None:
                raise CommandError(f"no article with id {args.article!r}")
            added = suggestions.suggest_article(article.id, article.text)
            print(f"{counted(added, 'new suggestion')} in {article.id}")
            return 0
        total, done, added, after = store.articles.count(), 0, 0, 0
        with Progress("suggesting", enabled=interactive(), total=total) as progress:
            while page := store.articles.page(after=after, limit=ARTICLES_PER_COMMIT):
                texts = ((a.id, store.articles.get(a.id).text) for a in page)
                added += suggestions.suggest_articles(texts)
                done += len(page)
                after = page[-1].seq
                progress.update(done)
        print(f"{counted(added, 'new suggestion')} in {counted(done, 'article')}")
    return 0
