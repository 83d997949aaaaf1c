"""Review: the annotators' spans of an article side by side, and the gold layer."""

from __future__ import annotations

# The annotator name of the reviewed layer; the reviewer is recorded on each event.
GOLD = "gold"
