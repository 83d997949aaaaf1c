"""bench/run_all.py: the README's Performance table is written from what the benches print, and nothing else."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

RUN_ALL = Path(__file__).resolve().parent.parent / "bench" / "run_all.py"
FAKE = '''
import json, sys
quick = "--quick" in sys.argv
print("warming up")
print("RESULT " + json.dumps({"row": "fake rows " + ("small" if quick else "big"), "ours": "1.0 s", "baseline": "2.0 s",
                              "ratio": "0.50", "target": "<= 1", "met": True, "note": ""}))
if "--fail" in sys.argv:
    sys.exit(3)
'''
README = "# x\n\n## Performance\n\nintro\n\n<!-- perf:start -->\nold | table\n<!-- perf:end -->\n\n## After\nkept\n"


@pytest.fixture
def run_all(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("run_all_under_test", RUN_ALL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "fake.py").write_text(FAKE)
    (tmp_path / "bench" / "broken.py").write_text("print('no result'); raise SystemExit(1)\n")
    (tmp_path / "README.md").write_text(README)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "README", tmp_path / "README.md")
    monkeypatch.setattr(module, "RESULTS", tmp_path / "bench" / "results.json")
    monkeypatch.setattr(module, "BENCHES", [("fake", "fake", [], ["--quick"]), ("broken", "broken", [], [])])

    def main(*argv: str) -> int:
        monkeypatch.setattr(sys, "argv", ["run_all.py", *argv])
        return module.main()

    return main, tmp_path


def test_the_table_between_the_markers_is_written_from_the_result_lines(run_all, capsys):
    main, folder = run_all
    assert main("--only", "fake") == 0
    readme = (folder / "README.md").read_text()
    assert "old | table" not in readme
    assert readme.startswith("# x\n\n## Performance\n\nintro\n\n<!-- perf:start -->\nMeasured by")
    assert readme.endswith("<!-- perf:end -->\n\n## After\nkept\n")
    assert "| fake rows big | `fake.py` | 1.0 s | 2.0 s | 0.50 | <= 1 | yes |" in readme
    assert f"machine with {__import__('os').cpu_count()} cores" in readme
    printed = capsys.readouterr().out
    assert "fake rows big" in printed and "0.50" in printed


def test_a_bench_that_prints_nothing_leaves_no_row_and_the_other_rows_stay(run_all, capsys):
    main, folder = run_all
    main("--only", "fake")
    assert main("--only", "broken") == 1
    rows = json.loads((folder / "bench" / "results.json").read_text())
    assert [row["row"] for row in rows] == ["fake rows big"]
    assert "broken: exit code 1" in capsys.readouterr().out
    assert "fake rows big" in (folder / "README.md").read_text()


def test_a_quick_run_touches_neither_the_readme_nor_the_results(run_all):
    main, folder = run_all
    assert main("--quick", "--only", "fake") == 0
    assert (folder / "README.md").read_text() == README
    assert not (folder / "bench" / "results.json").exists()
