"""One pass over a document per category of mention, kept sorted for range look-ups.

Every later step asks the scan "what lies in this sentence" or "how far apart are these
two spans", never re-reads the text with a pattern of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from sitrep.extract.numbers import NumberPhrase, parser_for
from sitrep.extract.places import PlaceMention, find_places, resolve_places
from sitrep.lexicon import Lexicon, Match, calendar_words, load_lexicon
from sitrep.model import Document, Sentence
from sitrep.resolve.actors import ActorMention, actor_index
from sitrep.resolve.dates import DateMention, date_finder

# A word, or one punctuation mark (group 1: so a token says which it is without a look).
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*|([^\w\s])")


class _Spanned(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=_Spanned)


class Spans(Generic[T]):
    """Mentions sorted by start, with range queries."""

    def __init__(self, items: list[T]) -> None:
        self.items = sorted(items, key=lambda x: (x.start, -x.end))
        self._starts = [x.start for x in self.items]

    def within(self, start: int, end: int) -> list[T]:
        starts = self._starts
        lo = bisect_left(starts, start)
        hi = bisect_left(starts, end, lo)
        if lo == hi:  # most look-ups find nothing: skip the slice
            return []
        return [x for x in self.items[lo:hi] if x.end <= end]

    def before(self, pos: int, floor: int = 0) -> list[T]:
        """Mentions that end at or before ``pos`` and start at or after ``floor``."""
        starts = self._starts
        lo = bisect_left(starts, floor)
        hi = bisect_right(starts, pos, lo)
        if lo == hi:
            return []
        return [x for x in self.items[lo:hi] if x.end <= pos]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass
class Scan:
    doc: Document
    lex: Lexicon
    numbers: Spans[NumberPhrase]
    predicates: Spans[Match]
    groups: Spans[Match]
    triggers: Spans[Match] = field(default_factory=lambda: Spans([]))
    cumulative: Spans[Match] = field(default_factory=lambda: Spans([]))
    hedges: Spans[Match] = field(default_factory=lambda: Spans([]))
    attr_before: Spans[Match] = field(default_factory=lambda: Spans([]))
    attr_after: Spans[Match] = field(default_factory=lambda: Spans([]))
    status: Spans[Match] = field(default_factory=lambda: Spans([]))
    subcounts: Spans[Match] = field(default_factory=lambda: Spans([]))
    actors: Spans[ActorMention] = field(default_factory=lambda: Spans([]))
    dates: Spans[DateMention] = field(default_factory=lambda: Spans([]))
    places: Spans[PlaceMention] = field(default_factory=lambda: Spans([]))
    conflict_words: Spans[Match] = field(default_factory=lambda: Spans([]))
    non_conflict_words: Spans[Match] = field(default_factory=lambda: Spans([]))
    token_starts: list[int] = field(default_factory=list)
    punct: dict[int, str] = field(default_factory=dict)
    place_ranges: list[tuple[int, int]] = field(default_factory=list)
    # Facts about the whole report that several steps ask for, computed once.
    memo: dict[str, object] = field(default_factory=dict)

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        """The places of a span, found now if the scan left the span out (a sentence with
        no number that still says where an act happened)."""
        found = self.places.within(start, end)
        if found or any(a <= start and end <= b for a, b in self.place_ranges):
            return found
        places = find_places(self.doc.text, self.lex, _not_a_place(self.lex), start, end)
        resolve_places(places, self.lex.lang, self.doc.text)
        return places

    def sentence_of(self, pos: int) -> Sentence:
        sents = self.doc.sentences
        lo, hi = 0, len(sents) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if sents[mid].start <= pos:
                lo = mid
            else:
                hi = mid - 1
        return sents[lo]

    def distance(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        """Words between two spans, commas counting double and ';' or ':' as a wall."""
        if a[0] > b[0]:
            a, b = b, a
        left, right = a[1], b[0]
        if right <= left:
            return 0.0
        lo = bisect_left(self.token_starts, left)
        hi = bisect_left(self.token_starts, right)
        cost = 0.0
        for i in range(lo, hi):
            p = self.punct.get(self.token_starts[i])
            if p is None:
                cost += 1
            elif p == ",":
                cost += 2.5
            elif p in ";:":
                cost += 50
            elif p in "()":
                cost += 0.5
            else:
                cost += 1
        return cost

    def tokens_between(self, left: int, right: int) -> int:
        return bisect_left(self.token_starts, right) - bisect_left(self.token_starts, left)


_POSSESSIVE_END = re.compile(r"['’]s$")


def _not_a_place(lex: Lexicon) -> Callable[[str], bool]:
    """Whether a name is no place (a day, a listed word, an actor), remembered per name:
    a document asks about the same names again and again. Make one per document."""
    index = actor_index(lex.lang)
    calendar = calendar_words(lex.lang)
    answers: dict[str, bool] = {}

    def rejects(name: str) -> bool:
        first = name.split()[0].lower().rstrip(".")
        if first in calendar or name.lower() in calendar or name.lower() in lex.not_places:
            return True
        name = _POSSESSIVE_END.sub("", name)  # "Boko Haram's insurgency"
        hit = index.lookup(name, source=False)
        # Country names are places too; demonyms, groups and people are not.
        return hit is not None and not (
            hit.type in ("state", "external") and name in index.country_names
        )

    def reject(name: str) -> bool:
        answer = answers.get(name)
        if answer is None:
            answer = answers[name] = rejects(name)
        return answer

    return reject


def _relevant_ranges(doc: Document, held: list[Sentence]) -> list[tuple[int, int]]:
    """Paragraphs worth a full scan: those with a candidate figure, and the lead paragraph
    that sets the scene (act, day, place) for the rest."""
    keep = {0} if doc.paragraphs else set()
    keep.update(s.paragraph for s in held)
    ranges: list[tuple[int, int]] = []
    for i in sorted(keep):
        a, b = doc.paragraphs[i]
        if ranges and ranges[-1][1] >= a - 2:
            ranges[-1] = (ranges[-1][0], b)
        else:
            ranges.append((a, b))
    return ranges


def _place_ranges(doc: Document, numbers: Spans[NumberPhrase]) -> list[tuple[int, int]]:
    """Where an event can take its place from: a paragraph up to its last sentence with a
    number, and the whole lead paragraph."""
    para_starts = [a for a, _ in doc.paragraphs]
    # Sentences follow each other without overlap: the one that holds a position is the
    # last one to start at or before it, if it has not ended.
    sent_starts = [s.start for s in doc.sentences]
    last: dict[int, int] = {}
    for n in numbers:
        p = max(0, bisect_right(para_starts, n.start) - 1)
        i = bisect_right(sent_starts, n.start) - 1
        s_end = doc.sentences[i].end if i >= 0 and n.start < doc.sentences[i].end else n.end
        last[p] = max(last.get(p, 0), s_end)
    if doc.paragraphs:
        last[0] = doc.paragraphs[0][1]
    return [(doc.paragraphs[p][0], end) for p, end in sorted(last.items())]


def _scan(matcher, text: str, ranges: list[tuple[int, int]]) -> list:
    out: list = []
    for a, b in ranges:
        out.extend(matcher.finditer(text, a, b))
    return out


def _resolve_references(triggers: list[Match], lex: Lexicon) -> list[Match]:
    """A trigger that refers back ("the strike") takes the label of the first act of a kind
    it may stand for told before it ("a drone strike": the story's act, which later
    paragraphs return to), or its lexicon default."""
    if not lex.event_references:
        return triggers
    out: list[Match] = []
    for t in triggers:
        reference = lex.event_references.get(t.label)
        if reference is not None:
            default, antecedents = reference
            before = next((o.label for o in out if o.label in antecedents), default)
            t = Match(before, t.start, t.end, t.text)
        out.append(t)
    return out


def _inside_a_name(p: PlaceMention, actors: list[ActorMention]) -> bool:
    """'the Armed Conflict Location & Event Data Project': a part of a longer actor's name
    that the gazetteer does not know is no place."""
    return any(
        a.start <= p.name_start
        and p.name_end <= a.end
        and a.end - a.start > p.name_end - p.name_start
        for a in actors
    )


def opens_with_subcount(lex: Lexicon, text: str, s: Sentence) -> bool:
    """Whether a sentence opens with a sub-count cue ("Onder hen zijn …", "Among them …")."""
    return lex.subcount_cues.match_at(text, s.start) is not None


def _continues_candidate(doc: Document, s: Sentence, pred_starts: list[int], lex: Lexicon) -> bool:
    """'… kwamen 40 mensen om. Onder hen zijn zeventien kinderen.': a sentence that opens
    with a sub-count cue after a sentence with a casualty word of its paragraph."""
    if s.index == 0 or not opens_with_subcount(lex, doc.text, s):
        return False
    before = doc.sentences[s.index - 1]
    return before.paragraph == s.paragraph and bisect_left(pred_starts, before.start) < bisect_left(
        pred_starts, before.end
    )


def scan_document(doc: Document) -> Scan | None:
    """All mentions of a document, or None when no sentence can hold a figure.

    Casualty words are looked for everywhere; everything else only in the paragraphs that
    have one and in the lead, so long texts with one relevant paragraph stay cheap.
    """
    lex = load_lexicon(doc.report.lang or "en")
    text = doc.text
    predicates = Spans(list(lex.predicates.finditer(text)))
    if not len(predicates):
        return None
    parser = parser_for(lex.lang)
    # Only a sentence with a casualty word can hold a figure: parse numbers and victim
    # groups there alone, then scan the rest only around sentences that hold a candidate.
    pred_starts = [p.start for p in predicates]
    candidates = [
        s
        for s in doc.sentences
        if bisect_left(pred_starts, s.start) < bisect_left(pred_starts, s.end)
        or _continues_candidate(doc, s, pred_starts, lex)
    ]
    numbers = Spans([n for s in candidates for n in parser.find(text, s.start, s.end)])
    groups = Spans([g for s in candidates for g in lex.groups.finditer(text, s.start, s.end)])
    singles = [
        g
        for g in groups
        if text[max(0, g.start - 5) : g.start].strip().lower() in lex.single_articles
    ]
    if not len(numbers) and not singles:
        return None
    held = [s for s in candidates if numbers.within(s.start, s.end)] + [
        scan_s
        for scan_s in candidates
        if any(scan_s.start <= g.start < scan_s.end for g in singles)
    ]
    ranges = _relevant_ranges(doc, held)
    token_starts: list[int] = []
    punct: dict[int, str] = {}
    for a, b in ranges:
        tokens = list(_TOKEN.finditer(text, a, b))
        token_starts += [m.start() for m in tokens]
        punct.update({m.start(): m.group() for m in tokens if m.lastindex})
    lang = lex.lang
    actors = actor_index(lang)
    finder = date_finder(lang)
    not_a_place = _not_a_place(lex)
    # Bare gazetteer names are looked for in the sentences with a number and in the lead.
    gaz_spans: list[tuple[int, int]] = []
    for s in doc.sentences:
        if s.paragraph == 0 or numbers.within(s.start, s.end):
            if gaz_spans and s.start - gaz_spans[-1][1] <= 2:  # one look-up per run
                gaz_spans[-1] = (gaz_spans[-1][0], s.end)
            else:
                gaz_spans.append((s.start, s.end))
    place_ranges = _place_ranges(doc, numbers)
    actor_mentions = [m for a, b in ranges for m in actors.find(text, a, b)]
    places = [
        p for a, b in place_ranges for p in find_places(text, lex, not_a_place, a, b, gaz_spans)
    ]
    resolve_places(places, lang, text)
    places = [p for p in places if p.resolved is not None or not _inside_a_name(p, actor_mentions)]
    return Scan(
        doc=doc,
        lex=lex,
        numbers=numbers,
        predicates=predicates,
        groups=groups,
        triggers=Spans(_resolve_references(_scan(lex.events, text, ranges), lex)),
        cumulative=Spans(_scan(lex.cumulative, text, ranges)),
        hedges=Spans(_scan(lex.hedges, text, ranges)),
        attr_before=Spans(_scan(lex.attribution_before, text, ranges)),
        attr_after=Spans(_scan(lex.attribution_after, text, ranges)),
        status=Spans(_scan(lex.status, text, ranges)),
        subcounts=Spans(_scan(lex.subcount_cues, text, ranges)),
        actors=Spans(actor_mentions),
        dates=Spans([m for a, b in ranges for m in finder.find(text, doc.report.published, a, b)]),
        places=Spans(places),
        place_ranges=place_ranges,
        conflict_words=Spans(_scan(lex.conflict_words, text, ranges)),
        non_conflict_words=Spans(_scan(lex.non_conflict_words, text, ranges)),
        token_starts=token_starts,
        punct=punct,
    )
