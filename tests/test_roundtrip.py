"""Round trip through every export format and back through ``claimdesk ingest``.

Hypothesis writes articles in many scripts with odd white space (tabs, runs
of spaces, blank lines, no-break and ideographic spaces) and spans that
overlap, nest, touch and repeat across annotators; each format is exported
and imported into an empty database, and what comes back must be what went
out, as far as the format can carry it: all of it for jsonl, Label Studio,
Parquet, brat and CSV (spans, annotators, attributes); the spans without
annotators for doccano; spans widened to spaCy's tokens for a DocBin; for
CoNLL the spans its one tag column (or --layers' one per label) can hold,
on a text rebuilt from the tokens, the rest counted in the summary.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from corpus.normalise import normalise_text
from corpus.readers import read_paths
from corpus.records import ArticleRecord, ImportedSpan
from store import Store
from store.export import ExportFilter, export
from store.ingest import Ingester

LABELS = ("claim", "quote", "figure")
ANNOTATORS = ("ana", "ben", "gold")
SPACES = (" ", "  ", "\t", "\n", "\n\n", " \u00a0", "\u3000", " \n ", "\n\t")
letters = st.characters(categories=("Lu", "Ll", "Lo"), exclude_characters="\u0345")
words = st.text(letters, min_size=1, max_size=6)


@st.composite
def articles(draw):
    """Articles (text and spans) as they are stored: the text normalised, spans on word edges."""
    out = []
    for number in range(draw(st.integers(1, 3))):
        pieces = draw(st.lists(st.tuples(words, st.sampled_from(SPACES)), min_size=2, max_size=14))
        text = normalise_text("".join(word + space for word, space in pieces)).strip() + f" n{number}"
        bounds = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        spans = {}
        for _ in range(draw(st.integers(1 if number == 0 else 0, 7))):
            first = draw(st.integers(0, len(bounds) - 1))
            last = draw(st.integers(first, min(first + 4, len(bounds) - 1)))
            key = (bounds[first][0], bounds[last][1], draw(st.sampled_from(LABELS)), draw(st.sampled_from(ANNOTATORS)))
            note = draw(st.one_of(st.none(), words))
            spans[key] = {"note": note} if note else {}
        out.append((text, spans))
    return out


pytestmark = pytest.mark.both_engines

_EMPTY: list[bytes] = []


def _empty_file(path: Path) -> Path:
    """A new SQLite file, copied from one made once (migrations take most of a round trip's time)."""
    if not _EMPTY:
        with tempfile.TemporaryDirectory() as folder:
            Store(Path(folder) / "e.db", create=True).close()
            _EMPTY.append((Path(folder) / "e.db").read_bytes())
    path.write_bytes(_EMPTY[0])
    return path


@pytest.fixture
def new_db(engine, request):
    """``new_db(folder, name)``: an empty database of the engine under test, a
    file in ``folder`` or, on PostgreSQL, a new schema (its URL)."""
    server = request.getfixturevalue("pg_server") if engine == "postgresql" else None

    def make(folder: Path, name: str) -> Path | str:
        return server.new_database() if server else _empty_file(folder / name)

    return make


def _store(target: Path | str, items) -> None:
    with Store(target) as store:
        Ingester(store.db).run([
            ArticleRecord(source="gen", id=f"art-{i}", title=f"t{i}", outlet="Gen", text=text,
                          spans=[ImportedSpan(start=s, end=e, label=label, annotator=who, attrs=attrs)
                                 for (s, e, label, who), attrs in spans.items()])
            for i, (text, spans) in enumerate(items)
        ])


def _read(target: Path | str) -> dict[str, Counter]:
    with Store(target) as store:
        rows = store.db.execute(
            "SELECT a.text, s.start, s.\"end\", s.label, s.annotator, s.attrs FROM spans s"
            " JOIN articles a ON a.id = s.article_id").fetchall()
    found: dict[str, Counter] = {}
    for text, start, end, label, who, attrs in rows:
        found.setdefault(text, Counter())[(start, end, label, who, json.dumps(json.loads(attrs), sort_keys=True))] += 1
    return found


def _expected(items) -> dict[str, Counter]:
    return {text: Counter((s, e, label, who, json.dumps(attrs, sort_keys=True)) for (s, e, label, who), attrs in spans.items())
            for text, spans in items if spans}


def _round_trip(new_db, items, fmt: str, name: str, *, layers: bool = False, articles_first: bool = False):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = new_db(folder, "a.db")
        _store(source, items)
        with Store(source) as store:
            report = export(store.db, fmt, folder / name, ExportFilter(), layers=layers)
        target = new_db(folder, "b.db")
        with Store(target) as store:
            if articles_first:  # a CSV export holds spans only: the articles come first, as the README says
                Ingester(store.db).run([ArticleRecord(source="gen", id=f"art-{i}", title="t", outlet="Gen", text=text)
                                        for i, (text, _) in enumerate(items)])
            result = Ingester(store.db).run(read_paths([folder / name]))
        assert result.rejected == [], [str(r) for r in result.rejected]
        return _read(target), report


# Bounded for CI: ten examples a format, a fixed seed, and no shrinking (a round trip costs about
# 0.3 s, and shrinking one failure could take minutes; the failing example is printed as found).
# new_db is a function-scoped fixture, but a factory: every example gets databases of its own.
# Always tried first: nested, overlapping, adjacent and repeated spans, astral characters, odd spaces.
TEXT = "🙂 Ännа  Reidel\tsaid 𝐀𝐁 ok\n\nvests\u3000failed n0"
EDGES = [(TEXT, {(2, 14, "claim", "ana"): {"note": "x"}, (2, 6, "quote", "ana"): {}, (8, 14, "quote", "ben"): {},
                 (8, 19, "claim", "ben"): {}, (20, 22, "figure", "ana"): {}, (23, 25, "figure", "ana"): {},
                 (23, 39, "claim", "gold"): {}, (2, 14, "claim", "ben"): {}})]
SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
                    derandomize=True, phases=[Phase.explicit, Phase.reuse, Phase.generate])


@pytest.mark.parametrize(("fmt", "name", "articles_first"), [
    ("jsonl", "o.jsonl", False), ("labelstudio", "o.json", False), ("parquet", "o.parquet", False),
    ("brat", "o", False), ("csv", "o.csv", True),
])
@SETTINGS
@given(items=articles())
@example(items=EDGES)
def test_formats_that_carry_everything_bring_back_spans_annotators_and_attributes(new_db, items, fmt, name,
                                                                                  articles_first):
    back, report = _round_trip(new_db, items, fmt, name, articles_first=articles_first)
    assert back == _expected(items)
    assert report.stats.dropped == 0


@SETTINGS
@given(items=articles())
def test_doccano_brings_back_the_spans_without_annotators(new_db, items):
    back, report = _round_trip(new_db, items, "doccano", "o.jsonl")
    expected = {text: {(s, e, label) for (s, e, label, _), _ in spans.items()} for text, spans in items if spans}
    assert {text: set(key[:3] for key in found) for text, found in back.items()} == expected
    assert all(key[3] == "imported" for found in back.values() for key in found)
    assert "doccano has no annotator" in report.summary()


@SETTINGS
@given(items=articles())
@example(items=EDGES)
def test_spacy_docbin_brings_back_the_spans_widened_to_tokens(new_db, items):
    spacy = pytest.importorskip("spacy", reason="spaCy is in the export-check extra")
    nlp = spacy.blank("en")
    expected = {}
    for text, spans in items:
        doc = nlp.make_doc(text)
        for (s, e, label, who), attrs in spans.items():
            span = doc.char_span(s, e, alignment_mode="expand")
            key = (span.start_char, span.end_char, label, who, json.dumps(attrs, sort_keys=True))
            expected.setdefault(text, Counter())[key] += 1
    back, _ = _round_trip(new_db, items, "spacy", "o.spacy")
    assert back == expected


@pytest.mark.parametrize("layers", [False, True])
@SETTINGS
@given(items=articles())
@example(items=EDGES)
def test_conll_brings_back_what_one_tag_column_holds_and_counts_the_rest(new_db, items, layers):
    back, report = _round_trip(new_db, items, "conll", "o.conll", layers=layers)
    sent = sum(len({(s, e, label) for (s, e, label, _) in spans}) for _, spans in items)
    returned = [(label, text[s:e]) for text, found in back.items() for (s, e, label, *_), n in found.items()
                for _ in range(n)]
    assert len(returned) == sent - report.stats.dropped
    if report.stats.dropped:
        assert "dropped" in report.summary()
    originals = {(label, " ".join(text[s:e].split())) for text, spans in items for (s, e, label, _) in spans}
    assert set(returned) <= originals
    if not any(spans for _, spans in items) or layers and not report.stats.dropped:
        return
    assert "CoNLL holds tokens, not the text's spacing" in report.summary()
