"""Score the suggesters against the hand-labelled evaluation set.

    python bench/eval_suggestions.py [--claim-limit N] [--misses [tune|heldout]]

Two sets are scored side by side: the tune set
``tests/data/suggest_eval/eval.jsonl``, which the suggesters were developed
on, and the held-out set ``tests/data/suggest_heldout/eval.jsonl``, which
is never looked at while a suggester changes (see each README for the
labelling guidelines). The held-out figures are the honest ones. How a
suggestion counts as found:

* figure — it overlaps a gold figure and states the same quantity: the
  same value, or for a range the same low and high (relative tolerance
  1e-3). Exact-span figures, unit and qualifier agreement are printed too.
* quote — the same span exactly (marks included). Speaker accuracy is over
  the matched quotes: right when both are absent, or when, lower-cased and
  without a leading article, one name equals the other or contains it as
  whole words ("Vanhal" for "Petra Vanhal", "ministry" for "agriculture
  ministry"). Of the gold quotes that name a speaker, a speaker is
  *right*, *wrong* (another speaker) or *none*; a speaker suggested for a
  quote whose text names nobody counts as *invented*.
* scare quote — quotation marks around words nobody is quoted saying
  (``{{S|…}}`` in the held-out articles), three words or more: how many a
  quote suggestion overlaps.
* claim — the suggested sentence covers at least half of the gold claim
  sentence (so that sentence splitting differences do not count).

``evaluate()`` returns the figures; ``tests/test_suggest_eval.py`` asserts
on them.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from corpus.claim_candidates import DEFAULT_LIMIT
from corpus.span_metrics import SpanScores, match_spans
from corpus.suggestions import Suggestion, suggest

_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
EVAL_FILE = _DATA / "suggest_eval" / "eval.jsonl"
HELDOUT_FILE = _DATA / "suggest_heldout" / "eval.jsonl"
SET_FILES = {"tune": EVAL_FILE, "heldout": HELDOUT_FILE}
CLAIM_MIN_SHARE = 0.5


@dataclass(frozen=True)
class Evaluation:
    """Scores of every suggester on the evaluation set."""

    articles: int
    figures: SpanScores  # overlap and same value
    figures_exact: SpanScores  # exact span, any value
    figure_unit_accuracy: float
    figure_approx_accuracy: float
    quotes: SpanScores
    speaker_accuracy: float
    speakers_right: int  # of matched gold quotes that name a speaker
    speakers_wrong: int
    speakers_none: int
    speakers_invented: int  # a speaker for a quote whose text names none
    scare_quotes: int  # gold scare quotes of three words or more
    scare_taken: int  # of them, overlapped by a quote suggestion
    claims: SpanScores
    misses: tuple[str, ...]
    # Issue 11 item 11: the figure scores if counts of plain nouns ("two
    # sides", "four regions") were not suggested at all, or only those that
    # refer back to things named already ("the two sides").
    figures_without_counts: SpanScores = SpanScores(0, 0, 0)
    figures_without_definite_counts: SpanScores = SpanScores(0, 0, 0)
    # Suggestions by rule: rule -> (suggested, right).
    by_rule: tuple[tuple[str, int, int], ...] = ()

    @property
    def speakers_named(self) -> int:
        return self.speakers_right + self.speakers_wrong + self.speakers_none

    @property
    def speaker_right_share(self) -> float:
        return self.speakers_right / self.speakers_named if self.speakers_named else 1.0

    @property
    def speaker_wrong_share(self) -> float:
        return self.speakers_wrong / self.speakers_named if self.speakers_named else 0.0

    @property
    def scare_taken_share(self) -> float | None:
        return self.scare_taken / self.scare_quotes if self.scare_quotes else None


def load(path: Path = EVAL_FILE) -> list[dict]:
    """The evaluation records."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-9)


def same_quantity(suggested: dict, gold: dict) -> bool:
    """Whether a figure suggestion's attributes state the gold figure's quantity."""
    return all(_close(suggested[k], gold[k]) for k in ("value", "low", "high"))


_DEFINITE_BEFORE = re.compile(r"\b(?:the|these|those|its|their|his|her|our)\s+$", re.IGNORECASE)


def _scores_without(dropped: set[int], matched: set[int], predicted: int, gold: int) -> SpanScores:
    """The scores had the suggestions at ``dropped`` not been made."""
    return SpanScores(len(matched - dropped), predicted - len(dropped), gold)


def _normal_name(name: str | None) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", (name or "").lower().replace("’", "'")).strip()


def same_speaker(suggested: str | None, gold: str | None) -> bool:
    """The speaker rule of the module docstring."""
    a, b = _normal_name(suggested), _normal_name(gold)
    if not a or not b:
        return a == b
    return a == b or re.search(rf"\b{re.escape(a)}\b", b) is not None or re.search(rf"\b{re.escape(b)}\b", a) is not None


def _spans(items: list, label: str) -> list[tuple[int, int, str]]:
    return [(item["start"], item["end"], label) if isinstance(item, dict) else (item.start, item.end, label) for item in items]


def evaluate(records: list[dict] | None = None, *, claim_limit: int = DEFAULT_LIMIT) -> Evaluation:
    """Run ``suggest`` over every record and score it against the gold labels."""
    records = load() if records is None else records
    figures = figures_exact = quotes = claims = SpanScores(0, 0, 0)
    units_right = approx_right = figure_pairs = speakers_right = quote_pairs = 0
    sp_right = sp_wrong = sp_none = invented = scare = scare_taken = 0
    without_counts = without_definite = SpanScores(0, 0, 0)
    rule_counts: dict[str, list[int]] = {}
    misses: list[str] = []
    for record in records:
        text = record["text"]
        suggested = suggest(text, claim_limit=claim_limit)
        by_label: dict[str, list[Suggestion]] = {"figure": [], "quote": [], "claim": []}
        for s in suggested:
            by_label[s.label].append(s)

        gold_f, pred_f = record["figures"], by_label["figure"]
        pairs = match_spans(_spans(pred_f, "f"), _spans(gold_f, "f"), overlap=True)
        right = [(p, g) for p, g in pairs if same_quantity(pred_f[p].attrs, gold_f[g])]
        figures += SpanScores(len(right), len(pred_f), len(gold_f))
        figures_exact += SpanScores(len(match_spans(_spans(pred_f, "f"), _spans(gold_f, "f"))), len(pred_f), len(gold_f))
        for p, g in pairs:
            figure_pairs += 1
            units_right += pred_f[p].attrs["unit"] == gold_f[g]["unit"]
            approx_right += pred_f[p].attrs["approx"] == gold_f[g]["approx"]
        matched_p = {p for p, _ in right}
        matched_g = {g for _, g in right}
        counts_at = {i for i, s in enumerate(pred_f) if s.rule == "figure:count"}
        definite_at = {i for i in counts_at if _DEFINITE_BEFORE.search(text, max(0, pred_f[i].start - 12), pred_f[i].start)}
        without_counts += _scores_without(counts_at, matched_p, len(pred_f), len(gold_f))
        without_definite += _scores_without(definite_at, matched_p, len(pred_f), len(gold_f))
        for i, s in enumerate(pred_f):
            counts = rule_counts.setdefault(s.rule, [0, 0])
            counts[0] += 1
            counts[1] += i in matched_p
        misses += [f"{record['id']}: figure missed {text[g['start']:g['end']]!r} {g}" for i, g in enumerate(gold_f) if i not in matched_g]
        misses += [f"{record['id']}: figure extra {text[s.start:s.end]!r} {s.attrs}" for i, s in enumerate(pred_f) if i not in matched_p]

        gold_q, pred_q = record["quotes"], by_label["quote"]
        pairs = match_spans(_spans(pred_q, "q"), _spans(gold_q, "q"))
        quotes += SpanScores(len(pairs), len(pred_q), len(gold_q))
        paired = dict(pairs)
        for i, s in enumerate(pred_q):
            counts = rule_counts.setdefault(s.rule, [0, 0])
            counts[0] += 1
            counts[1] += i in paired and same_speaker(s.attrs["speaker"], gold_q[paired[i]]["speaker"])
        for p, g in pairs:
            quote_pairs += 1
            said, gold_speaker = pred_q[p].attrs["speaker"], gold_q[g]["speaker"]
            if same_speaker(said, gold_speaker):
                speakers_right += 1
                sp_right += gold_speaker is not None
            else:
                if gold_speaker is None:
                    invented += 1
                elif said is None:
                    sp_none += 1
                else:
                    sp_wrong += 1
                misses.append(f"{record['id']}: speaker {said!r} for {gold_speaker!r} at {text[gold_q[g]['start']:gold_q[g]['end']][:50]!r}")
        for span in record.get("scare", []):
            if len(text[span["start"]:span["end"]].split()) < 3:
                continue
            scare += 1
            if any(s.start < span["end"] and span["start"] < s.end for s in pred_q):
                scare_taken += 1
        matched_p, matched_g = {p for p, _ in pairs}, {g for _, g in pairs}
        misses += [f"{record['id']}: quote missed {text[g['start']:g['end']][:70]!r}" for i, g in enumerate(gold_q) if i not in matched_g]
        misses += [f"{record['id']}: quote extra {text[s.start:s.end][:70]!r}" for i, s in enumerate(pred_q) if i not in matched_p]

        gold_c, pred_c = record["claims"], by_label["claim"]
        pairs = match_spans(_spans(pred_c, "c"), _spans(gold_c, "c"), overlap=True, min_share=CLAIM_MIN_SHARE)
        claims += SpanScores(len(pairs), len(pred_c), len(gold_c))
        matched_g = {g for _, g in pairs}
        misses += [f"{record['id']}: claim missed {text[g['start']:g['end']][:90]!r}" for i, g in enumerate(gold_c) if i not in matched_g]

    return Evaluation(
        articles=len(records),
        figures=figures,
        figures_exact=figures_exact,
        figure_unit_accuracy=units_right / figure_pairs if figure_pairs else 1.0,
        figure_approx_accuracy=approx_right / figure_pairs if figure_pairs else 1.0,
        quotes=quotes,
        speaker_accuracy=speakers_right / quote_pairs if quote_pairs else 1.0,
        speakers_right=sp_right, speakers_wrong=sp_wrong, speakers_none=sp_none, speakers_invented=invented,
        scare_quotes=scare, scare_taken=scare_taken,
        figures_without_counts=without_counts, figures_without_definite_counts=without_definite,
        by_rule=tuple(sorted((rule, n, ok) for rule, (n, ok) in rule_counts.items())),
        claims=claims,
        misses=tuple(misses),
    )


def _pr(scores: SpanScores) -> str:
    return f"P {scores.precision:.3f} R {scores.recall:.3f}"


def _table(results: dict[str, Evaluation], claim_limit: int) -> list[str]:
    """The scores of each set, one row per measure, sets side by side."""
    def speakers(e: Evaluation) -> str:
        return (f"right {e.speaker_right_share:.3f} wrong {e.speaker_wrong_share:.3f}"
                f" ({e.speakers_right}/{e.speakers_named}, {e.speakers_invented} invented)")

    def scare(e: Evaluation) -> str:
        share = e.scare_taken_share
        return "n/a (none labelled)" if share is None else f"{share:.3f} ({e.scare_taken} of {e.scare_quotes})"

    rows = [
        ("articles", lambda e: str(e.articles)),
        ("figures (value right)", lambda e: f"{_pr(e.figures)} ({e.figures.gold} gold)"),
        ("figures (exact span)", lambda e: _pr(e.figures_exact)),
        ("figures without counts", lambda e: _pr(e.figures_without_counts)),
        ("  without 'the N nouns'", lambda e: _pr(e.figures_without_definite_counts)),
        ("figure unit / qualifier", lambda e: f"{e.figure_unit_accuracy:.3f} / {e.figure_approx_accuracy:.3f}"),
        ("quotes (exact span)", lambda e: f"{_pr(e.quotes)} ({e.quotes.gold} gold)"),
        ("speakers", speakers),
        ("scare quotes taken", scare),
        (f"claims (top {claim_limit})", lambda e: _pr(e.claims) if e.claims.gold else "n/a (not labelled)"),
    ]
    names = list(results)
    lines = [f"{'':<25}" + "".join(f"{n:<46}" for n in names)]
    for title, cell in rows:
        lines.append(f"{title:<25}" + "".join(f"{cell(results[n]):<46}" for n in names))
    return lines


def result_lines(results: dict[str, Evaluation]) -> list[str]:
    """The bench RESULT lines: held-out (ours) beside tune (baseline), against the issue-16 targets."""
    held, tune = results["heldout"], results["tune"]

    def line(row: str, ours: str, baseline: str, ratio: str, target: str, met: bool, note: str) -> str:
        return "RESULT " + json.dumps({"row": row, "ours": ours, "baseline": baseline, "ratio": ratio,
                                       "target": target, "met": met, "note": "" if met else note})

    f, q = held.figures, held.quotes
    share = held.scare_taken_share or 0.0
    return [
        line("suggest figures (held-out)", f"held-out {_pr(f)}", f"tune {_pr(tune.figures)}",
             f"held-out/tune R {f.recall / tune.figures.recall:.2f}", "held-out P>=.9 R>=.9",
             f.precision >= 0.9 and f.recall >= 0.9,
             "400m read as millions, 'X percent to Y euros' as a range, 'almost a metre'/'roughly twice' unread"),
        line("suggest quotes (held-out)", f"held-out {_pr(q)}, scare quotes taken {share:.2f}",
             f"tune {_pr(tune.quotes)}", f"held-out/tune R {q.recall / tune.quotes.recall:.2f}",
             "held-out P>=.9 R>=.9, scare<=.1", q.precision >= 0.9 and q.recall >= 0.9 and share <= 0.1,
             "slogans after a speech verb ('promised \"...\"', 'calls this \"...\"') read as quotes; see docs/suggestions.md"),
        line("suggest speakers (held-out)",
             f"held-out right {held.speaker_right_share:.2f} wrong {held.speaker_wrong_share:.2f}",
             f"tune right {tune.speaker_right_share:.2f} wrong {tune.speaker_wrong_share:.2f}",
             f"held-out/tune right {held.speaker_right_share / tune.speaker_right_share:.2f}",
             "held-out right>=.85 wrong<=.05",
             held.speaker_right_share >= 0.85 and held.speaker_wrong_share <= 0.05,
             "attributions running back across an earlier quote, people never recognised as people, titles taken"
             " for names; see docs/suggestions.md"),
    ]


def _line(name: str, scores: SpanScores) -> str:
    return (
        f"{name:<26} P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}"
        f"   ({scores.matched} matched, {scores.predicted} suggested, {scores.gold} gold)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Score the suggesters on the hand-labelled evaluation sets.")
    parser.add_argument("--claim-limit", type=int, default=DEFAULT_LIMIT, help="claim sentences per article")
    parser.add_argument("--misses", nargs="?", const="tune", choices=list(SET_FILES),
                        help="list every miss and extra of one set (default: tune — read held-out misses"
                             " only to report them, never to tune on)")
    parser.add_argument("--by-rule", nargs="?", const="tune", choices=list(SET_FILES),
                        help="count the figure and quote suggestions of one set by rule")
    parser.add_argument("--quick", action="store_true", help="accepted for bench/run_all.py; the eval is always quick")
    args = parser.parse_args()
    results = {name: evaluate(load(path), claim_limit=args.claim_limit) for name, path in SET_FILES.items()}
    print("\n".join(_table(results, args.claim_limit)))
    if args.by_rule:
        print(f"\nsuggestions by rule ({args.by_rule}): suggested, right (figure: same value; quote: span and speaker)")
        for rule, suggested, right in results[args.by_rule].by_rule:
            print(f"  {rule:<32} {suggested:>5} {right:>5}")
    if args.misses:
        print("\n".join(results[args.misses].misses))
    print("\n".join(result_lines(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
