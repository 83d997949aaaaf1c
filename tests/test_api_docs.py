"""docs/api.md runs as written: every ``python`` block, in order, in one
namespace, against the export test database (the demo corpus with spans)."""

from __future__ import annotations

import re
import sqlite3
import shutil
from pathlib import Path

import pytest

from test_export_fixtures import export_db  # noqa: F401  (fixture)

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_api_page_has_examples_for_each_section():
    text = DOC.read_text(encoding="utf-8")
    for heading in ("## Open a database", "## Iterate articles and spans", "## Export to a DataFrame"):
        assert heading in text
    assert len(_blocks()) >= 4


def test_every_example_of_the_api_page_runs(export_db, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pandas", reason="pandas comes with the export-check extra")
    shutil.copy(export_db, tmp_path / "claimdesk.db")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for number, block in enumerate(_blocks(), 1):
        exec(compile(block, f"{DOC}:block {number}", "exec"), namespace)  # noqa: S102 - our own documentation
    out = capsys.readouterr().out
    with sqlite3.connect(tmp_path / "claimdesk.db") as conn:
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        accepted = conn.execute("SELECT count(*) FROM spans WHERE status = 'accepted'").fetchone()[0]
    assert out.startswith(f"{count} articles") and "'claim', 'quote', 'figure'" in out
    spans = namespace["spans"]
    assert len(spans) == accepted
    assert set(spans.columns) >= {"article_id", "label", "annotator", "text", "attrs"}
    assert set(namespace["figures"]["label"]) == {"figure"} and namespace["figures"]["value"].notna().any()
    assert set(namespace["articles"]["outlet"]) == {"Northgate Wire"}
    assert "exported" in out and (tmp_path / "claims.parquet").exists()
