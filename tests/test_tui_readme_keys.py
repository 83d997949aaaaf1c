"""The README's key table and the default keymap say the same thing: every key
the table names is bound where the table says, and every action of the
library, the article and the app has a key in the table."""

from __future__ import annotations

import re
from pathlib import Path

from store.schema import DEFAULT_LABELS
from tui.keymap import builtin_path, key_label, load_keymap

README = Path(__file__).resolve().parent.parent / "README.md"
# Table "where" column to the keymap sections active there.
WHERE = {"library": ("app", "library"), "article": ("app", "annotate", "labels"), "everywhere": ("app",)}
# Table "where" column to the sections whose every action it must list.
LISTS = {"library": ("library",), "article": ("annotate", "labels"), "everywhere": ("app",)}


def readme_keys() -> dict[str, set[str]]:
    """Where (library, article, everywhere) to the keys the README's table names there."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| where | keys | what they do |"):]
    keys: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        if not line.startswith("|"):
            break
        where, cell, _ = (part.strip() for part in line.strip("|").split("|", 2))
        keys.setdefault(where, set()).update(re.findall(r"`([^`]+)`", cell))
    return keys


def keymap_keys() -> dict[str, dict[str, set[str]]]:
    """Section to binding id to its keys as the README writes them."""
    keymap = load_keymap("default", user_file=builtin_path("no-such-keymap"),
                         labels={name: key for name, key, _, _ in DEFAULT_LABELS})
    sections: dict[str, dict[str, set[str]]] = {}
    for binding_id in keymap.keys:
        section = binding_id.split(".")[0].replace("label", "labels")
        sections.setdefault(section, {})[binding_id] = {key_label(key) for key in keymap.keys_of(binding_id)}
    return sections


def test_every_key_in_the_readme_table_is_bound_where_it_says():
    table, sections = readme_keys(), keymap_keys()
    assert set(table) == set(WHERE)
    for where, keys in table.items():
        bound = {key for section in WHERE[where] for keys_ in sections[section].values() for key in keys_}
        assert keys <= bound, f"the README names keys that are not bound in the {where}: {sorted(keys - bound)}"


def test_every_action_has_a_key_in_the_readme_table():
    table, sections = readme_keys(), keymap_keys()
    for where, names in LISTS.items():
        for section in names:
            for binding_id, keys in sections[section].items():
                assert keys & table[where], f"{binding_id} ({', '.join(sorted(keys))}) is not in the README's {where} keys"


def test_the_way_back_is_in_the_table():
    assert {"esc", "L"} <= readme_keys()["article"]
    assert {"ctrl+t", "ctrl+r"} <= readme_keys()["library"]
