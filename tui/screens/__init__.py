"""The screens of the app: library, annotate, help, and the attribute editor."""
