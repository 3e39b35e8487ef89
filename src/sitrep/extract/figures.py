"""Bind number phrases to a casualty kind, a victim group and their qualifiers.

A number becomes a figure only when a casualty word binds it: a noun right after it
("twintig doden", "30 wounded"), a toll noun before it ("death toll rose to 45"), or the
nearest casualty verb of its clause ("killing 12", "zijn … om het leven gekomen"). Numbers
of things (aircraft, years, money, populations) never bind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sitrep.extract.numbers import NumberPhrase
from sitrep.extract.scan import Scan, opens_with_subcount
from sitrep.lexicon import Match
from sitrep.model import Sentence
from sitrep.resolve.countries import country_names, fold
from sitrep.resolve.dates import DateMention

MAX_VERB_DISTANCE = 15.0
MAX_SINGLE_DISTANCE = 6.0
_WORD = re.compile(r"[\w’'\-]+|[^\w\s]")
_YEAR = re.compile(r"(?:19|20)\d\d")
_VIOLENT = ("killed", "injured", "missing", "kidnapped", "arrested")


@dataclass
class Draft:
    """A figure before its event is known."""

    number: NumberPhrase
    sentence: Sentence
    kind: str
    group: str
    kind_cue: Match | None
    group_cue: Match | None
    part_of: Draft | None = None
    cumulative: Match | None = None
    hedge: Match | None = None
    source: tuple[str, int, int, bool] | None = None  # name, start, end, known
    cues: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def span(self) -> tuple[int, int]:
        return (self.number.start, self.number.end)

    @property
    def anchor(self) -> tuple[int, int]:
        """The figure's words: the number, and its casualty word when that is nearby."""
        if self.kind_cue:
            return (
                min(self.number.start, self.kind_cue.start),
                max(self.number.end, self.kind_cue.end),
            )
        return self.span


def _kind_of(label: str) -> tuple[str, str]:
    kind, _, role = label.partition(":")
    return kind, role


def _right_context(
    scan: Scan, n: NumberPhrase, s: Sentence
) -> tuple[Match | None, Match | None, bool]:
    """Group noun and casualty noun right after a number; and whether a thing follows."""
    lex, text = scan.lex, scan.doc.text
    if lex.stop_after.match(text, n.end):
        return None, None, True
    part = _PART_OF.match(text, n.end)
    if part and lex.stop_after.match(text, part.end() - 1):
        return None, None, True  # "one of the sources said", "drie van de kampen"
    pos = n.end
    group: Match | None = None
    demonym: Match | None = None
    unknown_skipped = False
    for _ in range(5):
        while pos < s.end and text[pos] in " \u00a0":
            pos += 1
        if pos >= s.end:
            break
        pred = lex.predicates.match_at(text, pos)
        # Right after the number a participle reads as a noun: "12 wounded people".
        if pred and (_kind_of(pred.label)[1] in ("noun", "weak", "toll") or " " not in pred.text):
            # "twintig doden", "30 wounded": a noun of a kind; it may name the group too.
            g = lex.groups.match_at(text, pos)
            own = g if g and g.end == pred.end else None
            return (group or own or demonym), pred, False
        g = lex.groups.match_at(text, pos)
        if g:
            group = g
            pos = g.end
            continue
        w = _WORD.match(text, pos)
        if not w:
            break
        word = w.group()
        if group is None and word.lower() in ("of", "van") and (n.vague or n.value >= 1000):
            pos = w.end()
            continue
        if word.lower() in lex.skippable:
            pos = w.end()
            continue
        if group is None and word[0].isupper() and "-" in word:
            # "84 Wagner-strijders", "twaalf IS-strijders": the compound's head is the group.
            head = lex.groups.match_at(text, w.start() + word.rindex("-") + 1)
            if head is not None and head.end == w.end():
                group = Match(head.label, w.start(), w.end(), word)
                pos = w.end()
                continue
        if word[0].isupper() and group is None and demonym is None:
            # "Syrische vluchtelingen" (an adjective) or "Syriërs" (people of a nation).
            demonym = Match("people", w.start(), w.end(), word)
            pos = w.end()
            continue
        if group is None and lex.stop_after.match(text, pos - 1 if pos > n.end else pos):
            return None, None, True
        if (
            group is None
            and not unknown_skipped
            and word[0].isalpha()
            and word.islower()
            and word not in lex.stopwords
        ):
            # "56 tribal fighters": one word the lexicon does not know before a group (not a
            # casualty word: "a man and wounded four").
            nxt = _NEXT_GROUP.match(text, w.end())
            if (
                nxt is not None
                and lex.groups.match_at(text, nxt.end()) is not None
                and lex.predicates.match_at(text, nxt.end()) is None
            ):
                unknown_skipped = True
                pos = nxt.end()
                continue
        if lex.stop_after_heads and word.lower().endswith(lex.stop_after_heads):
            return None, None, True  # "twee transportvliegtuigen", "drie legervoertuigen"
        break
    return group or demonym, None, False


_NEXT_GROUP = re.compile(r"[ \u00a0]+")
_PART_OF = re.compile(
    r"\s+(?:of|van)\s+(?:the|de|het|these|those|deze|die|its|their|zijn|hun)\s+", re.I
)


_NAME_AT_END = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'-]+\s*$")


def _is_not_a_count(scan: Scan, n: NumberPhrase, s: Sentence, has_group: bool) -> bool:
    lex, text = scan.lex, scan.doc.text
    before = _trim_left(text, n.start)
    # "Miguel Uribe (39)": an age in parentheses after a name.
    if (
        text[before - 1 : before] == "("
        and text[n.end : n.end + 1] == ")"
        and _NAME_AT_END.search(text[max(0, before - 40) : before - 1])
    ):
        return True
    # "a country of 38 million people": a population, whatever noun follows.
    population = lex.population_before.match_ending_at(text, before, window=40)
    if population and population.start >= s.start:
        return True
    stop = lex.stop_before.match_ending_at(text, before, window=25)
    num_text = text[n.num_start : n.end]
    year_like = bool(_YEAR.fullmatch(num_text)) and n.qualifier == "exact"
    if year_like and not has_group:
        return True
    # "in 2015", "€ 20", "aged 12": but "van 20 mensen" is a count, so before a counted
    # noun only money and years stop a number.
    if (
        stop
        and stop.start >= s.start
        and (not has_group or stop.text.strip() in ("€", "$", "£") or year_like)
        # "put the toll at 63": the word belongs to the casualty phrase
        and not any(p.start <= stop.start < p.end for p in scan.predicates.within(s.start, s.end))
    ):
        return True
    return any(d.start <= n.num_start < d.end for d in scan.dates.within(s.start, s.end))


def _trim_left(text: str, pos: int) -> int:
    while pos > 0 and text[pos - 1] == " ":
        pos -= 1
    return pos


def _nearest_predicate(
    scan: Scan, n_span: tuple[int, int], s: Sentence, preds: list[Match], limit: float
) -> Match | None:
    best: tuple[float, int, Match] | None = None
    for p in preds:
        _kind, role = _kind_of(p.label)
        if role == "weak":
            continue
        d = scan.distance(n_span, (p.start, p.end))
        if p.start <= n_span[0] < p.end:
            d = 0.0  # "kwamen twaalf mensen om": the number stands inside the verb
        # Before the number a verb reads as active ("killing 12"); ties go that way, unless a
        # conjunction starts the number's own clause ("een agent gedood en twee anderen verwond").
        side = 0 if p.end <= n_span[0] else 1
        if side == 0 and scan.lex.clause_joiners:
            between = scan.doc.text[p.end : n_span[0]].lower().split()
            if any(w in scan.lex.clause_joiners for w in between):
                d += 0.5
        if role == "toll" and p.end > n_span[0]:
            continue
        if d <= limit and (best is None or (d, side) < best[:2]):
            best = (d, side, p)
    return best[2] if best else None


_NAME_AFTER = re.compile(r"\s+([A-ZÀ-Þ][\w\-’']+(?: [A-Z][\w\-’']+)?)")


def _refine_displacement(scan: Scan, pred: Match, s: Sentence, after_number: int) -> str | None:
    """'vluchtten … naar Libanon': crossing a border makes refugees, not displaced people."""
    text, lex = scan.doc.text, scan.lex
    countries = country_names(lex.lang)
    direct = _NAME_AFTER.match(text[pred.end : s.end])
    if direct and (
        fold(direct.group(1)) in countries or fold(direct.group(1).split()[0]) in countries
    ):
        return "refugees"  # "fled Ukraine", "ontvluchtten Syrië": they left the country
    # The destination follows the verb ("fled to Chad") or, verb-final, stands between the
    # number and the verb ("300.000 van hen zijn naar buurland Syrië gevlucht").
    before = lex.refugee_destination.finditer(text, after_number, max(after_number, pred.start))
    after = lex.refugee_destination.finditer(text, pred.end, min(s.end, pred.end + 90))
    for cue in [*before, *after]:
        rest = text[cue.end : min(s.end, cue.end + 40)].strip()
        if not rest:
            continue
        if not rest[0].isupper():
            if cue.text.lower() not in ("naar", "to", "into", "across"):
                return "refugees"  # "naar het buitenland", "abroad"
            continue
        if cue.text.lower() == "across":
            continue  # "displaced across Congo": throughout the country, not over its border
        name = re.match(r"[\w\-’']+(?: [A-Z][\w\-’']+)?", rest)
        # "fled into Ethiopia's Gambella region": the country, whose region it is.
        first = re.sub(r"['’]s$", "", name.group().split()[0]) if name else ""
        if name and (fold(name.group()) in countries or fold(first) in countries):
            return "refugees"
    return None


def bind_figures(scan: Scan) -> list[Draft]:
    """Every figure of the document, with its kind, group and part-of link."""
    drafts: list[Draft] = []
    lex = scan.lex
    if not _reports_conflict(scan, 0, len(scan.doc.text), strict=True) or _is_history(scan):
        return []
    for s in scan.doc.sentences:
        if s.boilerplate:
            continue
        preds = scan.predicates.within(s.start, s.end)
        if not preds and not _continues_count(scan, s, drafts):
            continue
        if not _reports_conflict(scan, s.start, s.end, strict=False):
            continue
        if _names_old_year(scan, s):
            continue
        numbers = list(scan.numbers.within(s.start, s.end))
        numbers += _single_persons(scan, s, numbers)
        numbers.sort(key=lambda x: x.start)
        sentence_drafts: list[Draft] = []
        for n in numbers:
            group, noun, is_thing = _right_context(scan, n, s)
            if n.single and group is None:
                # "a police officer", "een 17-jarige jongen": the noun is inside the phrase.
                inside = scan.groups.within(n.start, n.end)
                group = inside[-1] if inside else None
            if is_thing or _is_not_a_count(scan, n, s, group is not None or noun is not None):
                continue
            sub_cue = _subcount_cue(scan, n, s)
            kind_cue: Match | None = noun
            # "vluchtelingen … terug naar Syrië": what refugees do decides their kind.
            overridable = (
                kind_cue is None
                or _kind_of(kind_cue.label)[1] == "weak"
                or (_kind_of(kind_cue.label)[0] in ("refugees", "displaced"))
            )
            if overridable:
                limit = MAX_SINGLE_DISTANCE if n.single else MAX_VERB_DISTANCE
                candidates = (
                    preds
                    if kind_cue is None
                    else [p for p in preds if _kind_of(p.label)[0] != _kind_of(kind_cue.label)[0]]
                )
                if kind_cue is not None and _kind_of(kind_cue.label)[0] in _FLIGHT:
                    # "80 killed and more than 32,000 displaced": a verb another count stands
                    # nearer to is that count's ("200 ontheemden ontvoerd" is not).
                    candidates = [
                        p
                        for p in candidates
                        if _kind_of(p.label)[0] in _FLIGHT or not _nearer_count(scan, n, p, numbers)
                    ]
                verb = _nearest_predicate(scan, (n.start, n.end), s, candidates, limit)
                if verb is not None and not (
                    kind_cue is not None and _kind_of(verb.label)[0] in ("displaced", "refugees")
                ):
                    kind_cue = verb
            if kind_cue is None and group is not None and group.label == "refugees":
                kind_cue = Match("refugees:noun", group.start, group.end, group.text)
            if kind_cue is None and sub_cue is None:
                continue
            if (
                n.single
                and sub_cue is None
                and (kind_cue is None or not _owns(scan, n, kind_cue, numbers))
            ):
                continue
            kind = _kind_of(kind_cue.label)[0] if kind_cue else ""
            if kind == "displaced" and kind_cue is not None:
                kind = _refine_displacement(scan, kind_cue, s, n.end) or kind
            required = lex.requires_group.get(kind)
            if required and (group is None or group.label not in required):
                continue
            group_label = group.label if group else "people"
            d = Draft(n, s, kind, group_label, kind_cue, group)
            if sub_cue is not None:
                # "onder de gewonden zijn drie kinderen": the cue may name the kind itself.
                cue_kind = next(
                    (
                        _kind_of(p.label)[0]
                        for p in preds
                        if sub_cue.start <= p.start and p.end <= sub_cue.end
                    ),
                    None,
                )
                opens = scan.tokens_between(s.start, sub_cue.start) == 0
                head = _head_for(sentence_drafts, drafts, s, cue_kind, opens_paragraph=opens)
                if head is not None:
                    d.part_of = head
                    # "300.000 van hen zijn naar buurland Tsjaad gevlucht": part of the
                    # displaced, and refugees by its own verb.
                    flight = kind_cue is not None and {kind, head.kind} <= _FLIGHT
                    d.kind = cue_kind or (kind if flight else head.kind)
                    d.group = group_label if group else head.group if n.single else group_label
                    d.cues["part_of"] = (sub_cue.start, sub_cue.end)
            if not d.kind:
                continue
            sentence_drafts.append(d)
        drafts.extend(sentence_drafts)
    _attach_context(scan, drafts)
    return drafts


_FLIGHT = frozenset({"displaced", "refugees", "returned", "evacuated"})
_STRONG_EVENTS = frozenset(
    {"airstrike", "drone_strike", "shelling", "suicide_attack", "clashes", "massacre"}
)


def _reports_conflict(scan: Scan, start: int, end: int, *, strict: bool) -> bool:
    """Whether a span speaks of armed conflict rather than an accident or a disaster.

    A document needs some sign of conflict (an act of war, a named armed actor, a word of
    conflict) and more of it than of disaster; a sentence that names a disaster and no
    conflict is left out too (``strict=False`` accepts a sentence with neither).
    """
    strong = sum(t.label in _STRONG_EVENTS for t in scan.triggers.within(start, end))
    strong += sum(
        1
        for a in scan.actors.within(start, end)
        if not a.best(source=False).is_source and a.best(source=False).type != "state"
    )
    words = len(scan.conflict_words.within(start, end))
    other = len(scan.non_conflict_words.within(start, end))
    if strict:
        return (strong + words) > 0 and (strong * 2 + words) > other
    return other == 0 or (strong + words) > 0


def _is_history(scan: Scan) -> bool:
    """An anniversary piece: its lead (first two sentences) speaks of the past."""
    sents = [x for x in scan.doc.sentences if not x.boilerplate][:2]
    if not sents:
        return False
    return any(
        True
        for _ in scan.lex.historical_words.finditer(scan.doc.text, sents[0].start, sents[-1].end)
    )


_YEAR_NUMBER = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def _names_old_year(scan: Scan, s: Sentence) -> bool:
    """A sentence about a year long before the report ("in 1944", "op 18 juni 1815");
    "since 2009", "the insurgency that began in 2009", "de oorlog, die in 2014 begon" start
    a running total and do not count."""
    pub = scan.doc.report.published
    limit = (pub.year if pub else 2000) - 10
    since, begun = scan.lex.year_since, scan.lex.year_begun
    text = scan.doc.text
    numbers = scan.numbers.within(s.start, s.end)
    for m in _YEAR_NUMBER.finditer(text[s.start : s.end]):
        if int(m.group(1)) >= limit or _counts_people(scan, numbers, s.start + m.start()):
            continue
        at, to = s.start + m.start(), s.start + m.end()
        before = text[max(s.start, at - 30) : at].lower().split()
        after = [w.strip(",;") for w in text[to : min(s.end, to + 20)].lower().split()[:2]]
        if not any(w in since for w in before[-4:]) and not any(w in begun for w in after):
            return True
    return False


def _counts_people(scan: Scan, numbers: list[NumberPhrase], pos: int) -> bool:
    """'zeker 1617 mensen', 'ruim 1800 burgers': a qualified number, or one right before a
    group of people, is a count and no year."""
    phrase = next((n for n in numbers if n.num_start <= pos < n.end), None)
    if phrase is None:
        return False
    if phrase.qualifier != "exact":
        return True
    group = scan.groups.within(phrase.end, phrase.end + 40)
    return bool(group) and scan.tokens_between(phrase.end, group[0].start) == 0


def _single_persons(scan: Scan, s: Sentence, numbers: list[NumberPhrase]) -> list[NumberPhrase]:
    """'een herder', 'a lieutenant': one person, as a number phrase of value 1."""
    out: list[NumberPhrase] = []
    text, lex = scan.doc.text, scan.lex
    taken = [(n.start, n.end) for n in numbers]
    for g in scan.groups.within(s.start, s.end):
        window_start = max(s.start, g.start - 30)
        art = lex.single_before.search(text, window_start, g.start)
        if not art or (art.start() > 0 and text[art.start() - 1] in "'’"):
            continue  # "the Far'a refugee camp": no article
        start = art.start()
        if any(a <= start < b for a, b in taken):
            continue
        out.append(
            NumberPhrase(
                start, g.end, start, text[start : g.end], 1.0, 1, None, None, "exact", single=True
            )
        )
    return out


def _owns(scan: Scan, n: NumberPhrase, pred: Match, numbers: list[NumberPhrase]) -> bool:
    """A single person binds a verb only when no other number is closer to it, or when it
    is coordinated with that number ("20 soldiers and a civilian were killed", "zeker 61
    scholieren en een leraar ontvoerd")."""
    text = scan.doc.text
    for o in numbers:
        if o is not n and not o.single and o.end <= n.start:
            between = text[o.end : n.start].split()
            if 1 <= len(between) <= 3 and between[-1].lower() in scan.lex.clause_joiners:
                return True
    mine = scan.distance((n.start, n.end), (pred.start, pred.end))
    return all(
        scan.distance((o.start, o.end), (pred.start, pred.end)) > mine
        for o in numbers
        if o is not n and not o.single
    )


def _nearer_count(scan: Scan, n: NumberPhrase, pred: Match, numbers: list[NumberPhrase]) -> bool:
    """Whether another count stands nearer to ``pred`` than ``n`` does, or the verb ends
    a clause before ``n`` ("killed and more than 32,000 displaced")."""
    if pred.end <= n.start:
        between = scan.doc.text[pred.end : n.start].lower().split()
        if any(w.strip(",") in scan.lex.clause_joiners for w in between):
            return True
    mine = scan.distance((n.start, n.end), (pred.start, pred.end))
    return any(
        scan.distance((o.start, o.end), (pred.start, pred.end)) < mine
        for o in numbers
        if o is not n and not o.single
    )


def _continues_count(scan: Scan, s: Sentence, drafts: list[Draft]) -> bool:
    """'… zeker 40 mensen om. Onder hen zijn zeventien kinderen.': a sentence that opens with
    a sub-count cue continues the count of its paragraph, with no casualty word of its own."""
    return opens_with_subcount(scan.lex, scan.doc.text, s) and any(
        d.sentence.paragraph == s.paragraph for d in drafts
    )


_NEXT_WORD = re.compile(r"\s+\w+")


def _subcount_cue(scan: Scan, n: NumberPhrase, s: Sentence) -> Match | None:
    text = scan.doc.text
    for cue in scan.subcounts.within(s.start, n.start):
        if scan.tokens_between(cue.end, n.start) <= 2:
            return cue
    m = scan.lex.subcount_after.match(text, n.end)
    if m:
        return Match("sub", m.start(), m.end(), m.group())
    # "18 of them in Misraba": the cue may follow the group noun.
    after = _NEXT_WORD.match(text[n.end : s.end])
    if after:
        m = scan.lex.subcount_after.match(text, n.end + after.end())
        if m:
            return Match("sub", m.start(), m.end(), m.group())
    return None


def _head_for(
    sentence_drafts: list[Draft],
    drafts: list[Draft],
    s: Sentence,
    kind: str | None,
    *,
    opens_paragraph: bool = False,
) -> Draft | None:
    """The total a sub-count belongs to: the latest one of its kind, in its sentence first,
    then in its paragraph. A cue that opens a paragraph's first sentence ("Among the dead
    are …") looks back at the paragraph before."""
    pools = [sentence_drafts, [d for d in drafts if d.sentence.paragraph == s.paragraph]]
    if opens_paragraph and not pools[1]:
        pools.append([d for d in drafts if d.sentence.paragraph == s.paragraph - 1])
    for pool in pools:
        heads = [d for d in pool if d.part_of is None]
        if kind:
            same = [d for d in heads if d.kind == kind]
            if same:
                return same[-1]
        if heads and not kind:
            return heads[-1]
        if heads and pool is sentence_drafts:
            return heads[-1]
    return None


# -- context: running totals, hedges, sources -------------------------------------------------


def _attach_context(scan: Scan, drafts: list[Draft]) -> None:
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    paragraph_hedges: dict[int, Match] = {}
    for h in scan.hedges:
        if h.label == "paragraph":
            para = scan.sentence_of(h.start).paragraph
            paragraph_hedges.setdefault(para, h)
    for idx, ds in by_sentence.items():
        s = scan.doc.sentences[idx]
        heads = [d for d in ds if d.part_of is None]
        cues = list(scan.cumulative.within(s.start, s.end))
        dates = scan.dates.within(s.start, s.end)
        # A day right after a period word anchors the period ("sinds de val van het regime
        # op 8 december"); only other days tie a figure to one incident.
        days = [
            m
            for m in dates
            if not m.is_period
            and m.precision == "day"
            and not any(c.end <= m.start and scan.tokens_between(c.end, m.start) <= 8 for c in cues)
            and not _report_day(scan, m)
        ]
        # A count over a month or a year ("vorig jaar", "last month") is a total.
        cues += [
            Match("cumulative", m.start, m.end, m.text)
            for m in dates
            if m.is_period or m.kind in ("month", "year")
        ]
        for cue in cues:
            for d in _cumulative_heads(scan, cue, heads, days):
                d.cumulative = d.cumulative or cue
        for d in heads:
            # People displaced or abroad are counted as a stock unless one day is named.
            if d.kind in ("displaced", "refugees") and not d.cumulative and not days:
                d.cumulative = Match("cumulative", d.number.start, d.number.end, "")
        hedges = [h for h in scan.hedges.within(s.start, s.end) if h.label == "sentence"]
        for d in ds:
            if hedges:
                d.hedge = min(hedges, key=lambda h: scan.distance(d.anchor, (h.start, h.end)))
            elif s.paragraph in paragraph_hedges:
                d.hedge = paragraph_hedges[s.paragraph]
    from sitrep.extract.attribution import attribute

    attribute(scan, drafts)
    for d in drafts:
        if d.part_of is not None:
            head = d.part_of
            d.cumulative = d.cumulative or head.cumulative
            d.hedge = d.hedge or head.hedge
            if d.source is None and head.source is not None:
                d.source = head.source
                if "source" in head.cues:
                    d.cues["source"] = head.cues["source"]


def _report_day(scan: Scan, m: DateMention) -> bool:
    """'IOM said on Saturday that …', 'zei zaterdag dat …': the day the source spoke, not
    a day the figure is tied to."""
    cues = [
        *scan.attr_after.within(m.start - 20, m.start),
        *scan.attr_before.within(m.start - 20, m.start),
    ]
    return any(c.end <= m.start and scan.tokens_between(c.end, m.start) <= 1 for c in cues)


def _cumulative_heads(scan: Scan, cue: Match, heads: list[Draft], days: list) -> list[Draft]:
    """Totals a period word speaks of: every figure of its sentence, except one tied more
    closely to a single day ("20 were killed on Monday, bringing the total since March…")."""
    out = []
    for d in heads:
        to_cue = scan.distance(d.anchor, (cue.start, cue.end))
        if any(scan.distance(d.anchor, (m.start, m.end)) < to_cue for m in days):
            continue
        out.append(d)
    return out


__all__ = ["Draft", "bind_figures"]
