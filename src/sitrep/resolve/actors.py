"""The actor dictionary: canonical actors and sources with aliases per language."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sitrep.lexicon import trie_regex

SOURCE_TYPES = frozenset({"source", "person"})


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    type: str
    full: str | None = None
    country: str | None = None

    @property
    def is_source(self) -> bool:
        return self.type in SOURCE_TYPES


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    entries: tuple[ActorEntry, ...]

    def best(self, *, source: bool) -> ActorEntry:
        """The entry that fits the role: a source for attributions, a party for acts."""
        for e in self.entries:
            if e.is_source == source:
                return e
        return self.entries[0]


class ActorIndex:
    """Aliases of one language, matched case-sensitively as whole words, longest first."""

    def __init__(self, lang: str, entries: list[tuple[ActorEntry, list[str]]]) -> None:
        self.lang = lang
        self.by_alias: dict[str, list[ActorEntry]] = {}
        self.by_name: dict[str, ActorEntry] = {}
        for entry, aliases in entries:
            self.by_name[entry.name.lower()] = entry
            for alias in aliases:
                self.by_alias.setdefault(alias, []).append(entry)
        # Factored by common prefixes: hundreds of aliases cost one pass over a text.
        alts = trie_regex(self.by_alias, ignore_case=False, literal=True)
        self.regex = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")
        self.folded = {a.lower(): v for a, v in self.by_alias.items()}
        self.country_names: set[str] = set()

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        out = []
        for m in self.regex.finditer(text, start, len(text) if end is None else end):
            out.append(ActorMention(m.start(), m.end(), m.group(), tuple(self.by_alias[m.group()])))
        return out

    def lookup(self, name: str, *, source: bool) -> ActorEntry | None:
        """An entry for a name as written (case-insensitive), preferring the role's type."""
        key = name.strip()
        hits = self.by_alias.get(key) or self.folded.get(key.lower())
        if not hits:
            return None
        return ActorMention(0, 0, key, tuple(hits)).best(source=source)


@cache
def _raw_entries() -> list[dict]:
    raw = resources.files("sitrep.data").joinpath("actors.toml").read_text("utf-8")
    return tomllib.loads(raw)["actor"]


@cache
def actor_index(lang: str) -> ActorIndex:
    entries: list[tuple[ActorEntry, list[str]]] = []
    for item in _raw_entries():
        entry = ActorEntry(item["name"], item["type"], item.get("full"), item.get("country"))
        # English aliases serve every language: names of organisations travel untranslated.
        aliases = list(dict.fromkeys([*item.get(lang, []), *item.get("en", [])]))
        entries.append((entry, aliases))
    index = ActorIndex(lang, entries)
    # Aliases that are also country names ("Rusland", "Israel") name places as well.
    from sitrep.resolve.countries import country_names, fold

    names = country_names(lang)
    capitals = {c for item in _raw_entries() for c in item.get("capitals", [])}
    index.country_names = {a for a in index.by_alias if fold(a) in names or a in capitals}
    return index
