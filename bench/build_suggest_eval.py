"""Build the suggestion evaluation set from its hand-marked articles.

There are two sets: ``tests/data/suggest_eval`` (the tune set) and
``tests/data/suggest_heldout`` (held out: never tuned on, see its README).
The articles in ``<set>/articles/*.txt`` carry their gold
labels inline, so the labels are written with the text and the offsets are
computed, never typed:

    {{F v=100000 u=soldier a="well over"|well over 100,000 soldiers}}
    {{F lo=20000 hi=30000 u=troop|20,000 to 30,000 troops}}
    {{Q s="Tomas Reyl"|"We will not back down,"}}      (no s=: no speaker)
    {{C|A whole claim sentence.}}
    {{S|"reset"}}           (quotation marks around words nobody is quoted saying)

Markers nest (a figure inside a quote inside a claim). ``--check`` exits 1
when ``eval.jsonl`` is out of date; without it the file is rewritten,
``--show ID`` prints one article's labels for review and ``--lint`` lists
what a labeller may have missed (quotation marks around three words or
more outside any quote label, digits outside any figure label, a
qualifier left just outside a figure) — for a person to judge, not to fix
automatically.

    python bench/build_suggest_eval.py [--check] [--show ID] [--lint] [--set tune|heldout]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
# The tune set the suggesters were developed on, and the held-out set that
# is scored but never looked at while changing a suggester.
SETS = {"tune": _DATA / "suggest_eval", "heldout": _DATA / "suggest_heldout"}
EVAL_DIR = SETS["tune"]
ARTICLES = EVAL_DIR / "articles"
EVAL_FILE = EVAL_DIR / "eval.jsonl"

_OPEN = re.compile(r"\{\{(?P<label>[FQCS])(?P<attrs>(?:\s+\w+=(?:\"[^\"]*\"|[^\s|]+))*)\|")
_ATTR = re.compile(r"(\w+)=(?:\"([^\"]*)\"|([^\s|]+))")
_CLOSE = "}}"


def _attrs(raw: str) -> dict[str, str]:
    return {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTR.finditer(raw)}


def _number(attrs: dict[str, str], key: str) -> float | None:
    return float(attrs[key]) if key in attrs else None


def parse_marked(marked: str, article_id: str) -> dict:
    """One evaluation record from a marked-up article (see the module docstring)."""
    out: list[str] = []
    length = 0
    stack: list[tuple[str, dict[str, str], int]] = []
    record: dict = {"id": article_id, "text": "", "figures": [], "quotes": [], "claims": [], "scare": []}
    pos = 0
    while pos < len(marked):
        opening = _OPEN.match(marked, pos)
        if opening:
            stack.append((opening.group("label"), _attrs(opening.group("attrs")), length))
            pos = opening.end()
            continue
        if marked.startswith(_CLOSE, pos) and stack:
            label, attrs, start = stack.pop()
            _add(record, label, attrs, start, length)
            pos += len(_CLOSE)
            continue
        if marked.startswith("{{", pos):
            raise ValueError(f"{article_id}: bad marker at {marked[pos:pos + 40]!r}")
        out.append(marked[pos])
        length += 1
        pos += 1
    if stack:
        raise ValueError(f"{article_id}: unclosed marker {stack[-1][0]}")
    record["text"] = "".join(out).strip("\n")
    shift = len("".join(out)) - len("".join(out).lstrip("\n"))
    for key in ("figures", "quotes", "claims", "scare"):
        for span in record[key]:
            span["start"] -= shift
            span["end"] -= shift
        record[key].sort(key=lambda s: (s["start"], s["end"]))
    return record


def _add(record: dict, label: str, attrs: dict[str, str], start: int, end: int) -> None:
    if label == "F":
        unknown = set(attrs) - {"v", "lo", "hi", "u", "a"}
        if unknown or ("v" in attrs) == ("lo" in attrs):
            raise ValueError(f"{record['id']}: figure at {start} needs v= or lo=/hi=, got {attrs}")
        record["figures"].append({
            "start": start, "end": end, "value": _number(attrs, "v"), "low": _number(attrs, "lo"),
            "high": _number(attrs, "hi"), "unit": attrs.get("u"), "approx": attrs.get("a"),
        })
    elif label == "S":
        record["scare"].append({"start": start, "end": end})
    elif label == "Q":
        record["quotes"].append({"start": start, "end": end, "speaker": attrs.get("s")})
    else:
        record["claims"].append({"start": start, "end": end})


def build(name: str = "tune") -> list[dict]:
    """Every article's record of one set (``"tune"`` or ``"heldout"``), in file-name order."""
    articles = SETS[name] / "articles"
    return [parse_marked(path.read_text(encoding="utf-8"), path.stem) for path in sorted(articles.glob("*.txt"))]


def _dump(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _show(record: dict) -> None:
    text = record["text"]
    for key in ("figures", "quotes", "claims"):
        print(f"--- {key}")
        for span in record[key]:
            extra = {k: v for k, v in span.items() if k not in ("start", "end") and v is not None}
            print(f"  {text[span['start']:span['end']]!r} {extra}")


_QUOTED = re.compile(r'"[^"\n]+"|“[^”\n]+”|„[^“\n]+“|«[^»\n]+»')
_DIGITS = re.compile(r"\d+(?:[,.]\d+)*")
_QUALIFIER_END = re.compile(r"(?:about|around|nearly|almost|over|under|more than|less than|fewer than|at least|up to|some|roughly|an estimated|between)\s$", re.IGNORECASE)


def _lint(record: dict) -> list[str]:
    text = record["text"]

    def covered(start: int, end: int, key: str) -> bool:
        return any(s["start"] <= start and end <= s["end"] for s in record[key])

    notes = []
    for match in _QUOTED.finditer(text):
        labelled = covered(match.start(), match.end(), "quotes") or covered(match.start(), match.end(), "scare")
        if len(match.group().split()) >= 3 and not labelled:
            notes.append(f"unlabelled quotation {match.group()[:50]!r}")
    for match in _DIGITS.finditer(text):
        if not covered(match.start(), match.end(), "figures"):
            notes.append(f"digits outside a figure {text[max(0, match.start() - 15):match.end() + 10]!r}")
    for figure in record["figures"]:
        if _QUALIFIER_END.search(text[max(0, figure["start"] - 14):figure["start"]]):
            notes.append(f"qualifier before figure {text[max(0, figure['start'] - 14):figure['end']]!r}")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if an eval.jsonl is out of date")
    parser.add_argument("--show", metavar="ID", help="print one article's labels")
    parser.add_argument("--lint", action="store_true", help="list what a labeller may have missed")
    parser.add_argument("--set", choices=[*SETS, "all"], default="all", help="which set (default: both)")
    args = parser.parse_args()
    names = list(SETS) if args.set == "all" else [args.set]
    stale = 0
    for name in names:
        records = build(name)
        eval_file = SETS[name] / "eval.jsonl"
        if args.show:
            for record in records:
                if record["id"].startswith(args.show):
                    _show(record)
            continue
        if args.lint:
            for record in records:
                for note in _lint(record):
                    print(f"{name}/{record['id']}: {note}")
            continue
        dumped = _dump(records)
        if args.check:
            current = eval_file.read_text(encoding="utf-8") if eval_file.exists() else ""
            stale += current != dumped
            continue
        eval_file.write_text(dumped, encoding="utf-8")
        words = sum(len(r["text"].split()) for r in records)
        print(f"{name}: {len(records)} articles, {words} words -> {eval_file}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
