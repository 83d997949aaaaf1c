"""Importing what other annotation tools write, and every claimdesk export.

Files come from the real tools where they are installed here (spaCy writes
the DocBin, bratly the .ann files, label-studio-sdk's label interface checks
the tasks, seqeval decodes the IOB schemes independently) and from our own
exports of the shared export database.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from test_export_fixtures import export_db, own_copy, rows  # noqa: F401  (fixtures)
from tui.cli import main

# Each test imports into db_path, an empty database of the engine under test.
pytestmark = pytest.mark.both_engines


def _ingest(db, *paths, fmt=None):
    extra = ["--format", fmt] if fmt else []
    return main(["ingest", *map(str, paths), "--db", str(db), "--no-suggest", "--quiet", *extra])


def _export(db, out, fmt, *extra):
    assert main(["export", "--db", str(db), "-f", fmt, "-o", str(out), "--quiet", "--force", *extra]) == 0
    return out


def _spans(db, *, by_text=True):
    """(article text, start, end, label, annotator) of every accepted span."""
    return Counter(rows(db,
        "SELECT a.text, s.start, s.\"end\", s.label, s.annotator FROM spans s JOIN articles a ON a.id = s.article_id"
        " WHERE s.status = 'accepted'"))


def _attrs(db):
    return Counter((t, s, e, json.dumps(json.loads(a), sort_keys=True)) for t, s, e, a in rows(db,
        "SELECT a.text, s.start, s.\"end\", s.attrs FROM spans s JOIN articles a ON a.id = s.article_id"
        " WHERE s.status = 'accepted'"))


def _ids(db):
    """The ids of the articles an export holds (those with an accepted span; none is marked done here)."""
    return {row[0] for row in rows(db,
        "SELECT id FROM articles WHERE id IN (SELECT article_id FROM spans WHERE status = 'accepted')")}


@pytest.mark.parametrize(("fmt", "name"), [
    ("jsonl", "out.jsonl"), ("labelstudio", "out.json"), ("spacy", "out.spacy"), ("parquet", "out.parquet"),
    ("brat", "out"),
])
def test_our_export_imports_back_with_every_span_and_annotator(db_path, export_db, tmp_path, capsys, fmt, name):
    out = _export(export_db, tmp_path / name, fmt)
    target = db_path
    assert _ingest(target, out) == 0, capsys.readouterr().err
    if fmt == "spacy":  # spaCy widens spans to whole tokens (tests/test_roundtrip.py checks how)
        assert sum(_spans(target).values()) == sum(_spans(export_db).values())
        assert Counter(who for *_, who in _spans(target).elements()) == Counter(
            who for *_, who in _spans(export_db).elements())
    else:
        assert _spans(target) == _spans(export_db)
        assert _attrs(target) == _attrs(export_db)
    if fmt != "brat":  # brat files carry no article id
        assert _ids(target) == _ids(export_db)


def test_doccano_export_imports_back_with_ids_and_spans_without_annotators(db_path, export_db, tmp_path):
    out = _export(export_db, tmp_path / "d.jsonl", "doccano")
    target = db_path
    assert _ingest(target, out) == 0
    assert _ids(target) == _ids(export_db)
    unique = {(t, s, e, label) for t, s, e, label, _ in _spans(export_db)}
    assert {(t, s, e, label) for t, s, e, label, _ in _spans(target)} == unique
    assert {who for *_, who in _spans(target)} == {"imported"}


def test_our_csv_adds_its_spans_to_the_articles_already_stored(db_path, export_db, tmp_path, capsys):
    csv_rows = _export(export_db, tmp_path / "s.csv", "csv")
    target = db_path
    articles = _export(export_db, tmp_path / "a.jsonl", "jsonl")
    lines = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines()]
    for line in lines:  # the articles, with their quotes only
        line["spans"] = [span for span in line["spans"] if span["label"] == "quote"]
    articles.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert _ingest(target, articles) == 0
    capsys.readouterr()
    assert main(["ingest", str(csv_rows), "--db", str(target), "--no-suggest"]) == 0
    assert "added to articles already stored" in capsys.readouterr().out
    assert _spans(target) == _spans(export_db)  # the quotes are not doubled
    assert _attrs(target) == _attrs(export_db)


def test_csv_rows_for_articles_not_stored_are_rejected_with_their_line(db_path, export_db, tmp_path, capsys):
    csv_rows = _export(export_db, tmp_path / "s.csv", "csv")
    assert _ingest(db_path, csv_rows) == 1
    err = capsys.readouterr().err
    assert f"{csv_rows}:2: article " in err and "ingest the articles first" in err


def test_conll_export_imports_back_as_token_text_with_the_kept_spans(db_path, export_db, tmp_path, capsys):
    out = _export(export_db, tmp_path / "c.conll", "conll", "--label", "quote", "--annotator", "ana")
    target = db_path
    assert _ingest(target, out) == 0
    quotes = sorted(" ".join(t[s:e].split()) for t, s, e, label, _ in _spans(export_db) if label == "quote")
    back = sorted(row[0] for row in rows(target, "SELECT text FROM spans WHERE label = 'quote'"))
    # tokens are rebuilt with single spaces: compare word sequences, tokens split off punctuation
    assert len(back) == len(quotes)
    assert [q.replace(" ", "") for q in back] == [q.replace(" ", "") for q in quotes]


def test_labels_not_defined_are_created_and_listed(db_path, tmp_path, capsys):
    source = tmp_path / "d.jsonl"
    source.write_text(json.dumps({"text": "Anna Reidel met Brevonia's army.", "label": [[0, 11, "PERSON"],
                                                                                       [16, 24, "GPE"]]}) + "\n")
    db = db_path
    assert main(["ingest", str(source), "--db", str(db), "--no-suggest"]) == 0
    assert "labels created: gpe, person" in capsys.readouterr().out
    assert main(["labels", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "person" in listed and "gpe" in listed
    assert {(label, t[s:e]) for t, s, e, label, _ in _spans(db)} == {("person", "Anna Reidel"), ("gpe", "Brevonia")}


# --- files written by the real tools ----------------------------------------------------------------


def test_spacy_docbin_written_by_spacy_brings_ents_and_span_groups(db_path, tmp_path):
    spacy = pytest.importorskip("spacy", reason="spaCy is in the export-check extra")
    from spacy.tokens import DocBin, Span

    nlp = spacy.blank("en")
    doc = nlp("Anna Reidel said 12% of the vests failed in Brevonia.")
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 10, 11, label="GPE")]
    doc.spans["sc"] = [Span(doc, 0, 2, label="PERSON"), Span(doc, 3, 5, label="FIGURE")]
    doc.spans["claims"] = [Span(doc, 3, 9, label="CLAIM")]
    path = tmp_path / "t.spacy"
    DocBin(docs=[doc]).to_disk(path)
    db = db_path
    assert _ingest(db, path) == 0
    got = {(label, t[s:e]) for t, s, e, label, _ in _spans(db)}
    assert got == {("person", "Anna Reidel"), ("gpe", "Brevonia"), ("figure", "12%"),
                   ("claim", "12% of the vests failed")}


def test_brat_files_written_by_bratly_bring_spans_attributes_and_notes(db_path, tmp_path, capsys):
    pytest.importorskip("bratly", reason="bratly is in the export-check extra")
    from bratly import AnnotationCollection, AttributeAnnotation, EntityAnnotation, Fragment, NoteAnnotation
    from bratly.io.ann_write_src import write_ann_file

    text = "Anna Reidel said the vests\nfailed in Brevonia.\n"
    (tmp_path / "doc.txt").write_text(text, encoding="utf-8")
    person = EntityAnnotation(id="T1", label="Person", fragments=[Fragment(start=0, end=11)], content="Anna Reidel")
    place = EntityAnnotation(id="T2", label="Place", fragments=[Fragment(start=37, end=45)], content="Brevonia")
    write_ann_file(AnnotationCollection(annotations=[
        person, place,
        AttributeAnnotation(id="A1", label="Negated", component=place),
        AttributeAnnotation(id="A2", label="Confidence", component=person, values=["high"]),
        NoteAnnotation(id="#1", label="AnnotatorNotes", component=person, value="the acting minister"),
    ]), str(tmp_path / "doc.ann"))
    db = db_path
    assert _ingest(db, tmp_path) == 0, capsys.readouterr().err
    found = {row[0]: json.loads(row[1]) for row in rows(db, "SELECT text, attrs FROM spans")}
    assert found == {"Anna Reidel": {"Confidence": "high", "note": "the acting minister"},
                    "Brevonia": {"Negated": True}}
    assert len(_ids(db)) == 1  # the .txt is the brat document's text, not a second article


def test_brat_discontinuous_spans_and_relations_are_refused_with_their_line(db_path, tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Anna Reidel said the vests failed.\n", encoding="utf-8")
    (tmp_path / "a.ann").write_text("T1\tPerson 0 4\tAnna\nT2\tClaim 12 16;21 26\tsaid vests\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Anna Reidel said so.\n", encoding="utf-8")
    (tmp_path / "b.ann").write_text("T1\tPerson 0 4\tAnna\nT2\tPerson 5 11\tReidel\nR1\tSame Arg1:T1 Arg2:T2\n",
                                    encoding="utf-8")
    assert _ingest(db_path, tmp_path) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'a.ann'}:2: T2: a discontinuous span (12 16;21 26)" in err
    assert f"{tmp_path / 'b.ann'}:3: R1 is a relation" in err
    assert _ids(db_path) == set()


@pytest.mark.parametrize("scheme", ["IOB2", "IOB1", "IOBES"])
def test_conll_tag_schemes_decode_as_seqeval_decodes_them(db_path, tmp_path, scheme):
    seqeval = pytest.importorskip("seqeval.metrics.sequence_labeling", reason="seqeval is in the export-check extra")
    tokens = "Anna Reidel said Brevonia and Ostel signed in Halvard Bay yesterday".split()
    tags = {
        "IOB2": ["B-PER", "I-PER", "O", "B-GPE", "O", "B-GPE", "O", "O", "B-LOC", "I-LOC", "O"],
        "IOB1": ["I-PER", "I-PER", "O", "I-GPE", "O", "I-GPE", "O", "O", "I-LOC", "I-LOC", "O"],
        "IOBES": ["B-PER", "E-PER", "O", "S-GPE", "O", "S-GPE", "O", "O", "B-LOC", "E-LOC", "O"],
    }[scheme]
    path = tmp_path / "t.iob"
    path.write_text("-DOCSTART- O\n\n" + "".join(f"{t} {g}\n" for t, g in zip(tokens, tags)), encoding="utf-8")
    db = db_path
    assert _ingest(db, path) == 0
    expected = {(label.lower(), " ".join(tokens[s : e + 1])) for label, s, e in seqeval.get_entities(tags)}
    assert {(label, t[s:e]) for t, s, e, label, _ in _spans(db)} == expected


def test_conll_2003_columns_read_the_last_one_and_a_txt_that_is_conll_is_not_an_article(db_path, tmp_path):
    path = tmp_path / "eng.txt"
    path.write_text("-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n"
                    "call NN I-NP O\n. . O O\n", encoding="utf-8")
    db = db_path
    assert _ingest(db, path) == 0
    assert {(label, t[s:e]) for t, s, e, label, _ in _spans(db)} == {("org", "EU"), ("misc", "German")}
    assert rows(db, "SELECT text FROM articles") == [("EU rejects German call .",)]


def test_label_studio_tasks_with_predictions_and_utf16_offsets(db_path, tmp_path):
    text = "🙂 Anna Reidel said 12% failed."
    # Label Studio counts UTF-16 units: the emoji is two.
    tasks = [{"id": 7, "data": {"text": text}, "annotations": [], "predictions": [{"model_version": "ner-v1", "result": [
        {"id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": 3, "end": 14, "text": "Anna Reidel", "labels": ["Person"]}}]}]},
             {"id": 8, "data": {"text": "Second task, 40 troops."}, "annotations": [{"id": 1, "completed_by": {
                 "id": 3, "email": "ana@example.org"}, "result": [
                 {"id": "r2", "from_name": "label", "to_name": "text", "type": "labels",
                  "value": {"start": 13, "end": 22, "text": "40 troops", "labels": ["figure"]}}]}]}]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    db = db_path
    assert _ingest(db, path) == 0
    assert {(label, t[s:e], who) for t, s, e, label, who in _spans(db)} == {
        ("person", "Anna Reidel", "ner-v1"), ("figure", "40 troops", "ana@example.org")}


def test_label_studio_regions_we_do_not_read_reject_the_task_with_its_line(db_path, tmp_path, capsys):
    tasks = [{"data": {"text": "Fine text."}},
             {"data": {"text": "A review."}, "annotations": [{"result": [
                 {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}]}]}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(tasks, indent=1), encoding="utf-8")
    assert _ingest(db_path, path) == 1
    err = capsys.readouterr().err
    line = json.dumps(tasks, indent=1).splitlines().index(" {", 2) + 1
    assert f"{path}:{line}: annotations[0].result[0] is a 'choices' region" in err


def test_a_json_file_that_is_no_task_list_is_an_error(db_path, tmp_path, capsys):
    path = tmp_path / "x.json"
    path.write_text('{"text": "hello"}', encoding="utf-8")
    assert _ingest(db_path, path) == 1
    assert "not a JSON list of tasks" in capsys.readouterr().err


@pytest.mark.parametrize(("line", "said"), [
    ({"text": "Great film.", "label": "positive"}, "a document label (text classification)"),
    ({"text": "Anna met Ben.", "label": [[0, 4]]}, "label[0] is"),
    ({"text": "Anna met Ben.", "relations": [{"from_id": 1, "to_id": 2}], "entities": []},
     "field 'relations' holds annotations"),
    ({"text": "Anna met Ben.", "label": [[0, 40, "PER"]]}, "does not fit a text of 13 characters"),
])
def test_jsonl_annotations_of_a_shape_we_do_not_read_are_refused_not_kept_as_metadata(db_path, tmp_path, capsys, line, said):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert _ingest(db_path, path) == 1
    err = capsys.readouterr().err
    assert f"{path}:1: " in err and said in err


def test_doccano_entities_objects_are_read(db_path, tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": 1, "text": "Anna met Ben.", "entities": [
        {"id": 5, "start_offset": 0, "end_offset": 4, "label": "PER"},
        {"id": 6, "start_offset": 9, "end_offset": 12, "label": "PER"}]}) + "\n", encoding="utf-8")
    db = db_path
    assert _ingest(db, path) == 0
    assert {t[s:e] for t, s, e, *_ in _spans(db)} == {"Anna", "Ben"}


def test_reingesting_an_export_into_its_own_database_changes_nothing(own_copy, tmp_path, capsys):
    db = own_copy()
    before = _spans(db)
    for fmt, name in (("labelstudio", "o.json"), ("jsonl", "o.jsonl"), ("brat", "o")):
        out = _export(db, tmp_path / name, fmt)
        assert _ingest(db, out) == 0
    assert _spans(db) == before


def test_label_studio_regions_made_by_the_sdk_are_read_and_its_random_samples_refused(db_path, tmp_path, capsys):
    pytest.importorskip("label_studio_sdk", reason="label-studio-sdk is in the export-check extra")
    from label_studio_sdk.label_interface import LabelInterface

    config = ('<View><Labels name="label" toName="text"><Label value="claim"/><Label value="Person"/></Labels>'
              '<Text name="text" value="$text"/></View>')
    interface = LabelInterface(config)
    labels = interface.get_control("label")
    text = "Anna Reidel said 12% of the vests failed."
    regions = [json.loads(labels.label("Person", start=0, end=11, text="Anna Reidel").to_json()),
               json.loads(labels.label("claim", start=17, end=40).to_json())]
    task = {"id": 1, "data": {"text": text},
            "annotations": [{"id": 5, "completed_by": {"id": 2, "email": "ben@example.org"}, "result": regions}]}
    assert interface.validate_annotation(task["annotations"][0])
    import random

    random.seed(15)  # the SDK draws its sample with the random module: the same sample every run
    sample = {"id": 2, "data": {"text": "Another text entirely."},
              "predictions": [interface.generate_sample_prediction()]}  # random offsets, float and out of range
    path = tmp_path / "sdk.json"
    path.write_text(json.dumps([task, sample], indent=2), encoding="utf-8")
    db = db_path
    assert _ingest(db, path) == 1
    assert {(label, t[s:e], who) for t, s, e, label, who in _spans(db)} == {
        ("person", "Anna Reidel", "ben@example.org"), ("claim", "12% of the vests failed", "ben@example.org")}
    err = capsys.readouterr().err
    line = [n for n, text in enumerate(json.dumps([task, sample], indent=2).splitlines(), 1) if text == "  {"][1]
    assert f"{path}:{line}: predictions[0].result[" in err
