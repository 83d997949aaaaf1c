"""Keymaps: TOML files that map binding ids to keys.

``keymaps/default.toml`` names every binding of the app with its default
keys; ``numeric`` and ``emacs`` (or a file given by path) override single
entries, and the user's own ``keymap.toml`` in the config folder overrides
those. The merged result reaches Textual through ``App.set_keymap``.

A keymap is checked before the app starts. Anything wrong stops the start
with ``file:line: what is wrong``: broken TOML, an unknown section or
binding id (an unknown action), keys that are not a string, or one key bound
twice on one screen.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import platformdirs

BUILTIN = ("default", "numeric", "emacs")
LABEL_SECTION = "labels"

# Which sections are active together on one screen: a key may appear once
# per screen. The search bar and the attribute editor take focus, so their
# keys shadow the annotate screen's on purpose.
SCREENS = {
    "library": ("app", "library"),
    "annotate": ("app", "annotate", LABEL_SECTION),
    # The review screen is the annotate screen with these keys on top (its
    # finish key replaces mark-done on purpose).
    "review": ("app", "review"),
    "review queue": ("app", "review-queue"),
    "stats": ("app", "stats"),
    "search bar": ("app", "search"),
    # The Matches panel takes focus: its keys shadow the annotate screen's (l, x).
    "matches panel": ("app", "matches"),
    "claims": ("app", "claims"),
    "attribute editor": ("app", "attributes"),
    "help": ("app", "help"),
}

# Pairs of bindings that may share a key on one screen: the first acts only
# when it has something to act on, else the key goes on to the second (Esc
# clears the selection when there is one, else goes back to the library).
LAYERED = {frozenset({"annotate.clear-selection", "annotate.back"})}

# Textual names a few characters its own way (see textual.keys).
_KEY_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_LABEL_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
_KEY_TOKEN = re.compile(r"^[^\s,\x00-\x1f\x7f-\x9f]+$")


class KeymapError(Exception):
    """A keymap that cannot be used; the message is ``file:line: what is wrong``.

    (Not a ``CommandError``: importing ``tui.commands`` would load every
    subcommand. ``tui.commands.app`` turns it into one.)"""


@dataclass
class Keymap:
    """Keys for every binding id, and where each entry was set."""

    keys: dict[str, str] = field(default_factory=dict)
    """Binding id (``"annotate.undo"``, ``"label.claim"``) to comma-separated Textual key names."""
    where: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Binding id to the file and line that set its keys."""
    files: list[str] = field(default_factory=list)
    """The files merged, in order."""

    def keys_of(self, binding_id: str) -> list[str]:
        """The keys bound to ``binding_id`` (normalised), or none."""
        value = self.keys.get(binding_id, "")
        return [normalise_key(k) for k in value.split(",") if k.strip()]

    def label_keys(self, db_keys: dict[str, str | None]) -> dict[str, str]:
        """Binding id to key for each label: the keymap's entry, else the database's key."""
        result = {}
        for name, key in db_keys.items():
            chosen = self.keys.get(f"label.{name}") or key
            if chosen:
                result[f"label.{name}"] = chosen
        return result


def normalise_key(key: str) -> str:
    """The name Textual uses for a key: ``"?"`` becomes ``"question_mark"``."""
    key = key.strip()
    if len(key) != 1 or key.isalnum():
        return key
    if key == "\t":
        return "tab"
    try:
        name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return key
    return _KEY_NAME_REPLACEMENTS.get(name, name)


# How a person reads a key name: Textual's long names, written short.
_KEY_LABELS = {
    "escape": "esc", "enter": "enter", "space": "space", "tab": "tab", "delete": "del", "backspace": "bksp",
    "pageup": "PgUp", "pagedown": "PgDn", "home": "home", "end": "end",
    "left": "←", "right": "→", "up": "↑", "down": "↓",
    **{name: char for char, name in {"/": "slash", "\\": "backslash", "@": "at", "-": "minus", "+": "plus",
                                      "_": "underscore"}.items()},
}


def key_label(key: str) -> str:
    """A Textual key name as people write it: ``alt+greater_than_sign`` is ``alt+>``,
    ``question_mark`` is ``?``, ``escape`` is ``esc``."""
    key = key.strip()
    modifiers, _, name = key.rpartition("+")
    if not name:  # "ctrl++" or a bare "+"
        modifiers, name = key[:-1].rstrip("+"), "+"
    shown = _KEY_LABELS.get(name) or (name if len(name) == 1 else _character(name)) or name
    return f"{modifiers}+{shown}" if modifiers else shown


def _character(name: str) -> str | None:
    """The character whose Unicode name is ``name`` (underscores for spaces or hyphens)."""
    words = name.upper().split("_")
    # Unicode writes some names with a hyphen (GREATER-THAN SIGN, HYPHEN-MINUS).
    candidates = [" ".join(words)] + [" ".join(words[:i]) + "-" + " ".join(words[i:]) for i in range(1, len(words))]
    for candidate in candidates:
        try:
            char = unicodedata.lookup(candidate)
        except KeyError:
            continue
        if char.isprintable():
            return char
    return None


def builtin_path(name: str) -> Path:
    """The file of a keymap shipped with claimdesk."""
    return Path(str(resources.files("keymaps") / f"{name}.toml"))


def user_keymap_path() -> Path:
    """The user's overrides: ``keymap.toml`` in claimdesk's config folder."""
    return Path(platformdirs.user_config_dir("claimdesk")) / "keymap.toml"


@cache
def default_keys() -> dict[str, str]:
    """Binding id to default keys, from ``keymaps/default.toml``."""
    keymap = Keymap()
    _merge(keymap, builtin_path("default"), known=None)
    return dict(keymap.keys)


def _entry_lines(text: str) -> dict[tuple[str, str], int]:
    """(section, key) to the line number where the entry is written."""
    lines: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if header := re.match(r"^\[\s*([^\]]+?)\s*\]", stripped):
            section = header.group(1).strip('"')
            lines.setdefault((section, ""), number)
        elif entry := re.match(r'^"?([^"=\s]+)"?\s*=', stripped):
            lines.setdefault((section, entry.group(1)), number)
    return lines


def _merge(keymap: Keymap, path: Path, known: dict[str, str] | None) -> None:
    """Read one keymap file into ``keymap``; ``known`` (the default keys) checks the ids."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise KeymapError(f"{where}:1: cannot read the keymap ({err.strerror or err})") from None
    except UnicodeDecodeError:
        raise KeymapError(f"{where}:1: the keymap is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = found.group(1) if found else "1"
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message).rstrip(".")
        raise KeymapError(f"{where}:{line}: not valid TOML: {message}") from None
    lines = _entry_lines(text)
    keymap.files.append(where)
    sections = sorted({binding_id.split(".")[0] for binding_id in known or {}} | {LABEL_SECTION})
    for section, entries in data.items():
        line = lines.get((section, ""), 1)
        if not isinstance(entries, dict):
            raise KeymapError(f"{where}:{lines.get(('', section), 1)}: {section!r} must be a [section] of bindings")
        if known is not None and section not in sections:
            raise KeymapError(f"{where}:{line}: unknown section [{section}] (known: {', '.join(sections)})")
        for name, keys in entries.items():
            line = lines.get((section, name), lines.get((section, ""), 1))
            _check_entry(where, line, section, name, keys, known)
            binding_id = f"label.{name}" if section == LABEL_SECTION else f"{section}.{name}"
            keymap.keys[binding_id] = ",".join(k.strip() for k in keys.split(","))
            keymap.where[binding_id] = (where, line)


def _check_entry(where: str, line: int, section: str, name: str, keys: object, known: dict[str, str] | None) -> None:
    if section == LABEL_SECTION:
        if not _LABEL_NAME.match(name):
            raise KeymapError(f"{where}:{line}: {name!r} is not a label name (lower-case letters, digits, - or _)")
    elif known is not None and f"{section}.{name}" not in known:
        choices = ", ".join(sorted(k.split(".", 1)[1] for k in known if k.startswith(section + ".")))
        raise KeymapError(f"{where}:{line}: unknown action {section}.{name} (the [{section}] actions are: {choices})")
    if not isinstance(keys, str) or not keys.strip():
        raise KeymapError(f'{where}:{line}: the keys of {section}.{name} must be a string such as "u" or "ctrl+z,u"')
    for key in keys.split(","):
        if not _KEY_TOKEN.match(key.strip()):
            raise KeymapError(f"{where}:{line}: {key.strip()!r} in {section}.{name} is not a key name")


def resolve_choice(choice: str) -> Path:
    """The file meant by ``--keymap``: a built-in name or a path."""
    if choice in BUILTIN:
        return builtin_path(choice)
    path = Path(choice).expanduser()
    if not path.is_file():
        raise KeymapError(
            f"{choice}:1: no such keymap (use {', '.join(BUILTIN)}, or the path of a TOML file)"
        )
    return path


def load_keymap(choice: str = "default", *, user_file: Path | None = None, labels: dict[str, str | None] | None = None) -> Keymap:
    """The default keymap, overridden by ``choice`` and then by the user's file.

    ``user_file`` defaults to :func:`user_keymap_path` (skipped when absent);
    ``labels`` (label name to database key) adds the label keys to the clash
    check. Raises :class:`KeymapError` for anything wrong.
    """
    known = default_keys()
    keymap = Keymap()
    _merge(keymap, builtin_path("default"), known)
    chosen = resolve_choice(choice)
    if chosen != builtin_path("default"):
        _merge(keymap, chosen, known)
    user_file = user_keymap_path() if user_file is None else user_file
    if user_file.is_file():
        _merge(keymap, user_file, known)
    if labels:
        for binding_id, key in keymap.label_keys(labels).items():
            keymap.keys[binding_id] = key
            keymap.where.setdefault(binding_id, ("the database's label set", 0))
    check_clashes(keymap)
    return keymap


def check_clashes(keymap: Keymap) -> None:
    """Refuse a key bound to two actions that are active on the same screen."""
    for screen, sections in SCREENS.items():
        owner: dict[str, str] = {}
        for binding_id in keymap.keys:
            if _section_of(binding_id) not in sections:
                continue
            for key in keymap.keys_of(binding_id):
                if key in owner and owner[key] != binding_id and frozenset({owner[key], binding_id}) not in LAYERED:
                    first, second = owner[key], binding_id
                    # Blame the entry written last: that is the one the user just changed.
                    if _written_after(keymap, first, second):
                        first, second = second, first
                    where, line = keymap.where[second]
                    other_where, other_line = keymap.where[first]
                    other = f"{other_where}:{other_line}" if other_line else other_where
                    raise KeymapError(
                        f"{where}:{line}: key {key!r} is bound twice on the {screen} screen: "
                        f"{second} and {first} ({other})"
                    )
                owner[key] = binding_id


def _section_of(binding_id: str) -> str:
    prefix = binding_id.split(".")[0]
    return LABEL_SECTION if prefix == "label" else prefix


def _written_after(keymap: Keymap, a: str, b: str) -> bool:
    """True when ``a`` was set by a later file (or later line) than ``b``."""
    def rank(binding_id: str) -> tuple[int, int]:
        where, line = keymap.where[binding_id]
        index = keymap.files.index(where) if where in keymap.files else -1
        return (index, line)
    return rank(a) > rank(b)
