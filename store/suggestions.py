"""Suggested spans: stored once per suggester version, decided per annotator.

A suggestion is a span of origin ``suggested`` and status ``pending`` whose
annotator is the suggester that made it (``figures@1``). It is shared by the
whole team. An annotator's decision is a span of their own that points back
to it (``attrs["suggestion"]``): ``accepted`` (it becomes their annotation,
with the suggestion's attributes) or ``rejected`` (kept so the suggestion
stays out of their way). Decisions are ordinary adds, so undo and redo work
on them, and another annotator still sees the suggestion pending.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from store.sqlite import sqlite_utils

from corpus.suggestions import Suggestion, suggest
from store import events
from store.db import write
from store.models import Span
from store.spans import NewSpan, SpanRows, SpanStore, article_texts, insert_rows, insert_spans

# Article ids per lookup query: below SQLite's default limit on host parameters.
_LOOKUP_CHUNK = 500

# Attributes that describe the suggester's confidence or reasons, not the span.
_SUGGESTER_ONLY = {"score", "rule"}


def _version(suggester: str) -> int:
    """The version of ``"name@version"`` (0 when it has none)."""
    _, _, version = suggester.rpartition("@")
    return int(version) if version.isdigit() else 0


def _key(start: int, end: int, label: str, annotator: str) -> tuple[int, int, str, str]:
    return start, end, label, annotator


class SuggestionStore:
    """Store suggestions and the annotators' decisions on them."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.spans = SpanStore(db)

    def add(self, article_id: str, suggestions: Iterable[Suggestion]) -> int:
        """Store the suggestions an article does not hold yet; returns how many were new.

        Running the same suggester version again adds nothing.
        """
        return self.add_articles([(article_id, list(suggestions))])

    def add_articles(
        self, found: list[tuple[str, list[Suggestion]]], texts: dict[str, str] | None = None
    ) -> int:
        """Store the new suggestions of several articles in one transaction, with one
        ``executemany`` for the spans and one for their events; returns how many
        were new. Each article's suggestions of one suggester are one batch.
        ``texts`` holds the articles' texts when the caller has them already."""
        with write(self.db):
            existing = self._existing([article_id for article_id, _ in found])
            new: list[NewSpan] = []
            makers: list[str] = []
            rules: list[str] = []
            for article_id, suggestions in found:
                # One pending suggestion per label and text, whichever
                # suggester or version made it (issue 11 item 4).
                held = {(start, end, label) for start, end, label, _ in existing.get(article_id, set())}
                for s in suggestions:
                    if (s.start, s.end, s.label) in held:
                        continue
                    held.add((s.start, s.end, s.label))
                    rules.append(s.rule)
                    # The suggesters' own output: constructed without validating (prepare checks the edges).
                    new.append(NewSpan.model_construct(
                        article_id=article_id, start=s.start, end=s.end, label=s.label, origin="suggested",
                        status="pending", attrs={k: v for k, v in s.attrs.items() if v is not None}, span_id=None))
                    makers.append(s.suggester)
            if not new:
                return 0
            if texts is None:
                texts = article_texts(self.db, [span.article_id for span in new])
            made: list[Span] = []
            made_rules: list[str] = []
            for suggester in sorted(set(makers)):
                made += self.spans.prepare([n for n, m in zip(new, makers) if m == suggester], suggester, texts=texts)
                made_rules += [r for r, m in zip(rules, makers) if m == suggester]
            # Undo goes by annotator (the suggester) and batch: one batch per article is one per suggester too.
            batches = {article_id: events.new_id() for article_id, _ in found}
            insert_spans(self.db, made, article_batches=batches)
            self.db.executemany(
                "INSERT INTO suggestion_rules (span_id, rule) VALUES (?, ?) ON CONFLICT (span_id) DO UPDATE SET rule = excluded.rule",
                [(span.id, rule) for span, rule in zip(made, made_rules) if rule],
            )
            return len(made)

    def rules(self, article_id: str) -> dict[str, str]:
        """Why each suggestion of the article was made, by span id (``"figure:currency"``)."""
        return dict(self.db.execute(
            "SELECT r.span_id, r.rule FROM suggestion_rules r JOIN spans s ON s.id = r.span_id WHERE s.article_id = ?",
            [article_id],
        ).fetchall())

    def _existing(self, article_ids: list[str]) -> dict[str, set[tuple[int, int, str, str]]]:
        held: dict[str, set[tuple[int, int, str, str]]] = {}
        for start in range(0, len(article_ids), _LOOKUP_CHUNK):
            chunk = article_ids[start:start + _LOOKUP_CHUNK]
            rows = self.db.execute(
                'SELECT article_id, start, "end", label, annotator FROM spans'
                f" WHERE article_id IN ({', '.join('?' * len(chunk))}) AND origin = 'suggested' AND status = 'pending'",
                chunk,
            )
            for article_id, *key in rows:
                held.setdefault(article_id, set()).add(_key(*key))
        return held

    def suggest_article(self, article_id: str, text: str) -> int:
        """Run every suggester over one article and store what is new."""
        return self.add_articles([(article_id, suggest(text))], {article_id: text})

    def suggest_articles(self, articles: Iterable[tuple[str, str]]) -> int:
        """Run every suggester over several ``(article_id, text)`` pairs; one commit for all."""
        texts = dict(articles)
        return self.add_articles([(article_id, suggest(text)) for article_id, text in texts.items()], texts)

    def pending(self, article_id: str, annotator: str) -> list[Span]:
        """Suggestions the annotator has not decided on, nor already made themselves."""
        spans = self.spans.for_article(article_id)
        decided = {s.attrs.get("suggestion") for s in spans if s.annotator == annotator}
        own = {(s.start, s.end, s.label) for s in spans if s.annotator == annotator and s.status == "accepted"}
        # A file may hold the same suggestion from two suggester versions (made
        # before add() kept one per text, or one version's claim sentence
        # ending where the other's does not): show one per label that starts
        # or ends there, the newest version's.
        shown: list[Span] = []
        seen: set[tuple[str, str, int]] = set()
        candidates = [s for s in spans if s.status == "pending" and s.id not in decided and (s.start, s.end, s.label) not in own]
        for s in sorted(candidates, key=lambda s: _version(s.annotator), reverse=True):
            if ("start", s.label, s.start) in seen or ("end", s.label, s.end) in seen:
                continue
            seen.update({("start", s.label, s.start), ("end", s.label, s.end)})
            shown.append(s)
        order = {s.id: i for i, s in enumerate(spans)}
        rules = self.rules(article_id) if shown else {}
        # The rule rides along in the copy handed out (attrs["rule"]), for the
        # status line; the stored span and its events do not hold it.
        return [
            s.model_copy(update={"attrs": {**s.attrs, "rule": rules[s.id]}}) if s.id in rules else s
            for s in sorted(shown, key=lambda s: order[s.id])
        ]

    def _decision(self, suggestion: Span, status: str) -> NewSpan:
        attrs = {k: v for k, v in suggestion.attrs.items() if k not in _SUGGESTER_ONLY}
        attrs["suggestion"] = suggestion.id
        return NewSpan(article_id=suggestion.article_id, start=suggestion.start, end=suggestion.end,
                       label=suggestion.label, origin="suggested", status=status, attrs=attrs)

    def accept(self, suggestion: Span, annotator: str) -> Span:
        """The suggestion becomes the annotator's own span, attributes and all."""
        return self.spans.add_many([self._decision(suggestion, "accepted")], annotator)[0]

    def reject(self, suggestion: Span, annotator: str) -> Span:
        """Record that the annotator turned the suggestion down."""
        return self.spans.add_many([self._decision(suggestion, "rejected")], annotator)[0]

    def accept_all(self, article_id: str, label: str, annotator: str) -> SpanRows:
        """Accept every pending suggestion of one label in the article, as one undoable step.

        Read and written as rows (two light queries, one ``executemany`` for the
        spans and one for their events): an article of a megabyte holds
        thousands of suggestions of a label."""
        with self.spans.batch():
            held = self.db.execute(
                f"SELECT {self.db.json_text('attrs', 'suggestion')}, start, \"end\", label, status FROM spans"
                " WHERE article_id = ? AND annotator = ?", [article_id, annotator],
            ).fetchall()
            decided = {row[0] for row in held}
            own = {(row[1], row[2], row[3]) for row in held if row[4] == "accepted"}
            chosen = [
                row for row in self.db.execute(
                    'SELECT id, start, "end", text, attrs FROM spans WHERE article_id = ? AND label = ?'
                    " AND status = 'pending' ORDER BY start, \"end\" DESC, id",
                    [article_id, label],
                )
                if row[0] not in decided and (row[1], row[2], label) not in own
            ]
            stamp = events.now()
            rows = []
            for span_id, (suggestion, start, end, text, attrs) in zip(events.new_ids(len(chosen)), chosen):
                kept = {k: v for k, v in json.loads(attrs).items() if k not in _SUGGESTER_ONLY}
                kept["suggestion"] = suggestion
                rows.append({
                    "id": span_id, "article_id": article_id, "start": start, "end": end, "label": label,
                    "text": text, "annotator": annotator, "origin": "suggested", "status": "accepted",
                    "attrs": json.dumps(kept, ensure_ascii=False, sort_keys=True), "created_at": stamp,
                    "updated_at": stamp, "version": 1,
                })
            if rows:
                insert_rows(self.db, rows, batch=self.spans.current_batch)
        return SpanRows(rows)
