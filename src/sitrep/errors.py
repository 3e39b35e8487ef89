"""Errors sitrep raises on purpose: each carries a one-line message meant for the user."""

from __future__ import annotations


class SitrepError(Exception):
    """Base of every error sitrep reports to the user as one line."""


class InputError(SitrepError):
    """An input document cannot be read or processed; ``name`` says which one."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class UnsupportedLanguage(InputError):
    """The document's language has no lexicon; the document is skipped, not failed."""

    def __init__(self, name: str, lang: str | None, supported: list[str]) -> None:
        what = f"language {lang!r}" if lang else "an unidentified language"
        super().__init__(
            name, f"skipped: {what} has no lexicon (supported: {', '.join(supported)})"
        )
        self.lang = lang
