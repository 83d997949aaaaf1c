"""docs/api.md runs as written: every ``python`` block, in order, in one
namespace, against the export test database (the demo corpus with spans)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from test_export_fixtures import export_db, rows  # noqa: F401  (fixture)

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_the_api_page_has_examples_for_each_section():
    text = DOC.read_text(encoding="utf-8")
    for heading in ("## Open a database", "## Iterate articles and spans", "## Export to a DataFrame"):
        assert heading in text
    assert len(_blocks()) >= 4


@pytest.mark.both_engines
def test_every_example_of_the_api_page_runs(export_db, engine, tmp_path, monkeypatch, capsys):
    pytest.importorskip("pandas", reason="pandas comes with the export-check extra")
    if engine == "postgresql":
        database = export_db  # the page names a file; the same calls take a URL
    else:
        database = tmp_path / "claimdesk.db"
        shutil.copy(export_db, database)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    for number, block in enumerate(_blocks(), 1):
        block = block.replace('Store("claimdesk.db"', f"Store({str(database)!r}")
        exec(compile(block, f"{DOC}:block {number}", "exec"), namespace)  # noqa: S102 - our own documentation
    out = capsys.readouterr().out
    count = rows(database, "SELECT count(*) FROM articles")[0][0]
    accepted = rows(database, "SELECT count(*) FROM spans WHERE status = 'accepted'")[0][0]
    assert out.startswith(f"{count} articles") and "'claim', 'quote', 'figure'" in out
    spans = namespace["spans"]
    assert len(spans) == accepted
    assert set(spans.columns) >= {"article_id", "label", "annotator", "text", "attrs"}
    assert set(namespace["figures"]["label"]) == {"figure"} and namespace["figures"]["value"].notna().any()
    assert set(namespace["articles"]["outlet"]) == {"Northgate Wire"}
    assert "exported" in out and (tmp_path / "claims.parquet").exists()
