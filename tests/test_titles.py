"""Titles picked as a reader would, the warning when a folder names every outlet,
and `claimdesk articles set` fixing a title or an outlet afterwards (issue 11 item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.titles import pick_title
from store import Store
from store.replay import replay_differences


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("NewslettersSign inAPP\nNews and Information on world security issues\nTroops leave the border\n\nBody.",
         "Troops leave the border"),
        ("Home | News | Sport\nBy Jane Doe\n12 March 2026\nDam holds after the storm\n\nBody.", "Dam holds after the storm"),
        ("Skip to content\nMenu\nSearch\nFerry strike ends\nWorkers return on Monday.", "Ferry strike ends"),
        ("\n  Ferry strike ends\n\nWorkers return on Monday.\n", "Ferry strike ends"),
    ],
)
def test_site_chrome_taglines_bylines_and_dates_are_not_titles(text, title):
    assert pick_title(text) == (title, False)


def test_a_markdown_heading_loses_its_marks():
    assert pick_title("# Port reopens\n\nShips sail.", markdown=True) == ("Port reopens", False)


def test_a_lede_paragraph_is_not_a_title_its_first_sentence_is_the_fallback():
    lede = ("The minister said on Tuesday that the army will cancel the contract. Critics said the deal was "
            "flawed and that the audit had failed to find it in time.")
    assert pick_title(f"{lede}\n\nMore text.") == (
        "The minister said on Tuesday that the army will cancel the contract", True)


def test_a_long_first_sentence_is_cut_at_a_word_for_the_fallback():
    lede = "Officials " + "from every district of the northern region " * 6 + "met. Then more happened here too today."
    title, fallback = pick_title(lede)
    assert fallback and title.endswith("…") and len(title) <= 81
    assert lede.startswith(title[:-1])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_ingest_names_the_fallback_titles_and_warns_when_the_folder_names_every_outlet(tmp_path, cli, db_path):
    write(tmp_path / "seeds" / "troops.txt", "NewslettersSign inAPP\nTroops leave the border\n\nThe army said so.\n")
    write(tmp_path / "seeds" / "lede.txt",
          "The minister said on Tuesday that the army will cancel the contract. Critics said the deal was flawed "
          "and the audit failed.\n\nMore.\n")
    code, out, err = cli("ingest", str(tmp_path / "seeds"), "--no-suggest")
    assert code == 0
    assert "1 article got a fallback title (no line read as a headline): seeds/lede" in out
    assert "every file in" in err and "got the folder's name 'seeds' as its outlet" in err
    assert "claimdesk articles set ID --outlet NAME" in err
    with Store(db_path) as store:
        assert store.articles.get("seeds/troops").title == "Troops leave the border"


def test_no_folder_warning_with_a_folder_per_outlet_or_an_outlet_named(tmp_path, cli):
    write(tmp_path / "Harbour Times" / "a.txt", "Ferry strike ends\n\nWorkers return.\n")
    write(tmp_path / "Harbour Times" / "b.txt", "Port reopens\n\nShips sail.\n")
    write(tmp_path / "Valley Post" / "c.txt", "Dam holds\n\nThe dam held.\n")
    code, _, err = cli("ingest", str(tmp_path / "Harbour Times" / "a.txt"), str(tmp_path / "Valley Post"), "--no-suggest")
    assert code == 0 and "warning" not in err
    code, _, err = cli("ingest", str(tmp_path / "Harbour Times"), "--outlet", "Harbour Times", "--no-suggest")
    assert code == 0 and "warning" not in err


def test_articles_set_changes_title_and_outlet_as_an_event(tmp_path, cli, db_path):
    write(tmp_path / "seeds" / "a.txt", "Menu\nArmy contract news today\n\nThe army said 40 vests failed.\n")
    assert cli("ingest", str(tmp_path / "seeds"))[0] == 0
    with Store(db_path) as store:
        assert store.articles.count(title_contains="contract") == 1  # indexes the old title
    code, out, _ = cli("articles", "set", "seeds/a", "--title", "Army cancels vests deal", "--outlet", "Ostel Courier",
                       "--annotator", "ann")
    assert code == 0
    assert "title 'Army contract news today' -> 'Army cancels vests deal'" in out
    assert "outlet 'seeds' -> 'Ostel Courier'" in out
    with Store(db_path) as store:
        article = store.articles.get("seeds/a")
        assert (article.title, article.outlet) == ("Army cancels vests deal", "Ostel Courier")
        assert store.articles.count(title_contains="vests") == 1
        assert store.articles.count(title_contains="contract") == 0
        event = store.db.execute(
            "SELECT annotator, action, before, after FROM events WHERE article_id = 'seeds/a' AND span_id IS NULL"
        ).fetchone()
        assert event[:2] == ("ann", "set-article")
        assert '"outlet": "seeds"' in event[2] and '"outlet": "Ostel Courier"' in event[3]
        assert replay_differences(store.db) == []


def test_articles_set_refuses_an_unknown_article_and_an_empty_change(cli):
    assert cli("articles", "set", "nope", "--title", "T")[0] == 2
    code, _, err = cli("articles", "set", "nope")
    assert code == 2 and "--title TITLE and/or --outlet NAME" in err
