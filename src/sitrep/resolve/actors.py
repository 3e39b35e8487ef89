"""The actor dictionary: canonical actors and sources with aliases per language.

Two data files make it: ``data/actors.toml`` (one entry per actor: canonical English name,
ACLED-style full name and type, country, aliases per language) and ``data/demonyms.toml``
(adjectives and people plurals of ~80 countries). Every country also has a state actor whose
names come from CLDR (Babel). See the headers of both files for the rules.

``actor_index(lang).find(text)`` returns the aliases in a text: case-sensitively as whole words,
the longest at a position first, so Dutch "is" never matches "IS"; only demonyms that a language
writes in lower case ("russe", "ruso", "russische") match in any case. Country names (but for
states that act by name: "Israel struck") and people plurals ("Palestinians") are places and
victims far more often than actors: ``lookup`` and ``country_names`` know them, ``find`` does
not return them.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from sitrep.errors import SitrepError

SOURCE_TYPES = frozenset({"source", "person"})
# Internal type → (ACLED actor type, ACLED inter code).
ACLED_TYPES: dict[str, tuple[str, int]] = {
    "state": ("State forces", 1),
    "rebel": ("Rebel group", 2),
    "political_militia": ("Political militia", 3),
    "identity_militia": ("Identity militia", 4),
    "rioters": ("Rioters", 5),
    "protesters": ("Protesters", 6),
    "civilians": ("Civilians", 7),
    "external": ("External/Other forces", 8),
}
TYPES = frozenset(ACLED_TYPES) | SOURCE_TYPES
LANGS = ("nl", "en", "fr", "de", "es", "ar")
_STATE_TYPES = frozenset({"state", "external"})
_FIELDS = frozenset(
    {"name", "full", "type", "country", "parent", "capitals", "names", "acts_by_name", *LANGS}
)


class ActorDataError(SitrepError):
    """actors.toml or demonyms.toml is malformed."""


@dataclass(frozen=True, slots=True)
class ActorEntry:
    name: str
    type: str
    full: str | None = None
    country: str | None = None
    parent: str | None = None

    @property
    def is_source(self) -> bool:
        return self.type in SOURCE_TYPES

    @property
    def acled_type(self) -> str | None:
        """ACLED's actor type ("State forces" …); None for sources and people."""
        hit = ACLED_TYPES.get(self.type)
        return hit[0] if hit else None

    @property
    def inter(self) -> int | None:
        """ACLED's inter code, 1 (state forces) to 8 (external/other); None for sources."""
        hit = ACLED_TYPES.get(self.type)
        return hit[1] if hit else None


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


_BOUNDARY = r"(?<![\w-].)"  # after the first character: the one before it is no word character
# Arabic proclitics: و/ف before any alias, ب/ك (after an optional و/ف) before the article ال.
_AR_BOUNDARY = r"(?:(?<![\w-].)|(?<=(?<![\w-])[وف].))"
_AR_ARTICLE_BOUNDARY = r"(?:(?<![\w-].)|(?<=(?<![\w-])[وفبك].)|(?<=(?<![\w-])[وف][بك].))"


def _compile(
    aliases: list[str], lang: str, heads: list[str], any_case: set[str]
) -> re.Pattern[str]:
    """One regex for all aliases: a branch per first character, its aliases longest first.

    Every branch starts with a literal, so the engine skips positions whose character starts
    no alias, and within a branch it rejects an alias on its second character; the word
    boundary is checked after the first character. Aliases in ``any_case`` (lower-case
    demonyms) match in any case. An alias may end a hyphenated compound with one of ``heads``
    ("IS-strijders"): the match is the alias alone.

    (A trie, as ``sitrep.lexicon.trie_regex`` builds for the lexicons, is no faster to match
    here and slower to compile: on thousands of multi-word names its nested groups cost more
    than the characters they save, and the index must build in well under 150 ms.)
    """
    by_first: dict[str, set[str]] = {}
    folded: dict[str, dict[str, set[str]]] = {}
    for a in aliases:
        by_first.setdefault(a[0], set()).add(a[1:])
    for a in any_case:
        # Inflected forms share a stem: "russisch(?:e[mnrs]?)?" once, not six words.
        stem = a[1:].lower().rstrip("aeiouymnrsè")
        for first in dict.fromkeys([a[0], a[0].upper()]):
            folded.setdefault(first, {}).setdefault(stem, set()).add(a[1:].lower()[len(stem) :])
    branches = []
    for first in sorted(by_first.keys() | folded.keys()):
        bound = _BOUNDARY
        if lang == "ar":
            bound = _AR_ARTICLE_BOUNDARY if first == "ا" else _AR_BOUNDARY
        alts = [re.escape(r) for r in sorted(by_first.get(first, ()), key=lambda r: (-len(r), r))]
        stems = folded.get(first, {})
        if stems:
            alts.append(
                "(?i:"
                + "|".join(
                    re.escape(stem) + _endings(ends)
                    for stem, ends in sorted(stems.items(), key=lambda se: (-len(se[0]), se[0]))
                )
                + ")"
            )
        branches.append(f"{re.escape(first)}{bound}(?:{'|'.join(alts)})")
    if not branches:
        return re.compile(r"(?!x)x")
    end = r"(?![\w-])"
    if heads:
        alts = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
        end = rf"(?:(?![\w-])|(?=-(?:{alts})(?![\w-])))"
    return re.compile("(?:" + "|".join(branches) + ")" + end)


def _endings(ends: set[str]) -> str:
    """Alternatives for the endings of one stem, longest first; "" makes them optional."""
    alts = [re.escape(e) for e in sorted(ends, key=lambda e: (-len(e), e)) if e]
    if not alts:
        return ""
    return f"(?:{'|'.join(alts)}){'?' if '' in ends else ''}"


class _AliasMap(dict):
    """Alias as written → entries; a lower-case demonym is found in any case ("RUSSE")."""

    any_case: dict[str, list[ActorEntry]]

    def __missing__(self, key: str) -> list[ActorEntry]:
        hits = self.any_case.get(key.lower())
        if hits is None:
            raise KeyError(key)
        return hits


class ActorIndex:
    """Aliases of one language, matched case-sensitively as whole words, longest first;
    only the aliases in ``any_case`` (lower-case demonyms: "russe", "ruso") in any case."""

    def __init__(
        self,
        lang: str,
        entries: list[tuple[ActorEntry, list[str]]],
        *,
        compound_heads: list[str] | None = None,
        affiliation_heads: list[str] | None = None,
        any_case: set[str] | frozenset[str] = frozenset(),
        names: list[tuple[ActorEntry, list[str]]] | None = None,
    ) -> None:
        self.lang = lang
        self.by_alias: dict[str, list[ActorEntry]] = _AliasMap()
        self.by_name: dict[str, ActorEntry] = {}
        for entry, aliases in entries:
            self.by_name[entry.name.lower()] = entry
            for alias in aliases:
                hits = self.by_alias.setdefault(alias, [])
                if entry not in hits:
                    hits.append(entry)
        self.any_case = {a for a in any_case if a in self.by_alias}
        self.by_alias.any_case = {a: self.by_alias[a] for a in self.any_case}
        plain = [a for a in self.by_alias if a not in self.any_case]
        self.regex = _compile(plain, lang, compound_heads or [], self.any_case)
        self.affiliation_heads = frozenset(h.lower() for h in affiliation_heads or [])
        # Names resolved by lookup() but not matched in text: most country names, people.
        self.names: dict[str, list[ActorEntry]] = {}
        for entry, ns in names or []:
            for n in ns:
                if n not in self.by_alias:
                    hits = self.names.setdefault(n, [])
                    if entry not in hits:
                        hits.append(entry)
        self.folded = {a.lower(): v for a, v in self.names.items()}
        self.folded.update((a.lower(), v) for a, v in self.by_alias.items())
        self.country_names: set[str] = set()

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
        by_alias, regex = self.by_alias, self.regex
        stop = len(text) if end is None else end
        out: list[ActorMention] = []
        for m in regex.finditer(text, start, stop):
            if out and m.start() < out[-1].end:
                continue  # inside a longer name found from an earlier word
            # "the Islamic State West Africa Province": a longer name that starts at a later
            # word of this one ("Islamic State West …") outranks the shorter, earlier one.
            for w in _WORD_START.finditer(text, m.start() + 1, m.end()):
                longer = regex.match(text, w.start(), stop)
                if longer is not None and longer.end() > m.end():
                    m = longer
                    break
            out.append(ActorMention(m.start(), m.end(), m.group(), tuple(by_alias[m.group()])))
        if len(out) > 1 and self.affiliation_heads:
            out = [a for i, a in enumerate(out) if not self._qualifies_next(text, a, out[i + 1 :])]
        return out

    def _qualifies_next(self, text: str, a: ActorMention, rest: list[ActorMention]) -> bool:
        """'the al Qaeda-linked al Shabaab group': a name in a compound right before another
        name says whose ally the other is; the other is the actor."""
        m = _COMPOUND_HEAD.match(text, a.end)
        return (
            m is not None
            and m.group(1).lower() in self.affiliation_heads
            and bool(rest)
            and not text[m.end() : rest[0].start].strip()
        )

    def lookup(self, name: str, *, source: bool) -> ActorEntry | None:
        """An entry for a name as written (case-insensitive), preferring the role's type."""
        key = name.strip()
        hits = self.by_alias.get(key) or self.names.get(key) or self.folded.get(key.lower())
        if not hits:
            return None
        return ActorMention(0, 0, key, tuple(hits)).best(source=source)


_WORD_START = re.compile(r"(?<=\s)\S")
_COMPOUND_HEAD = re.compile(r"-(\w+)")


# -- data --------------------------------------------------------------------------------------


def _read(name: str) -> dict[str, Any]:
    raw = resources.files("sitrep.data").joinpath(name).read_text("utf-8")
    return tomllib.loads(raw)


@cache
def _raw() -> dict[str, Any]:
    data = _read("actors.toml")
    names: set[str] = set()
    for item in data.get("actor", []):
        name = item.get("name")
        if not name or name in names:
            raise ActorDataError(f"actors.toml: missing or repeated name {name!r}")
        names.add(name)
        if item.get("type") not in TYPES:
            raise ActorDataError(f"actors.toml: {name}: unknown type {item.get('type')!r}")
        if set(item) - _FIELDS:
            raise ActorDataError(f"actors.toml: {name}: unknown fields {set(item) - _FIELDS}")
        country = item.get("country")
        if country is not None and not re.fullmatch(r"[A-Z]{2}", country):
            raise ActorDataError(f"actors.toml: {name}: {country!r} is no ISO alpha-2 code")
        if set(item.get("names", {})) - set(LANGS):
            raise ActorDataError(f"actors.toml: {name}: names in unknown languages")
        for lang in LANGS:
            for alias in item.get(lang, []) + item.get("names", {}).get(lang, []):
                if len(alias) < 2 or alias != alias.strip():
                    raise ActorDataError(f"actors.toml: {name}: bad alias {alias!r}")
    for item in data.get("actor", []):
        if item.get("parent") and item["parent"] not in names:
            raise ActorDataError(f"actors.toml: {item['name']}: unknown parent {item['parent']!r}")
    return data


# CLDR region codes that are no country (or no inhabited one): no state actor for them.
_NOT_STATES = frozenset(
    {"AC", "CP", "DG", "EA", "IC", "TA", "XA", "XB", "ZZ", "EU", "EZ", "UN", "QO"}
    | {"AQ", "BV", "HM", "GS", "TF", "UM", "IO"}
)


@cache
def _raw_entries() -> list[dict]:
    """The entries of actors.toml, then a state entry for every other CLDR country, so that
    every country name resolves ("Equatorial Guinea" is no "Guinea")."""
    items = list(_raw()["actor"])
    covered = {i.get("country") for i in items if i["type"] in _STATE_TYPES}
    for code, name in sorted(_territories("en").items()):
        if len(code) == 2 and code.isalpha() and code not in _NOT_STATES | covered:
            full = f"Military Forces of {name}"
            items.append({"name": name, "full": full, "type": "state", "country": code})
    return items


@cache
def _demonyms() -> dict[str, Any]:
    return _read("demonyms.toml")


def _demonym_forms(code: str, lang: str) -> tuple[list[str], list[str]]:
    """Adjectives and people plurals of a country in a language, as the file writes them."""
    row = _demonyms().get("demonym", {}).get(code, {}).get(lang, {})
    return list(row.get("adj", [])), list(row.get("people", []))


@cache
def _ambiguous(lang: str) -> frozenset[str]:
    return frozenset(_demonyms().get("ambiguous", {}).get(lang, []))


@cache
def _demonym_table(lang: str) -> tuple[dict[str, str], dict[str, str]]:
    exact: dict[str, str] = {}
    for code in _demonyms().get("demonym", {}):
        adj, people = _demonym_forms(code, lang)
        for form in adj + people:
            exact.setdefault(form, code)
    return exact, {k.lower(): v for k, v in reversed(exact.items())}


def demonym_country(word: str, lang: str) -> str | None:
    """The ISO alpha-2 code of a demonym (adjective or people plural) in ``lang`` or English:
    "Libanese" (nl) → "LB", "russes" (fr) → "RU". Case-insensitive when no form matches as
    written; forms that are also common words still resolve here."""
    w = word.strip()
    for lg in dict.fromkeys([lang, "en"]):
        exact, folded = _demonym_table(lg)
        hit = exact.get(w) or folded.get(w.lower())
        if hit:
            return hit
    return None


def state_of(code: str) -> ActorEntry | None:
    """The state actor of a country ("IR" → Iran, state forces)."""
    name = _states().get(code)
    return next((e for e in all_entries() if e.name == name), None) if name else None


def english_adjective(code: str) -> str | None:
    """The English adjective of a country ("LB" → "Lebanese"), for naming its institutions."""
    adj, _ = _demonym_forms(code, "en")
    return adj[0] if adj else None


@cache
def _states() -> dict[str, str]:
    """Country code → its state actor: the first state or external entry with that country."""
    out: dict[str, str] = {}
    for item in _raw_entries():
        if item["type"] in _STATE_TYPES and item.get("country"):
            out.setdefault(item["country"], item["name"])
    return out


@cache
def _territories(lang: str) -> dict[str, str]:
    from babel import Locale

    try:
        return dict(Locale.parse(lang).territories)
    except (ValueError, LookupError):
        return {}


def _cldr_names(code: str, lang: str) -> tuple[list[str], list[str]]:
    """The CLDR names of a country in ``lang`` and English, and the other names they give in
    parentheses ("Myanmar (Burma)" → "Myanmar"; "Burma"). "Congo - Kinshasa" forms and
    lower-case notes ("Saint-Martin (partie néerlandaise)") are left out."""
    names: list[str] = []
    inner: list[str] = []
    for lg in dict.fromkeys([lang, "en"]):
        name = _territories(lg).get(code)
        if not name or " - " in name:
            continue
        m = re.fullmatch(r"(.+?) \((.+)\)", name)
        names.append(m.group(1) if m else name)
        if m and m.group(2)[0].isupper():
            inner.append(m.group(2))
    return names, inner


def _spellings(alias: str, *, any_case: bool) -> list[str]:
    """An alias and the ways news writes it too: typographic apostrophe, Arabic alef without
    hamza, a capital first letter (sentence start; an ``any_case`` alias needs none)."""
    out = [alias]
    if "'" in alias or "’" in alias:
        out += [alias.replace("'", "’"), alias.replace("’", "'")]
    if any(c in alias for c in "أإآ"):
        out.append(alias.translate(str.maketrans("أإآ", "ااا")))
    if not any_case:
        out += [a[0].upper() + a[1:] for a in out if a[0].islower()]
    return list(dict.fromkeys(out))


@dataclass(slots=True)
class _Forms:
    """What one entry contributes to a language's index."""

    aliases: list[str]  # matched in text (as written, or in any case if in any_case)
    any_case: list[str]  # lower-case demonyms
    names: list[tuple[str, bool]]  # country names, each with whether it is the country's own
    lookup: list[str]  # resolved by lookup() only: people plurals of most states


def _forms(item: dict, lang: str) -> _Forms:
    own = [*item.get(lang, []), *item.get("en", [])]
    text_demonyms: list[str] = []
    lookup: list[str] = []
    names: list[tuple[str, bool]] = []
    code = item.get("country")
    if code and _states().get(code) == item["name"]:
        acts = bool(item.get("acts_by_name"))
        for lg in dict.fromkeys([lang, "en"]):
            adj, people = _demonym_forms(code, lg)
            skip = _ambiguous(lg)
            text_demonyms += [f for f in adj + people * acts if f not in skip]
            lookup += [f for f in people * (not acts) if f not in skip]
        given = item.get("names", {})
        cldr, inner = _cldr_names(code, lang)
        primary = [*cldr, *given.get(lang, []), *given.get("en", [])]
        skip = _ambiguous(lang)
        names = [(n, True) for n in dict.fromkeys(primary) if n not in skip]
        names += [(n, False) for n in dict.fromkeys(inner) if n not in skip and n not in primary]
    aliases: list[str] = []
    any_case: list[str] = []
    for a in own + [d for d in text_demonyms if not d[0].islower()]:
        aliases += _spellings(a, any_case=False)
    for a in text_demonyms:
        if a[0].islower():
            any_case += _spellings(a, any_case=True)
    return _Forms(
        list(dict.fromkeys(aliases + any_case)), list(dict.fromkeys(any_case)), names, lookup
    )


@cache
def all_entries() -> tuple[ActorEntry, ...]:
    """Every actor of the dictionary, in file order."""
    return tuple(
        ActorEntry(i["name"], i["type"], i.get("full"), i.get("country"), i.get("parent"))
        for i in _raw_entries()
    )


@cache
def actor_index(lang: str) -> ActorIndex:
    data = _raw()
    items = _raw_entries()
    forms = [_forms(item, lang) for item in items]
    # A country name yields to a hand-made alias of another party (Spanish CLDR "Congo" is
    # Congo-Brazzaville; the hand-made "Congo" is DR Congo), a name in parentheses to a
    # country's own name (Spanish "China", not "RAE de Hong Kong (China)"), and a name that two
    # countries give in parentheses names neither.
    claimed: dict[str, str] = {}
    for item, f in zip(items, forms, strict=True):
        if item["type"] not in SOURCE_TYPES:
            for a in f.aliases:
                claimed.setdefault(a, item["name"])
    for item, f in zip(items, forms, strict=True):
        for n, own in f.names:
            if own:
                claimed.setdefault(n, item["name"])
    count = Counter(n for f in forms for n, _ in f.names)
    entries: list[tuple[ActorEntry, list[str]]] = []
    lookups: list[tuple[ActorEntry, list[str]]] = []
    any_case: set[str] = set()
    for entry, item, f in zip(all_entries(), items, forms, strict=True):
        names = [
            n
            for n, own in f.names
            if claimed.get(n, entry.name) == entry.name and (own or count[n] == 1)
        ]
        if item.get("acts_by_name"):
            spelled = [v for n in names for v in _spellings(n, any_case=False)]
            entries.append((entry, list(dict.fromkeys(f.aliases + spelled))))
            lookups.append((entry, f.lookup))
        else:
            entries.append((entry, f.aliases))
            lookups.append((entry, names + f.lookup))
        any_case.update(f.any_case)
    index = ActorIndex(
        lang,
        entries,
        compound_heads=data.get("compounds", {}).get(lang),
        affiliation_heads=data.get("affiliations", {}).get(lang),
        any_case=any_case,
        names=lookups,
    )
    # Aliases and names that are also country names ("Rusland", "Syrië") name places.
    from sitrep.resolve.countries import country_names, fold

    countries = country_names(lang)
    capitals = {c for item in items for c in item.get("capitals", [])}
    states = {e for e in all_entries() if e.type in _STATE_TYPES}
    index.country_names = {
        a
        for table in (index.by_alias, index.names)
        for a, hits in table.items()
        if a in capitals or (states.intersection(hits) and fold(a) in countries)
    }
    return index
