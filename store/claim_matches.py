"""Live matching for the app: where else a claim ran, tagged or not, as the annotator works.

:class:`ClaimMatcher` keeps a :class:`corpus.claim_index.ClaimIndex` of every
claim, built once and then kept up to date from the events table (every
change to a span is an event, so the events since the last look name
exactly the spans to re-read). The index holds no claim text (the few a
query returns are read back by span id) and is kept between runs in the
user's cache folder (:mod:`store.index_cache`), so a start catches up with
the events since it was saved instead of building it again. The matcher answers for one claim with the claims of
other articles that match it (or conflict with it, or that an annotator
linked or kept apart) and the sentences of other articles that match it but
carry no claim yet.

It reads through its own connection and is not thread-safe: one worker
owns it, so matching never waits on, or blocks, the app's other work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from store.engine import Database

from corpus.claim_index import ClaimIndex
from corpus.claim_match import DEFAULT_THRESHOLD, MatchVerdict, compare
from store.claim_sentences import SentenceIndex
from store.claims import Claim, ClaimStore, Decision
from store.index_cache import MATCHING_CODE, code_version, index_cache_path, load_index_cache, save_index_cache

# Candidates asked of an index per wanted match: some are in the claim's own
# article, already tagged, or below the threshold.
_OVERFETCH = 3
# Claims changed since the index was last saved before it is saved again:
# catching up on this many at the next start takes about a second, saving a
# million-claim index a few.
_RESAVE_AFTER = 5000
_FORMAT = 1


def claim_cache_path(db_path: Path | str) -> Path:
    """Where the claim index of the database at ``db_path`` is kept: the user's cache folder."""
    return index_cache_path(db_path, "claims")


@dataclass(frozen=True, slots=True)
class ClaimMatch:
    """A claim of another article, how it compares, and the decision on the pair (if any)."""

    claim: Claim
    verdict: MatchVerdict
    decision: Decision | None = None


@dataclass(frozen=True, slots=True)
class UntaggedMatch:
    """A sentence of another article that matches the claim and carries no claim yet."""

    article_id: str
    start: int
    end: int
    text: str
    outlet: str
    title: str
    verdict: MatchVerdict
    dismissed: bool = False  # an annotator marked it "not the same"


def _rank(match: ClaimMatch) -> tuple:
    """Links first, then matches, then conflicts, then pairs kept apart; best score first in each."""
    if match.decision == "same":
        group = 0
    elif match.decision == "not_same":
        group = 3
    else:
        group = 1 if match.verdict.same else 2
    return group, -match.verdict.score


class ClaimMatcher:
    """The matches of a claim among the database's other claims and untagged sentences."""

    def __init__(self, db: Database, *, sentences: SentenceIndex | None = None,
                 threshold: float = DEFAULT_THRESHOLD, cache: Path | None = None, embedder=None) -> None:
        """``cache`` is the file the claim index is kept in between runs (:func:`claim_cache_path`);
        None keeps nothing. ``embedder`` (:func:`store.embeddings.open_embedder`) turns the
        semantic scorer on for claims (untagged sentences stay lexical: embedding every
        sentence of a corpus costs hours, docs/matching.md)."""
        self.embedder = embedder
        self.db = db
        self.claims = ClaimStore(db)
        self.sentences = sentences
        self.threshold = threshold
        self.cache = cache
        self.index: ClaimIndex | None = None
        self._seen = 0  # the last event applied to the index
        self._unsaved = 0  # claims changed since the index was saved

    def _last_event(self) -> int:
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]

    def _event_id(self, seq: int) -> str | None:
        row = self.db.execute("SELECT id FROM events WHERE seq = ?", [seq]).fetchone()
        return row[0] if row else None

    def _model(self) -> str | None:
        # The index keeps the vectors of one model: another (or none) starts afresh.
        return None if self.embedder is None else self.embedder.model

    def _identity(self) -> tuple | None:
        return self.db.execute("SELECT id, hash FROM articles ORDER BY rowid LIMIT 1").fetchone()

    def _texts(self, span_ids: list[str]) -> dict[str, str]:
        return {span_id: claim.text for span_id, claim in self.claims.get(span_ids).items()}

    def _load(self) -> bool:
        saved = load_index_cache(self.cache, {"format": _FORMAT, "code": code_version(MATCHING_CODE),
                                              "identity": self._identity(), "model": self._model()})
        # The event the index was saved at, still there under the same id:
        # the same history, so the events since say what changed.
        if saved is None or saved.get("seen_id") != self._event_id(saved.get("seen", 0)):
            return False
        self.index, self._seen = saved["index"], saved["seen"]
        self.index.texts = self._texts
        self.index.threshold = self.threshold
        return True

    def _save(self) -> None:
        if self.cache is not None:
            save_index_cache(self.cache, {
                "format": _FORMAT, "code": code_version(MATCHING_CODE), "identity": self._identity(),
                "model": self._model(), "seen": self._seen, "seen_id": self._event_id(self._seen), "index": self.index,
            })
        self._unsaved = 0

    def _embed_missing(self, on_progress: Callable[[int], None] | None) -> None:
        """Give every claim of the index without a vector its embedding (from the
        embedder's cache where it has one)."""
        if self.embedder is None:
            return
        missing = self.index.missing_vectors()
        for start in range(0, len(missing), 1024):
            keys = missing[start:start + 1024]
            texts = self._texts(keys)
            keys = [key for key in keys if key in texts]
            vectors = self.embedder.vectors([texts[key] for key in keys])
            for key, vector in zip(keys, vectors):
                self.index.set_vector(key, vector)
            if on_progress:
                on_progress(start + len(keys))
        if missing:
            self._unsaved += len(missing)

    def sync(self, *, on_progress: Callable[[int], None] | None = None) -> int:
        """Bring the claim index up to date (loading it from the cache, or building it,
        the first time), with the embeddings of its claims when the semantic scorer is on;
        returns how many claims it added, replaced or dropped."""
        changed = self._sync(on_progress)
        if self.embedder is not None:
            before = self._unsaved
            self._embed_missing(on_progress)
            if self._unsaved > before and (changed == len(self.index) or self._unsaved >= _RESAVE_AFTER):
                self._save()  # a first build, or many vectors made: keep them
        return changed

    def _sync(self, on_progress: Callable[[int], None] | None) -> int:
        if self.index is None and not (self.cache is not None and self._load()):
            # Read the marker first: a change made while the claims stream is
            # applied again on the next sync, which is harmless.
            self._seen = self._last_event()
            self.index = ClaimIndex(threshold=self.threshold, texts=self._texts)
            for count, claim in enumerate(self.claims.claims(), 1):
                self.index.add(claim.span_id, claim.text)
                if on_progress:
                    on_progress(count)
            self._save()
            return len(self.index)
        top = self._last_event()
        if top == self._seen:
            return 0
        # Cluster ids never change a claim's text.
        changed = [row[0] for row in self.db.execute(
            "SELECT DISTINCT span_id FROM events WHERE seq > ? AND seq <= ? AND span_id IS NOT NULL"
            " AND action <> 'cluster'", [self._seen, top],
        )]
        current = self.claims.get(changed)
        for span_id in changed:
            if span_id in current:
                self.index.add(span_id, current[span_id].text)
            else:
                self.index.remove(span_id)
        self._seen = top
        self._unsaved += len(changed)
        if self._unsaved >= _RESAVE_AFTER:
            self._save()
        return len(changed)

    def claim_matches(self, claim: Claim, k: int = 10) -> list[ClaimMatch]:
        """Claims of other articles that match ``claim``, conflict with it, or were
        decided on with it; one per place (several annotators may tag one sentence)."""
        self.sync()
        decided = {d.other(claim.span_id): d.decision for d in self.claims.decisions(claim.span_id)
                   if d.other_span is not None}
        vector = None
        if self.embedder is not None:
            vector = self.index.vector(claim.span_id)
            if vector is None:
                vector = self.embedder.vectors([claim.text])[0]
        found = {
            candidate.key: candidate.verdict
            for candidate in self.index.query(claim.text, k=_OVERFETCH * k, exclude=claim.span_id, vector=vector)
            if candidate.verdict.same or candidate.verdict.conflict or candidate.key in decided
        }
        others = self.claims.get([*found, *decided])
        matches = []
        for span_id, other in others.items():
            if other.article_id == claim.article_id and span_id not in decided:
                continue
            verdict = found.get(span_id)
            if verdict is None:
                other_vector = None if vector is None else self.index.vector(span_id)
                semantic = None if other_vector is None else float(vector @ other_vector)
                verdict = compare(claim.text, other.text, self.threshold, semantic=semantic)
            matches.append(ClaimMatch(other, verdict, decided.get(span_id)))
        matches.sort(key=_rank)
        seen, unique = set(), []
        for match in matches:
            place = (match.claim.article_id, match.claim.start, match.claim.end)
            if place not in seen:
                seen.add(place)
                unique.append(match)
        return unique[:k]

    def untagged_matches(self, claim: Claim, k: int = 10,
                         *, on_progress: Callable[[int], None] | None = None) -> list[UntaggedMatch]:
        """Sentences of other articles that match ``claim`` (or conflict with it) and carry
        no claim yet, best first; those marked "not the same" last. The sentence index is
        brought up to date first (built, the first time, unless cached)."""
        if self.sentences is None:
            return []
        self.sentences.refresh(on_progress=on_progress)
        dismissed = {d.sentence for d in self.claims.decisions(claim.span_id) if d.sentence is not None}
        found = [
            match for match in self.sentences.search(claim.text, _OVERFETCH * k, skip_articles={claim.article_id})
            if match.verdict.same or match.verdict.conflict
        ]
        found.sort(key=lambda m: ((m.article_id, m.start, m.end) in dismissed, -m.verdict.score))
        found = found[:k]
        names = {
            row[0]: (row[1], row[2]) for row in self.db.execute(
                "SELECT a.id, o.name, a.title FROM articles a JOIN outlets o ON o.id = a.outlet_id"
                f" WHERE a.id IN ({', '.join('?' * len(found))})", [m.article_id for m in found],
            )
        } if found else {}
        return [
            UntaggedMatch(m.article_id, m.start, m.end, m.text, *names[m.article_id], m.verdict,
                          dismissed=(m.article_id, m.start, m.end) in dismissed)
            for m in found
        ]
