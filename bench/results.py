"""The one line per README row every bench prints, for bench/run_all.py.

    RESULT {"row": ..., "ours": ..., "baseline": ..., "ratio": ..., "target": ..., "met": ..., "note": ...}
"""

from __future__ import annotations

import json


def result(row: str, ours: str, baseline: str, ratio: str, target: str, met: bool | None, note: str = "") -> None:
    """Print one README row's figures (``met`` None: no target to meet)."""
    print("RESULT " + json.dumps({"row": row, "ours": ours, "baseline": baseline, "ratio": ratio, "target": target,
                                  "met": met, "note": note}, ensure_ascii=False), flush=True)


def ratio(ours: float, baseline: float) -> str:
    """``ours / baseline`` as the README writes it."""
    return f"{ours / baseline:.2f}" if baseline else "n/a"
