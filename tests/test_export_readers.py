"""Every export format read back by an independent reader, none of it ours.

The data is the demo corpus with overlapping spans, attributes and three
annotators (see test_export_fixtures). The readers are in the
``export-check`` extra; a test skips, saying which extra, only when its
reader is missing.
"""

from __future__ import annotations

import json

import pytest

from test_export_fixtures import EMOJI_ID, EMOJI_TEXT, demo_texts, export_db, rows  # noqa: F401  (fixtures)
from tui.cli import main

pytestmark = pytest.mark.both_engines

EXTRA = "in the export-check extra: pip install -e '.[export-check]'"


def _export(db, tmp_path, fmt, *extra, name=None):
    out = tmp_path / (name or f"out.{fmt}")
    assert main(["export", "--db", str(db), "--format", fmt, "--out", str(out), "--quiet", *extra]) == 0
    return out


def _accepted_spans(db) -> list[tuple]:
    return rows(db, "SELECT article_id, start, \"end\", label, annotator, attrs FROM spans WHERE status = 'accepted'")


def test_spacy_finds_every_jsonl_span_with_the_same_text_and_token_indices(export_db, tmp_path):
    spacy = pytest.importorskip("spacy", reason=f"spaCy is {EXTRA}")
    nlp = spacy.blank("en")
    lines = [json.loads(line) for line in _export(export_db, tmp_path, "jsonl").read_text(encoding="utf-8").splitlines()]
    checked = 0
    for line in lines:
        doc = nlp(line["text"])
        for span in line["spans"]:
            found = doc.char_span(span["start"], span["end"], alignment_mode="strict")
            assert found is not None, (line["meta"]["id"], span)
            assert found.text == span["text"] == line["text"][span["start"] : span["end"]]
            assert (found.start, found.end - 1) == (span["token_start"], span["token_end"])
            checked += 1
    assert checked == len(_accepted_spans(export_db))
    emoji = next(line for line in lines if line["meta"]["id"] == EMOJI_ID)
    assert emoji["text"] == EMOJI_TEXT and emoji["spans"], "the emoji article is exported with its spans"


def test_spacy_docbin_loads_with_every_span_in_sc(export_db, tmp_path):
    spacy = pytest.importorskip("spacy", reason=f"spaCy is {EXTRA}")
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(_export(export_db, tmp_path, "spacy")).get_docs(nlp.vocab))
    expected = {}
    for article_id, start, end, label, annotator, attrs in _accepted_spans(export_db):
        expected.setdefault(article_id, []).append((start, end, label, annotator, json.loads(attrs)))
    assert {doc.user_data["meta"]["id"] for doc in docs} == set(expected)
    for doc in docs:
        meta = doc.user_data["meta"]
        got = [
            (span.start_char, span.end_char, span.label_, attrs.pop("annotator"), attrs)
            for span, attrs in zip(doc.spans["sc"], doc.user_data["span_attrs"])
        ]
        assert sorted(got, key=repr) == sorted(expected[meta["id"]], key=repr), meta["id"]
        if meta["id"] == EMOJI_ID:
            assert doc.text == EMOJI_TEXT


def _conll_sentences(path):
    sentences, current, documents = [], [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            documents += 1
            continue
        if not line:
            if current:
                sentences.append(current)
            current = []
            continue
        current.append(line.split(" "))
    if current:
        sentences.append(current)
    return documents, sentences


@pytest.mark.parametrize("layers", [False, True])
def test_seqeval_lenient_and_strict_parses_of_conll_agree(export_db, tmp_path, capsys, layers):
    pytest.importorskip("seqeval", reason=f"seqeval is {EXTRA}")
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import IOB2, Entities

    path = _export(export_db, tmp_path, "conll", *(["--layers"] if layers else []))
    summary = capsys.readouterr().out
    documents, sentences = _conll_sentences(path)
    assert documents == len({row[0] for row in _accepted_spans(export_db)})
    columns = len(sentences[0][0]) - 1
    assert columns == (3 if layers else 1)
    found = 0
    for column in range(1, columns + 1):
        for sentence in sentences:
            tags = [token[column] for token in sentence]
            strict = [(e.tag, e.start, e.end - 1) for e in Entities([tags], scheme=IOB2).entities[0]]
            assert get_entities(tags) == strict, sentence
            found += len(strict)
    assert found > 50
    if layers:
        # Across labels nothing overlaps; only one of ana's and ben's nearly identical claims fits a column.
        assert "dropped 34 spans that overlap a longer" in summary
    else:
        assert "spans that overlap a span of higher priority" in summary


def test_bratly_finds_every_ann_compatible_with_its_txt(export_db, tmp_path):
    pytest.importorskip("bratly", reason=f"bratly is {EXTRA}")
    from bratly.io import read_document_collection_from_folder

    folder = _export(export_db, tmp_path, "brat")
    collection = read_document_collection_from_folder(str(folder))
    assert collection is not None and len(collection.documents) == len({r[0] for r in _accepted_spans(export_db)})
    assert collection.check_ann_compatibility_with_txt()
    entities = sum(line.startswith("T") for p in folder.glob("*.ann") for line in p.read_text().splitlines())
    assert entities == len(_accepted_spans(export_db))
    assert (folder / "annotation.conf").read_text().startswith("[entities]\nclaim\nquote\nfigure\n")


def test_label_studio_accepts_every_task_and_every_region_is_its_slice(export_db, tmp_path, capsys):
    pytest.importorskip("label_studio_sdk", reason=f"label-studio-sdk is {EXTRA}")
    from label_studio_sdk.label_interface import LabelInterface

    tasks = json.loads(_export(export_db, tmp_path, "labelstudio").read_text(encoding="utf-8"))
    config = capsys.readouterr().out.split("Label Studio labeling config: ", 1)[1].strip()
    interface = LabelInterface(config)
    regions = 0
    for task in tasks:
        assert interface.validate_task({"data": task["data"]})
        for annotation in task["annotations"]:
            assert interface.validate_annotation(annotation), annotation
            for region in annotation["result"]:
                value = region["value"]
                assert task["data"]["text"][value["start"] : value["end"]] == value["text"]
                regions += 1
    assert regions == len(_accepted_spans(export_db))
    gold = [a for task in tasks for a in task["annotations"] if a["ground_truth"]]
    assert len(gold) == 1 and len(gold[0]["result"]) == 3


def test_datasets_reads_parquet_with_class_labels_and_utc_timestamps(export_db, tmp_path):
    pytest.importorskip("datasets", reason=f"Hugging Face datasets is {EXTRA}")
    import pyarrow.parquet as pq
    from datasets import ClassLabel, Dataset, Value

    path = _export(export_db, tmp_path, "parquet")
    dataset = Dataset.from_parquet(str(path), cache_dir=str(tmp_path / "cache"))
    label = dataset.features["spans"].feature["label"]
    assert isinstance(label, ClassLabel) and label.names == ["claim", "quote", "figure"]
    assert dataset.features["published"] == Value("timestamp[ms, tz=UTC]")
    assert str(pq.read_schema(path).field("published").type) == "timestamp[ms, tz=UTC]"
    rows = {row["id"]: row for row in dataset}
    expected = _accepted_spans(export_db)
    assert sum(len(row["spans"]) for row in rows.values()) == len(expected)
    emoji = rows[EMOJI_ID]
    assert emoji["text"] == EMOJI_TEXT and emoji["published"].isoformat() == "2026-03-05T08:00:00+00:00"
    for row in rows.values():
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"]
            assert label.int2str(span["label"]) in {"claim", "quote", "figure"}
    figures = [s for row in rows.values() for s in row["spans"] if label.int2str(s["label"]) == "figure"]
    assert any(s["value"] == 12.0 and s["unit"] == "%" for s in figures)
