"""Editing a span's attributes: a quote's speaker, a figure's value and unit, a note."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label as LabelWidget

from store.models import Span
from tui.bindings import ATTRIBUTES
from tui.safe_text import visible

# Which attributes each label offers; every label takes a note.
FIELDS = {"quote": ("speaker",), "figure": ("value", "unit")}
NUMERIC = {"value"}


def _shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


class AttributesScreen(ModalScreen[dict[str, Any] | None]):
    """A small form; Enter in the last field or the save key stores it."""

    BINDINGS = ATTRIBUTES
    DEFAULT_CSS = """
    AttributesScreen { align: center middle; }
    AttributesScreen > Vertical { width: 60; height: auto; border: round $primary; background: $panel; padding: 0 1; }
    AttributesScreen Input { margin-bottom: 0; }
    """

    def __init__(self, span: Span) -> None:
        super().__init__()
        self.span = span
        self.fields = (*FIELDS.get(span.label, ()), "note")

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text(f"{self.span.label}: ", style="bold")
            title.append(visible(self.span.text, keep_newlines=False)[:120])
            yield LabelWidget(title)
            for name in self.fields:
                yield LabelWidget(Text(name))
                field = Input(visible(_shown(self.span.attrs.get(name)), keep_newlines=False), id=f"attr-{name}")
                field.cursor_blink = False
                yield field
        yield Footer()

    def attrs(self) -> dict[str, Any] | None:
        """The span's attributes with the form's values (None if a value is not a number)."""
        attrs = dict(self.span.attrs)
        for name in self.fields:
            value = self.query_one(f"#attr-{name}", Input).value.strip()
            if not value:
                attrs.pop(name, None)
            elif name in NUMERIC:
                try:
                    attrs[name] = float(value.replace(",", ""))
                except ValueError:
                    self.notify(f"{name} must be a number", severity="warning")
                    return None
            else:
                attrs[name] = value
        return attrs

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        attrs = self.attrs()
        if attrs is not None:
            self.dismiss(attrs)

    def action_cancel(self) -> None:
        self.dismiss(None)
