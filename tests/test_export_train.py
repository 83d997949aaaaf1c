"""Exports that train and convert: ``spacy train`` learns from the DocBin
(NER from ``doc.ents``, the span categorizer from ``doc.spans["sc"]``), and
label-studio-sdk's ``Converter`` reads the Label Studio export.

The training runs are a dozen steps on the demo corpus (a few seconds
each): enough to see the loss is not zero and moves, which it was not when
the DocBin had no entities.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from test_export_fixtures import export_db, rows  # noqa: F401  (fixture)
from tui.cli import main

spacy = pytest.importorskip("spacy", reason="spaCy is in the export-check extra")

pytestmark = pytest.mark.both_engines


def _export(db, tmp_path, fmt, *extra, name=None):
    out = tmp_path / (name or f"out.{fmt}")
    assert main(["export", "--db", str(db), "--format", fmt, "--out", str(out), "--quiet", *extra]) == 0
    return out


def _docs(path):
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("en").vocab))


def test_docbin_sets_entities_from_the_non_overlapping_spans_and_keeps_all_in_spans(export_db, tmp_path, capsys):
    docs = _docs(_export(export_db, tmp_path, "spacy"))
    summary = capsys.readouterr().out
    accepted = rows(export_db, "SELECT count(*) FROM spans WHERE status = 'accepted'")[0][0]
    assert sum(len(doc.spans["sc"]) for doc in docs) == accepted
    entities = [ent for doc in docs for ent in doc.ents]
    assert entities and {ent.label_ for ent in entities} == {"claim", "quote", "figure"}
    for doc in docs:
        covered = [i for ent in doc.ents for i in range(ent.start, ent.end)]
        assert len(covered) == len(set(covered))
        assert all(token.ent_iob_ in "BIO" and token.ent_iob_ for token in doc)  # no token left "missing"
        # every entity is one of the doc's spans
        assert {(e.start, e.end, e.label_) for e in doc.ents} <= {(s.start, s.end, s.label_) for s in doc.spans["sc"]}
    left = accepted - len(entities)
    assert re.search(rf"\b{left:,} spans? overlaps? .* not doc.ents", summary)


def test_docbin_entities_follow_label_priority(export_db, tmp_path):
    """A claim holding a figure: the claim (first in the label set) is the entity; --label figure makes it the figure."""
    docs = _docs(_export(export_db, tmp_path, "spacy"))
    figures_only = _docs(_export(export_db, tmp_path, "spacy", "--label", "figure", name="f.spacy"))
    assert {e.label_ for d in figures_only for e in d.ents} == {"figure"}
    assert sum(len(d.ents) for d in figures_only) > sum(1 for d in docs for e in d.ents if e.label_ == "figure")


def _losses(output: str, column: str) -> list[float]:
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if column in line)
    names = re.split(r"\s{2,}", lines[header].strip())
    at = names.index(column)
    rows = []
    for line in lines[header + 2 :]:
        cells = line.split()
        if len(cells) != len(names) or not cells[0].isdigit():
            break
        rows.append(float(cells[at]))
    return rows


@pytest.mark.parametrize(("pipe", "column"), [("ner", "LOSS NER"), ("spancat", "LOSS SPANCAT")])
def test_spacy_train_learns_from_an_exported_split(export_db, tmp_path, pipe, column):
    _export(export_db, tmp_path, "spacy", "--split", "80,20", name="d.spacy")
    config = tmp_path / f"{pipe}.cfg"
    subprocess.run([sys.executable, "-m", "spacy", "init", "config", "-l", "en", "-p", pipe, str(config), "-F"],
                   check=True, capture_output=True, timeout=120)
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(config), "--paths.train", str(tmp_path / "d.train.spacy"),
         "--paths.dev", str(tmp_path / "d.test.spacy"), "--training.max_steps", "12",
         "--training.eval_frequency", "4", "--nlp.batch_size", "8"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    losses = _losses(done.stdout, column)
    assert len(losses) >= 3, done.stdout
    assert all(loss > 0 for loss in losses)  # a DocBin without annotations trains at loss 0
    assert len(set(losses)) > 1


def test_label_studio_export_has_ids_and_the_sdk_converter_reads_it(export_db, tmp_path, capsys):
    pytest.importorskip("label_studio_sdk", reason="label-studio-sdk is in the export-check extra")
    from label_studio_sdk.converter import Converter

    path = _export(export_db, tmp_path, "labelstudio")
    config = capsys.readouterr().out.split("Label Studio labeling config: ", 1)[1].strip()
    tasks = json.loads(path.read_text(encoding="utf-8"))
    assert len({task["id"] for task in tasks}) == len(tasks)
    annotations = [a for task in tasks for a in task["annotations"]]
    assert len({a["id"] for a in annotations}) == len(annotations)
    users = {}
    for task in tasks:
        for annotation in task["annotations"]:
            name = task["data"]["meta_annotators"][str(annotation["completed_by"])]
            assert users.setdefault(name, annotation["completed_by"]) == annotation["completed_by"]
            assert {r["meta"]["text"][0] for r in annotation["result"]} == {f"annotator: {name}"}
    assert set(users) == {"ana", "ben", "gold"}

    converter = Converter(config, project_dir=None, download_resources=False)
    out = tmp_path / "converted"
    converter.convert(str(path), str(out), "JSON_MIN", is_dir=False)
    rows = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert len(rows) == len(annotations)
    assert {row["annotator"] for row in rows} == set(users.values())
    regions = sum(len(row.get("label", [])) for row in rows)
    assert regions == sum(len(a["result"]) for a in annotations)
    converter.convert(str(path), str(out), "CONLL2003", is_dir=False)
    assert (out / "result.conll").read_text(encoding="utf-8").count("B-") > 0
