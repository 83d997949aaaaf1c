"""Score the suggesters against the hand-labelled evaluation set.

    python bench/eval_suggestions.py [--claim-limit N] [--misses]

The set is ``tests/data/suggest_eval/eval.jsonl`` (see its README for the
labelling guidelines). How a suggestion counts as found:

* figure — it overlaps a gold figure and states the same quantity: the
  same value, or for a range the same low and high (relative tolerance
  1e-3). Exact-span figures, unit and qualifier agreement are printed too.
* quote — the same span exactly (marks included). Speaker accuracy is over
  the matched quotes: right when both are absent, or when, lower-cased and
  without a leading article, one name equals the other or contains it as
  whole words ("Vanhal" for "Petra Vanhal", "ministry" for "agriculture
  ministry").
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

EVAL_FILE = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggest_eval" / "eval.jsonl"
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
    claims: SpanScores
    misses: tuple[str, ...]


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
        misses += [f"{record['id']}: figure missed {text[g['start']:g['end']]!r} {g}" for i, g in enumerate(gold_f) if i not in matched_g]
        misses += [f"{record['id']}: figure extra {text[s.start:s.end]!r} {s.attrs}" for i, s in enumerate(pred_f) if i not in matched_p]

        gold_q, pred_q = record["quotes"], by_label["quote"]
        pairs = match_spans(_spans(pred_q, "q"), _spans(gold_q, "q"))
        quotes += SpanScores(len(pairs), len(pred_q), len(gold_q))
        for p, g in pairs:
            quote_pairs += 1
            if same_speaker(pred_q[p].attrs["speaker"], gold_q[g]["speaker"]):
                speakers_right += 1
            else:
                misses.append(f"{record['id']}: speaker {pred_q[p].attrs['speaker']!r} for {gold_q[g]['speaker']!r}")
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
        claims=claims,
        misses=tuple(misses),
    )


def _line(name: str, scores: SpanScores) -> str:
    return (
        f"{name:<26} P {scores.precision:.3f}  R {scores.recall:.3f}  F1 {scores.f1:.3f}"
        f"   ({scores.matched} matched, {scores.predicted} suggested, {scores.gold} gold)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="Score the suggesters on the hand-labelled evaluation set.")
    parser.add_argument("--claim-limit", type=int, default=DEFAULT_LIMIT, help="claim sentences per article")
    parser.add_argument("--misses", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    result = evaluate(claim_limit=args.claim_limit)
    print(f"{result.articles} articles")
    print(_line("figures (value right)", result.figures))
    print(_line("figures (exact span)", result.figures_exact))
    print(f"{'':<26} unit agreement {result.figure_unit_accuracy:.3f}, qualifier agreement {result.figure_approx_accuracy:.3f}")
    print(_line("quotes (exact span)", result.quotes))
    print(f"{'':<26} speaker accuracy {result.speaker_accuracy:.3f}")
    print(_line(f"claims (top {args.claim_limit})", result.claims))
    if args.misses:
        print("\n".join(result.misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
