"""Language data, loaded from one TOML file per language and compiled once into matchers.

Patterns in the files are case-insensitive regular expressions over words, with two
conveniences: a space matches any run of whitespace and "…" matches a gap of up to six
words. Each category compiles into one alternation with a named group per label, so a
document is scanned once per category whatever the number of entries.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any

from sitrep.errors import SitrepError

GAP = r"(?:\s+[^\s;:!?]*[^\s.;:!?,]){0,8}?\s+"
_WORD_START = r"(?<![\w])"
_WORD_END = r"(?![\w])"


class LexiconError(SitrepError):
    """A lexicon file is missing or malformed."""


def pattern_to_regex(entry: str) -> str:
    """Turn one lexicon entry into a regular expression (no boundaries added)."""
    parts = entry.split("…")
    parts = (
        [
            p.rstrip() if i == 0 else p.strip() if i < len(parts) - 1 else p.lstrip()
            for i, p in enumerate(parts)
        ]
        if len(parts) > 1
        else parts
    )
    # " ?" is optional whitespace ("air ?strikes"), any other run of spaces is required.
    return GAP.join(
        re.sub(r" +", r"\\s+", p.replace(" ?", "\x00")).replace("\x00", r"\s*") for p in parts
    )


_META = set(".^$*+?{}[]\\|()")


def _literal_prefix(entry: str) -> tuple[str, str]:
    """Split an entry into its literal first characters and the rest."""
    i = 0
    while i < len(entry) and entry[i] not in _META and entry[i] not in " …":
        i += 1
    # A quantifier binds to the character before it: leave that character to the rest.
    if i < len(entry) and entry[i] in "?*{" and i > 0:
        i -= 1
    return entry[:i], entry[i:]


def trie_regex(entries: Iterable[str], *, ignore_case: bool = True, folded: bool = False) -> str:
    """One regular expression for many entries, factored by their literal prefixes.

    A flat alternation of hundreds of words tries each one at every position; factoring
    the common prefixes into a trie lets the engine reject a position on its first letter.
    Longer continuations come before shorter ones, so the longest literal wins.

    ``folded`` (with ``ignore_case``) writes the regex for lower-cased text, compiled
    without IGNORECASE: the literal prefixes match as they are (they are lower case) and
    only the pattern parts keep IGNORECASE, in a scoped ``(?i:...)``.
    """
    trie: dict = {}
    for entry in entries:
        prefix, rest = _literal_prefix(entry)
        node = trie
        for ch in prefix.lower() if ignore_case else prefix:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(pattern_to_regex(rest) if rest else "")

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        # Longest first, then alphabetical: the order of a set must never decide a match.
        rests = sorted(node.get("", ()), key=lambda r: (-len(r), r))
        branches += [f"(?i:{r})" if folded else r for r in rests if r]
        if "" in rests:
            branches.append("")
        if len(branches) == 1:
            return branches[0] if len(branches[0]) <= 1 or not branches[0] else f"(?:{branches[0]})"
        return "(?:" + "|".join(branches) + ")"

    return emit(trie) if trie else r"(?!x)x"


# Characters whose ``str.lower()`` is one character that IGNORECASE treats exactly as it
# treats the character itself: Latin-1 but for the micro sign (IGNORECASE equates it with
# Greek mu), and the dashes and quotes of U+2010-U+2027. A text made of these alone can be
# lower-cased once and scanned by case-sensitive regexes (see ``LabelMatcher``), which the
# regex engine runs several times faster than IGNORECASE ones.
_FOLD_SAFE = "\\x00-\\xb4\\xb6-\\xff\\u2010-\\u2027"
_NOT_FOLD_SAFE = re.compile(f"[^{_FOLD_SAFE}]")


@lru_cache(maxsize=8)
def _folded(text: str) -> str | None:
    """``text`` lower-cased, or None when it holds a character outside ``_FOLD_SAFE``.

    Kept for the last few texts: a document is scanned by many matchers in turn.
    """
    if not text.isascii() and _NOT_FOLD_SAFE.search(text):
        return None
    return text.lower()


@cache
def _fold_safe_chars() -> tuple[str, ...]:
    return tuple(x for x in map(chr, range(0x2028)) if not _NOT_FOLD_SAFE.match(x))


@cache
def _folds_exactly(ch: str) -> bool:
    """Whether the literal ``ch`` (lower case) under IGNORECASE matches exactly the
    fold-safe characters that lower-case to ``ch``: then it may match folded text as it is.
    """
    literal = re.compile(re.escape(ch), re.IGNORECASE)
    return all(bool(literal.fullmatch(x)) == (x.lower() == ch) for x in _fold_safe_chars())


def scan_after_gaps(
    plain: re.Pattern[str],
    text: str,
    after_gap: re.Pattern[str],
    gap_text: str,
    start: int,
    end: int,
    after_space: re.Pattern[str] | None = None,
    gaps: list[int] | None = None,
) -> Iterator[tuple[int, int, re.Match[str]]]:
    """The spans of ``plain.finditer(text, start, end)``, with their matches, for a pattern
    that matches only after a non-word character or at the text's start (its look-behinds
    say so), found faster: ``after_gap`` is that pattern after a ``\\W`` it consumes.

    The regex engine skips ahead to a character a pattern can start with, but not past a
    look-behind, which it tries at every position; ``after_gap`` it tries only after spaces
    and punctuation. Searched from the character before the position the scan is at (the
    range's start, the previous match's end), its next match holds the next match of
    ``plain``. The text's first position has no character before it: ``plain`` tries it.
    ``gap_text`` is ``text`` or a copy with the same offsets (lower-cased).

    ``after_space``, the pattern after a space, is faster still (the engine runs to the next
    space as to a literal): given it, the scan searches with it and tries ``after_gap`` only
    at ``gaps``, the positions of the text's other non-word characters, sorted (for a
    pattern that never starts with white space, those that a non-space follows: see
    ``other_gaps``).
    """
    pos = start
    first = plain.match(text, 0, end) if start == 0 else None
    if gaps is None:
        gaps = other_gaps(gap_text, False) if after_space is not None else []
    i = bisect_left(gaps, max(start - 1, 0))
    while True:
        if first is not None:
            m, a, first = first, 0, None
        else:
            lo = max(pos - 1, 0)
            if after_space is None:
                m = after_gap.search(gap_text, lo, end)
            else:
                m = after_space.search(gap_text, lo, end)
                limit = end if m is None else m.start()
                while i < len(gaps) and gaps[i] < limit:
                    if gaps[i] >= lo:
                        other = after_gap.match(gap_text, gaps[i], end)
                        if other is not None:
                            m = other
                            break
                    i += 1
            if m is None:
                return
            a = m.start() + 1
        b = m.end()
        if a == b:  # an empty match: the plain scan, with its rule for those, goes on
            for m in plain.finditer(text, a, end):
                yield m.start(), m.end(), m
            return
        yield a, b, m
        pos = b


_OTHER_GAP = re.compile(r"[^\w ]")
# The same for a text of Latin-1 characters, faster: the word characters listed (a bitmap
# test, not a Unicode category look-up per character), and a run of them and spaces skipped
# as one repeat; group 1 is the gap.
_LATIN1_WORD = "".join(re.escape(chr(c)) for c in range(256) if chr(c).isalnum() or c == 95)
_LATIN1_GAP_AFTER_RUN = re.compile(f"[ {_LATIN1_WORD}]*+([^ {_LATIN1_WORD}])")


@lru_cache(maxsize=16)
def other_gaps(text: str, before_non_space: bool) -> list[int]:
    """Where a text has a non-word character other than a space (a hyphen, a quote, a
    comma, a line break), or only those that a non-space follows: the positions besides
    those after spaces where ``scan_after_gaps`` tries a pattern. Kept for the last few
    texts, as ``_folded``."""
    if before_non_space:
        # ``(?=\S)`` after the gap: a next character that is no white space.
        gaps, n = other_gaps(text, False), len(text)
        return [p for p in gaps if p + 1 < n and not text[p + 1].isspace()]
    if text.isascii() or _is_latin1(text):
        return [m.start(1) for m in _LATIN1_GAP_AFTER_RUN.finditer(text)]
    return [m.start() for m in _OTHER_GAP.finditer(text)]


def _is_latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Match:
    label: str
    start: int
    end: int
    text: str


class LabelMatcher:
    """Finds whole-word matches of many labelled patterns in one pass.

    At any position the longest literal entry wins; the label of a match is that of the
    first entry (longest first) that matches its text in full.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, str]],
        *,
        bounded: bool = True,
        ignore_case: bool = True,
        lookahead: str = "",
    ) -> None:
        pairs = sorted(
            {(label, p) for label, p in entries if p}, key=lambda lp: (-len(lp[1]), lp[1], lp[0])
        )
        self.empty = not pairs
        self._flags = re.IGNORECASE if ignore_case else 0
        self._literal: dict[str, str] = {}
        self._patterned_entries: list[tuple[str, str]] = []
        for label, pat in pairs:
            if not (_META & set(pat)) and "…" not in pat:
                key = re.sub(r"\s+", " ", pat.lower() if ignore_case else pat)
                self._literal.setdefault(key, label)
            else:
                self._patterned_entries.append((pat, label))
        self.labels = sorted({label for label, _ in pairs})
        # One label for every entry: no need to find which entry matched.
        self._only_label = self.labels[0] if len(self.labels) == 1 else ""
        self._ignore_case = ignore_case
        self._pairs = pairs
        self._bounded = bounded
        self._lookahead = lookahead

    # The regexes are compiled on first use: a lexicon has some sixty matchers, language
    # identification loads every lexicon, and one text uses a few of them.
    @cached_property
    def _trie(self) -> str:
        return trie_regex((p for _, p in self._pairs), ignore_case=self._ignore_case)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        body = self._trie
        if self._bounded:
            body = f"{_WORD_START}{body}{_WORD_END}"
        if self._lookahead:  # a cheap filter on what must follow, so fewer matches are built
            body = f"{body}(?={self._lookahead})"
        return self._compile(body)

    @cached_property
    def _tail(self) -> re.Pattern[str]:
        return self._compile(f"{_WORD_START}(?:{self._trie})$")

    @cached_property
    def _patterned(self) -> list[tuple[re.Pattern[str], str]]:
        return [
            (self._compile(pattern_to_regex(pat)), label) for pat, label in self._patterned_entries
        ]

    def _compile(self, pattern: str) -> re.Pattern[str]:
        try:
            return re.compile(pattern, self._flags)
        except re.error as exc:  # a lexicon bug: name it
            raise LexiconError(f"bad pattern in lexicon: {exc}") from exc

    def compile(self) -> None:
        """Compile every regex now (``Lexicon.check``): a bad entry fails here, by name."""
        for name in (
            *("regex", "_tail", "_patterned"),
            *("_folded_regex", "_folded_after_gap", "_folded_after_space"),
        ):
            getattr(self, name)

    @cached_property
    def _folded_body(self) -> str | None:
        """The regex, without the look-behind a bounded one opens with, for lower-cased text
        (see ``_FOLD_SAFE``); None where a literal prefix character does not fold exactly."""
        chars = {ch for _, p in self._pairs for ch in _literal_prefix(p)[0].lower()}
        if not self._ignore_case or not all(_folds_exactly(ch) for ch in chars):
            return None
        body = trie_regex((p for _, p in self._pairs), folded=True)
        if self._bounded:
            body = f"{body}{_WORD_END}"
        if self._lookahead:
            body = f"{body}(?=(?i:{self._lookahead}))"
        return body

    @cached_property
    def _folded_regex(self) -> re.Pattern[str] | None:
        """The regex for lower-cased text, or None (see ``_folded_body``). Compiled on first
        use: a process that extracts one text compiles only the matchers it scans with."""
        body = self._folded_body
        if body is None:
            return None
        return re.compile(f"{_WORD_START}{body}" if self._bounded else body)

    @cached_property
    def _folded_after_gap(self) -> re.Pattern[str] | None:
        """A bounded matcher's regex for lower-cased text with a non-word character to match
        where ``_folded_regex`` looks behind. The regex engine skips ahead to a character a
        pattern can start with, but not past a look-behind: that one is tried at every
        position, this one only after spaces and punctuation (see ``finditer``)."""
        body = self._folded_body
        if body is None or not self._bounded:
            return None
        return re.compile(rf"\W{body}")

    @cached_property
    def _folded_after_space(self) -> re.Pattern[str] | None:
        """``_folded_after_gap`` after a space (see ``scan_after_gaps``), or None."""
        body = self._folded_body
        if body is None or not self._bounded:
            return None
        return re.compile(f" {body}")

    @cached_property
    def _never_starts_with_space(self) -> bool:
        """Whether every entry starts with a literal character other than white space: a
        match never starts with white space (see ``other_gaps``)."""
        firsts = [_literal_prefix(p)[0][:1] for _, p in self._pairs]
        return all(c and not c.isspace() for c in firsts)

    def _label(self, text: str, start: int, end: int) -> str:
        key = " ".join((text[start:end].lower() if self._ignore_case else text[start:end]).split())
        label = self._literal.get(key)
        if label is not None:
            return label
        for regex, label in self._patterned:
            m = regex.match(text, start)  # in context: an entry may look ahead
            if m and m.end() == end:
                return label
        for regex, label in self._patterned:
            if regex.match(text, start):
                return label
        return self.labels[0] if self.labels else ""

    def _wrap(self, m: re.Match[str]) -> Match:
        label = self._only_label or self._label(m.string, m.start(), m.end())
        return Match(label, m.start(), m.end(), m.group())

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match]:
        if self.empty:
            return
        end = len(text) if end is None else end
        low = _folded(text) if self._folded_body is not None else None
        if low is None:
            for m in self.regex.finditer(text, start, end):
                yield self._wrap(m)
            return
        # Lower-cased text has the same offsets; labels and texts come from the original.
        only = self._only_label
        after_gap = self._folded_after_gap
        if after_gap is None:
            for m in self._folded_regex.finditer(low, start, end):  # type: ignore[union-attr]
                a, b = m.span()
                yield Match(only or self._label(text, a, b), a, b, text[a:b])
            return
        after_space = self._folded_after_space
        gaps = other_gaps(low, self._never_starts_with_space) if after_space is not None else None
        found = scan_after_gaps(self.regex, text, after_gap, low, start, end, after_space, gaps)
        for a, b, _ in found:
            yield Match(only or self._label(text, a, b), a, b, text[a:b])

    def match_at(self, text: str, pos: int) -> Match | None:
        """A match starting exactly at ``pos``."""
        if self.empty:
            return None
        m = self.regex.match(text, pos)
        return self._wrap(m) if m else None

    def match_ending_at(self, text: str, end: int, window: int = 60) -> Match | None:
        """The longest match that ends exactly at ``end`` (for words before a number)."""
        if self.empty:
            return None
        m = self._tail.search(text, max(0, end - window), end)
        return self._wrap(m) if m else None


def _alts(words: Iterable[str]) -> str:
    return "|".join(pattern_to_regex(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass
class Lexicon:
    """Compiled language data for one language."""

    lang: str
    name: str
    data: dict[str, Any]
    stopwords: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        d = self.data
        self.stopwords = frozenset(w.lower() for w in d["language_id"]["stopwords"])
        seg = d["segmentation"]
        self.abbreviations = frozenset(a.lower() for a in seg["abbreviations"])
        self.boilerplate = re.compile(
            r"\s*(?:" + _alts(seg["boilerplate_line_starts"]) + r")", re.IGNORECASE
        )
        num = d["numbers"]
        self.number_words: dict[str, float] = {k.lower(): v for k, v in num["words"].items()}
        self.joiners = frozenset(num.get("joiners", []))
        self.scale_words: dict[str, float] = {k.lower(): v for k, v in num["scale_words"].items()}
        self.article_ones = frozenset(num.get("article_ones", []))
        self.decimal_mark: str = num.get("decimal_mark", ".")
        self.vague: dict[str, int] = {k.lower(): v for k, v in num["vague"].items()}

        fig = d["figures"]
        self.qualifiers = LabelMatcher((q, p) for q, pats in d["qualifiers"].items() for p in pats)
        self.stop_after = re.compile(
            r"\s*-?\s*(?:" + _alts(fig["stop_after"]) + r")(?!\w)", re.IGNORECASE
        )
        # Languages that write compounds ("transportvliegtuigen") end them with the head noun.
        self.compounds = bool(fig.get("compounds"))
        self.stop_after_heads: tuple[str, ...] = (
            tuple(w.lower() for w in fig["stop_after"] if len(w) >= 5 and w.isalpha())
            if self.compounds
            else ()
        )
        self.stop_before = LabelMatcher(("stop", p) for p in fig["stop_before"])
        self.clause_joiners = frozenset(w.lower() for w in fig.get("clause_joiners", []))
        self.population_before = LabelMatcher(
            ("population", p) for p in fig.get("population_before", [])
        )
        self.skippable = frozenset(w.lower() for w in fig["skippable"])
        self.subcount_cues = LabelMatcher(("sub", p) for p in fig["subcount_cues"])
        self.subcount_after = re.compile(
            r"\s*,?\s*(?:" + _alts(fig["subcount_after"]) + r")(?!\w)", re.IGNORECASE
        )
        self.negations = LabelMatcher(("neg", p) for p in fig["negations"])

        rng = d["ranges"]
        self.range_infix = re.compile(
            r"\s*(?:-|–)\s*|\s+(?:" + _alts(i for i in rng["infixes"] if i not in "-–") + r")\s+",
            re.IGNORECASE,
        )
        self.range_frames = [
            (
                re.compile(r"(?<!\w)(?:" + pattern_to_regex(a) + r")\s+$", re.IGNORECASE),
                re.compile(r"\s+(?:" + pattern_to_regex(b) + r")\s+$", re.IGNORECASE),
            )
            for a, b in rng["frames"]
        ]

        preds = d["predicates"]
        entries: list[tuple[str, str]] = []
        self.requires_group: dict[str, frozenset[str]] = {}
        for kind, spec in preds.items():
            if kind in ("weak", "refugee_destination"):
                continue
            entries += [(f"{kind}:verb", p) for p in spec.get("verbs", [])]
            entries += [(f"{kind}:noun", p) for p in spec.get("nouns", [])]
            entries += [(f"{kind}:toll", p) for p in spec.get("tolls", [])]
            if spec.get("requires_group"):
                self.requires_group[kind] = frozenset(spec["requires_group"])
        weak = preds.get("weak", {})
        entries += [
            (f"{weak.get('default_kind', 'killed')}:weak", p) for p in weak.get("nouns", [])
        ]
        self.predicates = LabelMatcher(entries)
        self.refugee_destination = LabelMatcher(
            ("dest", p) for p in preds.get("refugee_destination", {}).get("cues", [])
        )

        self.groups = LabelMatcher((g, p) for g, pats in d["groups"].items() for p in pats)
        sp = d["single_person"]
        self.single_articles = frozenset(a.lower() for a in sp["articles"])
        self.single_before = (
            re.compile(
                r"(?<!\w)(?:"
                + _alts(sp["articles"])
                + r")\s+(?:(?:"
                + _alts(sp.get("modifiers", []))
                + r")\s+)?$",
                re.IGNORECASE,
            )
            if sp.get("modifiers")
            else re.compile(r"(?<!\w)(?:" + _alts(sp["articles"]) + r")\s+$", re.IGNORECASE)
        )
        ctx = d.get("context", {})
        self.conflict_words = LabelMatcher(("conflict", p) for p in ctx.get("conflict", []))
        self.non_conflict_words = LabelMatcher(("other", p) for p in ctx.get("non_conflict", []))
        self.historical_words = LabelMatcher(("history", p) for p in ctx.get("historical", []))
        self.events = LabelMatcher((e, p) for e, pats in d["events"].items() for p in pats)
        self.event_references: dict[str, tuple[str, frozenset[str]]] = {
            label: (ref["default"], frozenset(ref["antecedents"]))
            for label, ref in d.get("event_references", {}).items()
        }
        self.village_words = LabelMatcher(
            ("village", p) for p in d.get("context", {}).get("villages", [])
        )
        self.cumulative = LabelMatcher(("cumulative", p) for p in d["cumulative"]["cues"])
        self.war_wide = LabelMatcher(("war", p) for p in d["cumulative"].get("war_wide", []))
        hedges = d["hedges"]
        self.hedges = LabelMatcher(
            [("sentence", p) for p in hedges["sentence"]]
            + [("paragraph", p) for p in hedges["paragraph"]]
        )
        att = d["attribution"]
        # "a medical charity said", "the jihadist group said": an organisation described.
        self.organisation_nouns = frozenset(w.lower() for w in att.get("organisation_nouns", []))
        self.armed_descriptions = frozenset(w.lower() for w in att.get("armed_descriptions", []))
        # Words before whom a source spoke to ("told AFP", "aan persbureau AFP").
        self.addressees = frozenset(w.lower() for w in att.get("addressees", []))
        self.told_to = frozenset(w.lower() for w in att.get("told_to", []))
        self.place_owner = frozenset(w.lower() for w in att.get("place_owner", []))
        self.passive_auxiliaries = frozenset(w.lower() for w in att.get("passive_auxiliaries", []))
        self.attribution_before = LabelMatcher(("before", p) for p in att["before_source"])
        self.attribution_backward = (
            re.compile(
                r"[\s\"“‘']*(?:" + _alts(att.get("backward", [])) + r")(?!\w)", re.IGNORECASE
            )
            if att.get("backward")
            else None
        )
        self.attribution_after = LabelMatcher(("after", p) for p in att["after_source"])
        self.name_prefixes = LabelMatcher(("prefix", p) for p in att["name_prefixes"])
        self.person_titles = LabelMatcher(("title", p) for p in att.get("person_titles", []))
        self.incident_anaphora = LabelMatcher(
            ("incident", p) for p in d["places"].get("incident_anaphora", [])
        )
        self.definite_articles = frozenset(
            w.lower() for w in d["places"].get("definite_articles", [])
        )
        self.source_pronouns = LabelMatcher(("pronoun", p) for p in att.get("pronouns", []))
        self.generic_sources = LabelMatcher((v, k) for k, v in att["generic_sources"].items())
        st = d["status"]
        self.status = LabelMatcher(
            [("not_confirmed", p) for p in st["not_confirmed"]]
            + [("denied", p) for p in st["denied"]]
            + [("confirmed", p) for p in st["confirmed"]]
        )
        act = d["actors"]
        self.agent_prepositions = frozenset(w.lower() for w in act["agent_prepositions"])
        self.against = frozenset(w.lower() for w in act["against"])
        self.perpetrator_verbs = LabelMatcher(("verb", p) for p in act["perpetrator_verbs"])
        self.state_forces = LabelMatcher(("forces", p) for p in act.get("state_forces", []))
        self.opponent_cues = LabelMatcher(("against", p) for p in act.get("opponent_cues", []))
        self.state_forces_agents = frozenset(act.get("state_forces_agents", []))
        self.blame = LabelMatcher(
            [("claim", p) for p in act.get("claims", [])]
            + [("blame", p) for p in act.get("blames", [])]
        )
        pl = d["places"]
        # A place name follows within two words ("in het plaatsje Al Musayfrah").
        self.place_prepositions = LabelMatcher(
            (("prep", p) for p in pl["prepositions"]),
            lookahead=r"[ \t]+(?:[^\s]+[ \t]+){0,2}[A-ZÀ-ÖØ-Þ]",
        )
        self.place_relations = LabelMatcher((v, k) for k, v in pl["relations"].items())
        self.locality_words = LabelMatcher(("locality", p) for p in pl["locality_words"])
        self.region_words = LabelMatcher(("region", p) for p in pl["region_words"])
        # "the South Hospital", "Al-Shifa Hospital": a building, not a place.
        self.facility_words = frozenset(w.lower() for w in pl.get("facility_words", []))
        self.not_places = frozenset(w.lower() for w in pl.get("not_places", []))
        # "the city", "uit de stad": a place named before; "the capital" only one so called.
        self.place_anaphora = LabelMatcher(
            (label, phrase) for phrase, label in pl.get("anaphora", {}).items()
        )
        # Languages that write "stadsbestuur" for "the city council": any word after a kind
        # word but a function word continues the noun phrase.
        self.open_compounds = bool(pl.get("open_compounds", False))
        # "since", "a decade after", "sinds": a clause about an earlier happening.
        self.background_clauses = LabelMatcher(
            ("background", p) for p in pl.get("background_clauses", [])
        )
        # What a capital does when it names its government ("Islamabad ordered").
        self.government_acts = LabelMatcher(("act", p) for p in act.get("government_acts", []))
        self.dates: dict[str, Any] = d["dates"]
        # Words before or after a year that make it the start of a running total.
        self.year_since = frozenset(w.lower() for w in self.dates.get("since", []))
        self.year_begun = frozenset(w.lower() for w in self.dates.get("begun_after", []))

    def check(self) -> None:
        """Compile every matcher now (they compile on first use): a bad pattern in the file
        raises ``LexiconError`` here rather than in the middle of a batch."""
        for value in vars(self).values():
            if isinstance(value, LabelMatcher):
                value.compile()


def available_languages() -> list[str]:
    """Languages that have a lexicon file."""
    return list(_lexicon_files())


@cache
def _lexicon_files() -> tuple[str, ...]:
    files = resources.files("sitrep.lexicon")
    return tuple(sorted(p.name[:-5] for p in files.iterdir() if p.name.endswith(".toml")))


@cache
def calendar_words(lang: str) -> frozenset[str]:
    """Weekdays, months and month abbreviations of a language, lower case: words that are
    never a place or a source ("Nov.", "maandag")."""
    dates = load_lexicon(lang).dates
    return frozenset(
        w.lower()
        for w in [*dates["weekdays"], *dates["months"], *dates.get("month_abbreviations", {})]
    )


@cache
def load_lexicon(lang: str) -> Lexicon:
    """Load and compile the lexicon of ``lang`` (once per process)."""
    if lang not in available_languages():
        raise LexiconError(
            f"no lexicon for language {lang!r} (available: {', '.join(available_languages())})"
        )
    raw = resources.files("sitrep.lexicon").joinpath(f"{lang}.toml").read_text("utf-8")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"lexicon {lang}.toml: {exc}") from exc
    return Lexicon(lang=lang, name=data["meta"]["name"], data=data)
