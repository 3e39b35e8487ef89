"""Group figures into events and give each its type, date, place, actors and status.

Context flows the way a report is written: what a sentence leaves out (the attack, the day,
the place, the attacker) comes from the sentences before it in the same paragraph, then from
the article's lead. Running totals take no attacker or day from context: they span many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitrep.extract.attribution import NATIONAL_BODIES, ministry_parts
from sitrep.extract.figures import Draft
from sitrep.extract.places import PlaceMention, containers
from sitrep.extract.scan import Scan
from sitrep.lexicon import Lexicon, Match
from sitrep.model import (
    Actor,
    Actors,
    DatePrecision,
    Event,
    EventDate,
    EventStatus,
    Evidence,
    Figure,
    Place,
    Sentence,
    Source,
    Span,
)
from sitrep.resolve.actors import ActorEntry, ActorMention
from sitrep.resolve.dates import DateMention

# ACLED's event types and sub-event types, with Displacement added for flight and return.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "drone_strike": ("Explosions/Remote violence", "Air/drone strike"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "suicide_attack": ("Explosions/Remote violence", "Suicide bomb"),
    "clashes": ("Battles", "Armed clash"),
    "shooting": ("Violence against civilians", "Attack"),
    "massacre": ("Violence against civilians", "Attack"),
    "displacement": ("Displacement", "Displacement"),
    "refugee_return": ("Displacement", "Return"),
    "troop_withdrawal": ("Strategic developments", "Troop withdrawal"),
}
KIND_EVENTS = {
    "displaced": "displacement",
    "refugees": "displacement",
    "evacuated": "displacement",
    "returned": "refugee_return",
    "withdrawn": "troop_withdrawal",
}
VIOLENT_EVENTS = frozenset(
    {
        "airstrike",
        "drone_strike",
        "shelling",
        "bombing",
        "suicide_attack",
        "clashes",
        "shooting",
        "massacre",
        "other",
    }
)
# Where a sentence names several acts, the more specific one tells what happened.
SPECIFICITY = [
    "suicide_attack",
    "drone_strike",
    "massacre",
    "bombing",
    "airstrike",
    "shelling",
    "shooting",
    "clashes",
    "other",
]
_SPECIFICITY_RANK = {label: i for i, label in enumerate(SPECIFICITY)} | {
    label: len(SPECIFICITY) for label in KIND_EVENTS.values()
}
CIVILIAN_GROUPS = frozenset(
    {
        "civilians",
        "children",
        "women",
        "refugees",
        "journalists",
        "aid workers",
        "medical workers",
        "students",
        "farmers",
        "workers",
        "worshippers",
        "migrants",
    }
)


@dataclass
class _Context:
    trigger: Match | None = None
    perpetrator: ActorMention | None = None
    date: DateMention | None = None
    place: Place | None = None  # the lead's region: where a running total is placed
    spot: Place | None = None  # the lead's most specific place: where its incident happened


def _pick_trigger(scan: Scan, d: Draft, triggers: list[Match]) -> Match | None:
    violent = d.kind in ("killed", "injured", "missing", "kidnapped", "arrested")
    usable = [t for t in triggers if (t.label in VIOLENT_EVENTS) == violent]
    if not usable:
        return None
    # At equal distance the more specific act wins ("Gunmen hacked to death …").
    nearest = min(
        usable,
        key=lambda t: (scan.distance(d.anchor, (t.start, t.end)), _SPECIFICITY_RANK[t.label]),
    )
    specific = [t for t in usable if t.label != "other"]
    if nearest.label == "other" and specific:
        # "A car bomb exploded …, killing nine, in an attack claimed by …": the act the
        # sentence names beats the generic "attack" that happens to stand nearer.
        nearest = min(specific, key=lambda t: scan.distance(d.anchor, (t.start, t.end)))
    for label in SPECIFICITY[:2]:  # a suicide bomber or a drone anywhere in the sentence
        special = [t for t in usable if t.label == label]
        if special and nearest.label in ("bombing", "airstrike", "other", "shelling"):
            return special[0]
    return nearest


def _perpetrator_near(
    scan: Scan, trigger: Match | None, d: Draft, s_start: int, s_end: int
) -> ActorMention | None:
    """The party named with the act: 'Russische bombardementen', 'killed by Boko Haram',
    'Islamic State fighters killed'."""
    text, lex = scan.doc.text, scan.lex
    parties = [
        a
        for a in scan.actors.within(s_start, s_end)
        if not a.best(source=False).is_source
        and not _describes_victims(scan, d, a)
        and not _describes_place(scan, a)
    ]
    if not parties:
        return None
    anchors = [d.anchor] + ([(trigger.start, trigger.end)] if trigger else [])
    # Any other act of the sentence: "a car bomb exploded …, in an attack claimed by X".
    anchors += [
        (t.start, t.end)
        for t in scan.triggers.within(s_start, s_end)
        if t.label in VIOLENT_EVENTS and t is not trigger
    ]
    # "Rusland heeft Oekraïne maandag bestookt", "Russia has struck Ukraine": the party
    # before the auxiliary is the subject, whatever stands nearer the verb.
    for a in parties:
        subject = _opens_clause(text, s_start, a.start) and _AUXILIARY.match(text, a.end)
        if subject and a.end <= d.number.start:
            return a
    for a in parties:
        for lo, hi in anchors:
            # An adjective or name right before the act or the verb: "Israeli strikes".
            if a.end <= lo and scan.tokens_between(a.end, lo) <= 2:
                return a
            # "door Russische vliegtuigen", "by Islamic State militants" after the act.
            if a.start >= hi and scan.tokens_between(hi, a.start) <= 5:
                between = text[hi : a.start].lower().split()
                if any(w in lex.agent_prepositions for w in between):
                    return a
    subject = _subject_of_act(scan, parties, s_start, s_end)
    if subject is not None:
        return subject
    # Any act of the sentence with a party right before it: "bij een Russische aanval met
    # geleide bommen" (the act nearest the figure may be the weapon).
    for t in scan.triggers.within(s_start, s_end):
        if t.label not in VIOLENT_EVENTS:
            continue
        for a in parties:
            if a.end <= t.start and scan.tokens_between(a.end, t.start) <= 2:
                return a
    before = [a for a in parties if a.end <= d.anchor[0] and not _after_against(scan, a)]
    # Forces of a state opening the sentence: "Israëlische militairen hebben … opgepakt".
    for a in before:
        if a.best(source=False).type in ("state", "external") and _names_forces(scan, a):
            return a
    # An armed group named before the figure ("Boko Haram fighters rounded up and executed
    # 40 farmers"): non-state armed groups are the attackers in the sentences they open.
    groups = {
        a.best(source=False).name: a
        for a in before
        if a.best(source=False).type not in ("state", "external")
    }
    if len(groups) == 1:
        return next(iter(groups.values()))
    return None


def _perpetrator_after(scan: Scan, s: Sentence, figure_sentences: set[int]) -> ActorMention | None:
    """'… zijn 31 Palestijnen doodgeschoten. Israëlische militairen zouden het vuur hebben
    geopend': the next sentence of the paragraph, with no figure of its own, says who did it."""
    sents = scan.doc.sentences
    nxt = sents[s.index + 1] if s.index + 1 < len(sents) else None
    if nxt is None or nxt.paragraph != s.paragraph or nxt.index in figure_sentences:
        return None
    parties = [
        a
        for a in scan.actors.within(nxt.start, nxt.end)
        if not a.best(source=False).is_source and not _after_against(scan, a)
    ]
    return _subject_of_act(scan, parties, nxt.start, nxt.end)


def _subject_of_act(
    scan: Scan, parties: list[ActorMention], start: int, end: int
) -> ActorMention | None:
    """The party a few words before a verb of attack in ``start:end`` ("Boko Haram fighters
    stormed", "Israëlische militairen zouden het vuur hebben geopend")."""
    for v in scan.lex.perpetrator_verbs.finditer(scan.doc.text, start, end):
        for a in parties:
            if a.end <= v.start and scan.tokens_between(a.end, v.start) <= 3:
                return a
    return None


_VICTIMS_OF = re.compile(r"\s+(?:[a-z][\w-]*\s+)?(?:van|of)\s+(?:(?:de|het|the)\s+)?")


def _opens_clause(text: str, s_start: int, pos: int, joiners: tuple[str, ...] = ()) -> bool:
    """Whether ``pos`` starts its clause: the sentence's start, after a comma or semicolon,
    or after one of ``joiners``."""
    lead = text[s_start:pos].strip()
    return lead == "" or lead.endswith((",", ";")) or lead.lower() in joiners


_AUXILIARY = re.compile(r"\s+(?:heeft|hebben|had|hadden|has|have)\b")


def _describes_victims(scan: Scan, d: Draft, a: ActorMention) -> bool:
    """'Four Iraqi police officers were killed': the adjective is the victims' own."""
    group_end = d.group_cue.end if d.group_cue is not None else d.number.end
    end = max(group_end, d.number.end)
    if d.number.start <= a.start and a.end <= end:
        return True
    # "drie leden van Hezbollah", "two members of the Radwan unit": whose the victims were.
    return a.start >= end and bool(_VICTIMS_OF.fullmatch(scan.doc.text, end, a.start))


_PLACE_NOUNS = re.compile(
    r"\s+(?:hoofdstad|capital|grens|border|grensstad|havenstad|kust|coast|zijde|side)\b",
    re.IGNORECASE,
)


def _describes_place(scan: Scan, a: ActorMention) -> bool:
    """'de Somalische regio', 'the Lebanese border town': the adjective names a place."""
    text, lex = scan.doc.text, scan.lex
    if _PLACE_NOUNS.match(text, a.end):
        return True
    nxt = a.end + 1 if a.end < len(text) else a.end
    return bool(lex.locality_words.match_at(text, nxt) or lex.region_words.match_at(text, nxt))


def _names_forces(scan: Scan, a: ActorMention) -> bool:
    """'Russische troepen', 'de Turkse politie', 'Israeli soldiers': a state's forces."""
    text, lex = scan.doc.text, scan.lex
    nxt = lex.groups.match_at(text, a.end + 1) if a.end < len(text) else None
    if nxt is not None and nxt.label in ("soldiers", "police"):
        return True
    last = a.text.split()[-1]
    own = lex.groups.match_at(a.text, len(a.text) - len(last))
    return own is not None and own.label in ("soldiers", "police")


def _after_against(scan: Scan, a: ActorMention) -> bool:
    """'tegen IS', 'against the Taliban': the party is the target, not the attacker."""
    words = scan.doc.text[max(0, a.start - 25) : a.start].lower().split()
    return bool(words) and any(w in scan.lex.against for w in words[-3:])


def _blamed(scan: Scan) -> ActorMention | None:
    """The party the report holds responsible: the one that claims an attack ("IS eiste de
    aanslag op", "claimed by JNIM") or that a source blames ("Police blamed Boko Haram").
    "No group claimed responsibility" names no one."""
    from sitrep.resolve.actors import actor_index

    text, lex = scan.doc.text, scan.lex
    index = actor_index(lex.lang)
    for cue in lex.blame.finditer(text):
        s = scan.sentence_of(cue.start)
        lead_in = text[max(s.start, cue.start - 25) : cue.start]
        if next(lex.negations.finditer(lead_in), None) is not None:
            continue
        # The claim may stand in a paragraph the scan skipped: look its actors up here.
        parties = [
            a for a in index.find(text, s.start, s.end) if not a.best(source=False).is_source
        ]
        after = [
            a for a in parties if a.start >= cue.end and len(text[cue.end : a.start].split()) <= 3
        ]
        # "De VN houdt de ADF verantwoordelijk": the party inside a split cue.
        inside = [a for a in parties if cue.start < a.start and a.end < cue.end]
        if cue.label == "blame":
            if inside or after:
                return (inside or after)[0]
            continue
        agent = [
            a
            for a in after
            if set(text[cue.end : a.start].lower().split()) & lex.agent_prepositions
        ]
        before = [
            a for a in parties if a.end <= cue.start and len(text[a.end : cue.start].split()) <= 3
        ]
        if agent or before or inside:
            return (agent or inside or before[::-1])[0]
    return None


def _event_dates(scan: Scan, start: int, end: int) -> list[DateMention]:
    """Dates of a sentence that can date its events: not the day a source spoke
    ("the IOM said on Tuesday", "meldde het leger zondag")."""
    cues = [*scan.attr_before.within(start, end), *scan.attr_after.within(start, end)]
    out = []
    for m in scan.dates.within(start, end):
        if any(c.end <= m.start and scan.tokens_between(c.end, m.start) <= 4 for c in cues):
            continue
        if _in_dateline(scan, m.end):
            continue  # "MOGADISHU, March 1 (Reuters) -": the day of the report, not of the act
        out.append(m)
    return out


_DATELINE_PLACE = re.compile(r"[A-ZÀ-Þ][A-ZÀ-Þ .'-]{2,},")
_DATELINE_END = re.compile(r"[^\n]{0,40}?\((?:[A-Z][\w .&-]*)\)\s*[-–—]|\s*[-–—]{1,2}\s")


def _in_dateline(scan: Scan, pos: int) -> bool:
    """Whether ``pos`` lies in a wire dateline ("KYIV, March 1 (Reuters) -") at a line's
    start: upper-case place, a date, the agency, a dash."""
    text = scan.doc.text
    line = text.rfind("\n", 0, pos) + 1
    head = text[line:pos]
    return (
        pos - line < 60
        and bool(_DATELINE_PLACE.match(head))
        and bool(_DATELINE_END.match(text, pos))
    )


def _pick_date(scan: Scan, d: Draft, dates: list[DateMention]) -> DateMention | None:
    points = [m for m in dates if not m.is_period]
    if not points:
        return None
    return min(points, key=lambda m: scan.distance(d.anchor, (m.start, m.end)))


def _place_model(p: PlaceMention) -> Place:
    r = p.resolved
    if r is None:
        return Place(text=p.text, start=p.start, end=p.end, relation=p.relation, feature=p.feature)
    # One construction with every field, not nine assignments after it: pydantic's
    # ``__setattr__`` costs more than validating the gazetteer's typed values.
    return Place(
        text=p.text,
        start=p.start,
        end=p.end,
        relation=p.relation,
        name=r.name,
        geonameid=r.geonameid,
        country=r.country,
        admin1=r.admin1,
        admin2=r.admin2,
        lat=r.lat,
        lon=r.lon,
        # Near or off a town: ACLED's precision 2; an area keeps its own (3).
        precision=max(r.precision, 2) if p.relation else r.precision,
        feature=r.feature,
    )


# Kinds of figure that count people who moved: the place can be where they went.
_MOVES = frozenset({"refugees", "returned", "displaced", "evacuated", "withdrawn"})
# Words before a place refugees left: "refugees from Sudan", "vluchtelingen uit Syrië".
_FROM = re.compile(
    r"\b(?:from|uit|van|fled|ontvluchtten|ontvlucht)\s+(?:the\s+|de\s+|het\s+)?$", re.I
)
# ... and where they are: "arrived in eastern Chad", "gevlucht naar Libanon".
_TO = re.compile(
    r"\b(?:arrived in|into|to|naar|bereikten|reached|aangekomen in|opgevangen in|"
    r"toevlucht in|sheltering in|live in|wonen in|verblijven in)\s+(?:the\s+|de\s+|het\s+)?"
    r"(?:(?:buurland|neighbouring|neighboring)\s+)?$",
    re.I,
)
# Where people went, kind words and all: "flights to Djibouti", "fled to the provincial
# capital Bunia", "gevlucht naar de hoofdstad Kaboel".
_DESTINATION = re.compile(
    r"\b(?:to|into|towards|naar|richting)\s+(?:the\s+|de\s+|het\s+)?(?:[a-z]+\s+){0,2}$", re.I
)
# ", ten " before "westen van Goma"; ", 25 km (16 miles) " before "west of Goma".
# "het ontheemdenkamp Zamzam bij de stad El Fasher": with no comma, nothing between.
_APPOSED = re.compile(
    r"\s+|\s*,\s*(?:(?:about|some|ongeveer|zo['’]n|ruim)\s+)?"
    r"(?:\d[\d.,]*\s*(?:km|kilometers|kilometres|kilometer|miles|mijl)\b\s*(?:\([^)]*\)\s*)?)?"
    r"(?:[a-z]+\s+){0,2}"
)


def _pick_place(scan: Scan, d: Draft, s_start: int, s_end: int) -> Place | None:
    """The most specific place of the sentence, the nearest one among equals.

    A dateline ("BAMAKO (Reuters) -") says where the reporter is; a place abroad in a report
    about one country ("de in Londen gevestigde organisatie") says where a source sits:
    neither places a figure, unless people moved there (refugees).
    """
    places = _spots(scan, scan.places.within(s_start, s_end), s_start)
    text = scan.doc.text
    # "have fled northern Gaza since Israel launched an offensive in Jabalia": a place in a
    # clause about an earlier happening, after the figure, is that happening's.
    places = [p for p in places if not _in_background(scan, d, p, s_end)] or places
    if d.part_of is None:
        # "killed 30 across the Gaza Strip, among them 12 in a school in Deir al-Balah": a
        # place after the sub-count's cue is the sub-count's, not the total's.
        cue = next((c for c in scan.subcounts.within(d.anchor[1], s_end)), None)
        if cue is not None:
            places = [p for p in places if p.start < cue.start] or places
    home = _home_country(scan)
    if d.kind == "refugees":
        # "refugees from Sudan have arrived in eastern Chad": refugees are counted where they
        # are, not where they fled from.
        hosts = [p for p in places if not _FROM.search(text, max(s_start, p.start - 16), p.start)]
        arrived = [p for p in hosts if _TO.search(text, max(s_start, p.start - 16), p.start)]
        if arrived:
            near = min(arrived, key=lambda p: scan.distance(d.anchor, (p.start, p.end)))
            return _place_model(near)
        places = hosts or places
    if home and d.kind not in _MOVES:
        places = [p for p in places if p.resolved is None or p.resolved.country in (None, home)]
    if not places:
        return _anaphoric_place(scan, s_start, s_end)
    # "500 in Moscow and about 480 in St Petersburg": a place right after the figure is its own.
    own = [
        p
        for p in places
        if p.start >= d.number.end
        and _OWN_PLACE.fullmatch(text, d.number.end, p.start)
        and not (d.group_cue is not None and d.group_cue.start > p.start)
    ]
    if own:
        held = _possessed(text, own[0], places)  # "12 villagers in Nigeria's Zamfara state"
        return _place_model(held or own[0])
    best = min(places, key=lambda p: (p.specificity, scan.distance(d.anchor, (p.start, p.end))))
    return _place_model(best)


def _possessed(text: str, p: PlaceMention, places: list[PlaceMention]) -> PlaceMention | None:
    """The place a possessive names right after ``p`` ("Nigeria's Zamfara state")."""
    m = _POSSESSIVE_S.match(text, p.end)
    if m is None:
        return None
    return next((q for q in places if q.start == m.end()), None)


_POSSESSIVE_S = re.compile(r"['’]s[ \t]+")


def _in_background(scan: Scan, d: Draft, p: PlaceMention, s_end: int) -> bool:
    """Whether ``p`` lies in a clause about an earlier happening that follows the figure."""
    text = scan.doc.text
    for cue in scan.lex.background_clauses.finditer(text, d.number.end, p.start):
        if not re.search(r"[,;:()]", text[cue.end : p.start]):
            return True
    return False


def _anaphoric_place(scan: Scan, s_start: int, s_end: int) -> Place | None:
    """'More than 33,000 people have fled the capital', 'ongeveer 40.000 mensen uit de stad':
    a sentence that names no place but a definite kind word stands for the last place of
    that kind the report named; the capital only for one the text has called its capital."""
    text, lex = scan.doc.text, scan.lex
    for ana in lex.place_anaphora.finditer(text, s_start, s_end):
        if not _stands_alone(text, ana.end, lex):
            continue  # "the city council", "de stad Goma", "the town of Sake"
        noun = ana.text.split()[-1].lower()
        kinds = [
            p
            for p in scan.places.before(ana.start)
            if not _dateline(scan, p)
            and not _speaks(scan, p)
            and (p.resolved is None or p.resolved.feature != "country")
            and p.regional == (ana.label == "region")
        ]
        called = [p for p in kinds if _called(text, p, noun)]
        pick = called or ([] if ana.label == "capital" else kinds)
        if pick:
            return _place_model(max(pick, key=lambda p: p.start))
    return None


def _stands_alone(text: str, pos: int, lex: Lexicon) -> bool:
    """Whether a kind word ends its noun phrase: no name, no possessive, no compound after."""
    nxt = re.match(r"[ \t]*([\w’']+|[^\w\s]|$)", text[pos : pos + 40])
    word = nxt.group(1) if nxt else ""
    if not word or not word[0].isalnum():
        return not word.startswith(("'", "’", "-"))
    if word[0].isupper() or word[0].isdigit():
        return False
    if word.lower() in ("of", "van") and re.match(
        r"\s+\w+\s+[A-ZÀ-ÖØ-Þ]|\s+[A-ZÀ-ÖØ-Þ]", text[pos + nxt.end() : pos + nxt.end() + 30]
    ):
        return False
    return not lex.open_compounds or word.lower() in lex.stopwords


def _called(text: str, p: PlaceMention, noun: str) -> bool:
    """Whether the text calls a place by ``noun``: its kind word ("de hoofdstad Mogadishu",
    "het vluchtelingenkamp van Jenin") or an apposition ("Port-au-Prince, Haiti's capital")."""
    word = re.compile(rf"\w*{re.escape(noun)}\b", re.IGNORECASE)
    if p.kind_word and word.fullmatch(p.kind_word.split()[-1]):
        return True
    before = text[max(0, p.start - 30) : p.start]
    if re.search(rf"\w*{re.escape(noun)}\s+(?:(?:of|van)\s+)?$", before, re.IGNORECASE):
        return True
    appos = re.match(r"\s*,\s*([^,.;:]{0,40})", text[p.end : p.end + 45])
    return bool(appos and word.search(appos.group(1)))


def _spots(scan: Scan, places: list[PlaceMention], s_start: int) -> list[PlaceMention]:
    """The places of a sentence that can say where something happened.

    A dateline ("BAMAKO (Reuters) -") says where the reporter is, a capital that speaks is
    its government; a neighbour across a border, a reference point after a place ("Sake,
    west of Goma") and the area that holds a place ("Djugu territory in Ituri province")
    are less than the place they describe, as long as that place is there.
    """
    text = scan.doc.text
    places = [p for p in places if not _dateline(scan, p) and not _speaks(scan, p)]
    # "near the border with Cameroon": the neighbour across the border is not the place, even
    # where the sentence names no other ("evacuated 23,000 along the border with Lebanon").
    places = [p for p in places if not _BORDER.search(text, max(s_start, p.start - 30), p.start)]
    # "Al-Mawasi, ten westen van Khan Younis", "the town of Sake, west of Goma": a relation
    # right after a place says where that place lies; it places nothing itself. A province
    # the gazetteer knows needs no such pointer: a relation after it is the spot.
    places = [p for p in places if not _apposed(text, p, places)] or places
    # "a village in Djugu territory in Ituri province": the area that holds a place the
    # sentence names is less specific than that place, whatever the gazetteer knows of it.
    held = containers(text, places)
    return [p for p in places if id(p) not in held] or places


def _apposed(text: str, p: PlaceMention, places: list[PlaceMention]) -> PlaceMention | None:
    """The place that a relation place ("ten westen van Khan Younis") describes, if any."""
    if not p.relation:
        return None
    return next(
        (
            q
            for q in places
            if q is not p
            and q.end <= p.start
            and (not q.regional or q.resolved is None)
            and _APPOSED.fullmatch(text, q.end, p.start)
        ),
        None,
    )


# Between a figure and its own place: "480 in ", "zes doden in ", "12 people in ".
_OWN_PLACE = re.compile(r"(?:\s+[a-z][\w-]*){0,1}\s+(?:in|at|op|te)\s+(?:(?:the|de|het)\s+)?")


def _refined_place(scan: Scan, s, place: Place | None) -> Place | None:
    """'… in northeast Nigeria's Borno state … The attack happened in the town of Konduga':
    a following sentence about the same act ("the attack", "de aanslag", "the attackers",
    "het kamp" after "een ontheemdenkamp") that names a town in the same country says where
    exactly it happened."""
    text = scan.doc.text
    for nxt in scan.doc.sentences[s.index + 1 : s.index + 4]:
        if scan.lex.incident_anaphora.match_at(text, nxt.start) is None and not _echoes(
            scan, s, nxt
        ):
            continue
        towns = [
            p
            for p in scan.places_in(nxt.start, nxt.end)
            if p.specificity < 1.6
            # "took place 40 km east of Maiduguri" says where it is not.
            and not any(d in (p.relation or "") for d in ("north", "south", "east", "west"))
            # "de militie CODECO, die voornamelijk uit Lendu bestaat": where from, not where.
            and not _FROM.search(text, max(nxt.start, p.start - 16), p.start)
            and not (
                place is not None
                and place.country
                and p.resolved is not None
                and p.resolved.country not in (None, place.country)
            )
        ]
        if towns:
            town = _place_model(towns[0])
            if town.country is None and place is not None:
                # A town the gazetteer lacks lies in the area the act was placed in.
                town.country, town.admin1 = place.country, place.admin1
            return town
    return None


_NOUN_AFTER = re.compile(r"(\w+)[ \t]+(\w{4,})")


def _echoes(scan: Scan, s, nxt) -> bool:
    """'Het ziekenhuis in Mrauk-U …' after '… een ziekenhuis in Rakhine gebombardeerd': a
    sentence that opens with a definite noun the figure's sentence or the one before named
    (or ended a compound with: "ontheemdenkamp" … "het kamp") refers back to it."""
    text = scan.doc.text
    m = _NOUN_AFTER.match(text, nxt.start, nxt.end)
    if m is None or m.group(1).lower() not in scan.lex.definite_articles:
        return False
    noun = m.group(2)
    if not noun.islower() or noun in scan.lex.stopwords:
        return False  # "The Israeli military": a name, not a thing told of before
    if any(c.start <= m.end() + 2 for c in scan.attr_after.within(m.end(), m.end() + 40)):
        return False  # "The alliance said it had captured …": a party's claim
    # The thing may be named in the sentence before ("… een ziekenhuis gebombardeerd. Daarbij
    # kwamen zeker 31 mensen om.").
    before = scan.doc.sentences[s.index - 1] if s.index > 0 else s
    start = before.start if before.paragraph == s.paragraph else s.start
    words = re.findall(r"\w+", text[start : s.end].lower())
    return any(w == noun or (scan.lex.compounds and w.endswith(noun)) for w in words)


def _speaks(scan: Scan, p: PlaceMention) -> bool:
    """'when Islamabad ordered …', 'Damascus ontkent': a capital that speaks or acts is its
    government, not the place of the event."""
    r = p.resolved
    if r is None or p.relation or r.feature not in ("locality", "country"):
        return False
    text, lex = scan.doc.text, scan.lex
    pos = p.end
    while pos < len(text) and text[pos] == " ":
        pos += 1
    acting = bool(
        lex.attribution_after.match_at(text, pos)
        or lex.status.match_at(text, pos)
        or lex.government_acts.match_at(text, pos)
    )
    if acting or r.feature != "country" or not _HAS.match(text, pos):
        return acting
    # "Rusland heeft Oekraïne bestookt", "Israel has struck": a country that opens its clause
    # as the subject ("the insurgency in northeast Nigeria has killed" is no such thing).
    return _opens_clause(
        text, scan.sentence_of(p.start).start, p.start, ("and", "en", "but", "maar")
    )


_HAS = re.compile(r"(?:heeft|hebben|has|have|had)\b")
_BORDER = re.compile(
    r"\b(?:border with|border between|grens met|grens tussen|frontier with)\s+(?:the\s+|de\s+)?$",
    re.I,
)


_AGENCY_AFTER = re.compile(r"[\s,A-Za-z.]*\((?:[A-Z][\w ]+)\)\s*[-–—]")
_DASH_AFTER = re.compile(r"[^\n]{0,60}?\s[-–—]{1,2}\s")


def _dateline(scan: Scan, p: PlaceMention) -> bool:
    """'BAMAKO (Reuters) -', 'GOMA, Congo, March 3 (AP) —', 'CAIRO —': where the reporter
    files from, at the start of a line."""
    text = scan.doc.text
    if p.start < 60 and _AGENCY_AFTER.match(text[p.end : p.end + 40]):
        return True
    line = text.rfind("\n", 0, p.start) + 1
    name = text[p.start : p.end]
    return (
        p.start - line <= 2
        and name.isupper()
        and len(name) > 2
        and bool(_DASH_AFTER.match(text[p.end : p.end + 70]))
    )


def _home_place(scan: Scan) -> Place | None:
    """The country the report is about, where it names it: the place of a figure whose
    paragraph and lead name none ("the war has killed at least 9,000 people")."""
    home = _home_country(scan)
    countries = [
        p for p in scan.places if p.resolved is not None and p.resolved.feature == "country"
    ]
    for p in countries:
        if p.resolved.country == home:
            return _place_model(p)
    # No country leads: the first one the report names.
    return _place_model(countries[0]) if countries and home is None else None


def _home_country(scan: Scan) -> str | None:
    """The country most of the report's places lie in, when one clearly leads."""
    if "home" not in scan.memo:
        scan.memo["home"] = _leading_country(scan)
    return scan.memo["home"]  # type: ignore[return-value]


def _leading_country(scan: Scan) -> str | None:
    from collections import Counter

    counts = Counter(
        p.resolved.country for p in scan.places if p.resolved is not None and p.resolved.country
    )
    if not counts:
        return None
    (top, n), *rest = [*counts.most_common(2), (None, 0)]
    return top if n >= 2 and n > 2 * rest[0][1] else None


def _evidence(scan: Scan, start: int, end: int) -> Evidence:
    s = scan.sentence_of(start)
    text = scan.doc.text
    # Validating is cheaper than ``model_construct`` (pydantic's Rust validator against a
    # Python loop over the fields), and the offsets pass it: they index the text.
    return Evidence(
        text=text[start:end],
        start=start,
        end=end,
        sentence=text[s.start : s.end],
        sentence_start=s.start,
        sentence_end=s.end,
    )


def _span(text: str, start: int, end: int) -> Span:
    # Not ``model_construct``: validating three plain values costs less (see ``_evidence``).
    return Span(text=text[start:end], start=start, end=end)


def _event_date(dm: DateMention | None, cumulative: Match | None, scan: Scan) -> EventDate:
    if dm is None:
        return EventDate()
    return EventDate(
        start=dm.start_date,
        end=dm.end_date,
        precision=DatePrecision(dm.precision) if dm.resolved else DatePrecision.unknown,
        text=dm.text,
        span=_span(scan.doc.text, dm.start, dm.end),
        resolved=dm.resolved,
    )


def build_events(scan: Scan, drafts: list[Draft]) -> list[Event]:
    """Events of a document from its figure drafts."""
    doc, text = scan.doc, scan.doc.text
    report = doc.report
    lead = _lead_context(scan)
    priors: dict[int, _Context] = {}
    events: list[Event] = []
    event_of: dict[int, Event] = {}
    keys: dict[tuple, Event] = {}
    figure_sentences = {d.sentence.index for d in drafts}
    attack_classes: dict[int, str] = {}  # what a plain "attack" was, by its trigger's offset
    for d in drafts:
        s = d.sentence
        if s.index not in priors:
            priors[s.index] = _prior_context(scan, s.paragraph, s.index)
        prior = priors[s.index]
        triggers = scan.triggers.within(s.start, s.end)
        trigger = _pick_trigger(scan, d, triggers)
        cumulative = d.cumulative
        event_class = KIND_EVENTS.get(d.kind)
        if event_class is None:
            if trigger is None:
                # A war-wide total takes its act from its own paragraph only, not the lead.
                trigger = prior.trigger or (None if cumulative else lead.trigger)
            event_class = trigger.label if trigger else "other"
            if cumulative and next(scan.lex.war_wide.finditer(text, s.start, s.end), None):
                event_class, trigger = "other", None  # "since the war began": many kinds
            if d.kind in _NOT_AN_ATTACK:
                # "Gunmen abducted 287 pupils", "police arrested 50": ACLED's abduction and
                # arrests, whatever the act's words (an abduction in an attack on civilians
                # takes the attack's type below).
                event_class = "other"
        perp = None
        if d.kind in ("killed", "injured", "missing", "kidnapped", "arrested", "withdrawn"):
            perp = _perpetrator_near(scan, trigger, d, s.start, s.end)
            if perp is None and (not cumulative or d.kind == "withdrawn"):
                perp = prior.perpetrator if prior.trigger or d.kind == "withdrawn" else None
                if perp is None and not cumulative:
                    perp = _perpetrator_after(scan, s, figure_sentences)
                if (
                    perp is None
                    and not cumulative
                    and trigger is not None
                    and (trigger is lead.trigger)
                ):
                    perp = lead.perpetrator
        if event_class == "other" and d.kind in ("killed", "injured", "missing", "kidnapped"):
            own = "other"
            if d.kind != "kidnapped" and not cumulative:
                own = _attack_class(scan, d, perp, s.start, s.end)
            if trigger is not None and own == "other" and not cumulative:
                own = attack_classes.get(trigger.start, own)  # the wounded of that attack
            elif trigger is not None and own != "other":
                attack_classes.setdefault(trigger.start, own)
            event_class = own
        dates = _event_dates(scan, s.start, s.end)
        dm = None if cumulative else _pick_date(scan, d, dates)
        if dm is None and not cumulative:
            dm = prior.date or lead.date
        if cumulative:
            periods = [m for m in dates if m.is_period]
            dm = periods[0] if periods else None
        place = _pick_place(scan, d, s.start, s.end)
        if not cumulative and (place is None or place.feature != "locality"):
            place = _refined_place(scan, s, place) or place
        if place is None:
            place = (
                _carried_place(scan, s, cumulative is not None, d.kind)
                or (lead.place if cumulative else (lead.spot or lead.place))
                or _home_place(scan)
            )
        head_event = event_of.get(id(d.part_of)) if d.part_of is not None else None
        figure = _figure(scan, d, head_event)
        if head_event is not None:
            head_event.figures.append(figure)
            event_of[id(d)] = head_event
            continue
        key = (
            s.index,
            event_class,
            place.text if place else None,
            bool(cumulative),
            dm.start if dm else None,
        )
        ev = keys.get(key)
        if ev is None:
            etype, sub = ACLED_TYPES.get(event_class, _other_type(d))
            ev = Event(
                id=f"{report.id}-{len(events) + 1}",
                event=event_class,
                event_type=etype,
                sub_event_type=sub,
                trigger=_span(text, trigger.start, trigger.end) if trigger else None,
                date=_event_date(dm, cumulative, scan),
                place=place,
                actors=Actors(
                    perpetrator=_actor(perp) if perp else None,
                    target=_target(d),
                ),
                report=report,
            )
            keys[key] = ev
            events.append(ev)
        ev.figures.append(figure)
        event_of[id(d)] = ev
    blamed = (
        _blamed(scan)
        if any(e.actors.perpetrator is None and e.event in VIOLENT_EVENTS for e in events)
        else None
    )
    # The same count told twice ("Car bomb kills nine at Mogadishu restaurant", then the
    # body's "killing nine people …, police said"): the unsourced telling has the source too.
    told = {
        (f.kind, f.best): f for ev in events for f in ev.figures if f.source and "source" in f.cues
    }
    for ev in events:
        for f in ev.figures:
            twin = told.get((f.kind, f.best))
            if f.source is None and twin is not None and not f.cumulative:
                f.source = twin.source
                f.cues["source"] = twin.cues["source"]
    for ev in events:
        if ev.event in VIOLENT_EVENTS:
            ev.actors.opponent = _opponent(scan, ev)
    home = _home_country(scan)
    for ev in events:
        if ev.actors.perpetrator is None and ev.event in VIOLENT_EVENTS and home:
            ev.actors.perpetrator = _state_forces_agent(scan, ev, home)
    # A figure later in the report whose sentence names no attacker ("Tientallen anderen
    # raakten gewond", "He said a police officer was among those killed") most often belongs
    # to the incident told before it: it takes that incident's attacker.
    last: Actor | None = None
    forces_blamed = (
        _forces_blamed(scan, home)
        if blamed is None
        and home
        and any(e.actors.perpetrator is None and e.event in VIOLENT_EVENTS for e in events)
        else None
    )
    for ev in events:
        single = not all(f.cumulative for f in ev.figures)
        if ev.actors.perpetrator is None and ev.event in VIOLENT_EVENTS and single:
            if blamed is not None:
                ev.actors.perpetrator = _actor(blamed)
            elif forces_blamed is not None:
                ev.actors.perpetrator = forces_blamed.model_copy()
            elif last is not None:
                ev.actors.perpetrator = last.model_copy()
        if ev.actors.perpetrator is not None and ev.event in VIOLENT_EVENTS and single:
            last = ev.actors.perpetrator
        _finish(scan, ev)
    _geocode(scan, events)
    home = _home_country(scan)
    for ev in events:
        _national_sources(ev, home)
    return events


def _opponent(scan: Scan, ev: Event) -> Actor | None:
    """The armed party the report says the fighting is against: in the event's sentence,
    else its paragraph, else the lead ("een offensief tegen rebellen van het FSA")."""
    text, lex = scan.doc.text, scan.lex
    s = scan.sentence_of(ev.figures[0].evidence.start)
    para = scan.doc.paragraphs[s.paragraph]
    lead = scan.doc.paragraphs[0]
    perp = ev.actors.perpetrator.name if ev.actors.perpetrator else None
    if "opponent_cues" not in scan.memo:
        scan.memo["opponent_cues"] = list(lex.opponent_cues.finditer(text))
    cues: list[Match] = scan.memo["opponent_cues"]  # type: ignore[assignment]
    if not cues:
        return None
    for start, end in ((s.start, s.end), para, lead):
        for cue in (c for c in cues if start <= c.start and c.end <= end):
            stop = re.search(r"[.;:]", text[cue.end : end])
            limit = cue.end + stop.start() if stop else end
            for a in scan.actors.within(cue.end, limit):
                entry = a.best(source=False)
                if entry.is_source or entry.name == perp:
                    continue
                if len(text[cue.end : a.start].split()) <= 4:
                    return _actor(a)
                break
    return None


def _state_forces_agent(scan: Scan, ev: Event, home: str) -> Actor | None:
    """'Minstens 300 demonstranten werden door de veiligheidstroepen gedood': forces named
    without their state, as the agent of the act, are the forces of the report's country."""
    from sitrep.resolve.actors import state_of

    text, lex = scan.doc.text, scan.lex
    state = state_of(home)
    if state is None:
        return None
    for f in ev.figures:
        s = scan.sentence_of(f.evidence.start)
        for forces in lex.state_forces.finditer(text, s.start, s.end):
            words = text[max(s.start, forces.start - 12) : forces.start].lower().split()
            while words and words[-1] in lex.definite_articles:
                words.pop()
            if words and words[-1] in lex.state_forces_agents:
                return _forces_of(state, forces)
    return None


def _forces_blamed(scan: Scan, home: str) -> Actor | None:
    """'Residents blamed the army': forces a source blames without naming their state are
    the forces of the report's country."""
    from sitrep.resolve.actors import state_of

    text, lex = scan.doc.text, scan.lex
    state = state_of(home)
    if state is None:
        return None
    for cue in lex.blame.finditer(text):
        if cue.label != "blame":
            continue
        at = cue.end
        article = _NEXT_WORD.match(text, at)
        if article is not None and article.group(1).lower() in lex.definite_articles:
            at = article.end()
        while at < len(text) and text[at] in " \t":
            at += 1
        forces = lex.state_forces.match_at(text, at)
        if forces is not None:
            return _forces_of(state, forces)
    return None


_NEXT_WORD = re.compile(r"[ \t]+(\w+)(?=[ \t])")


def _forces_of(state: ActorEntry, forces: Match) -> Actor:
    """A state's forces as the text names them ("the army", "de veiligheidstroepen")."""
    return Actor(
        text=forces.text,
        start=forces.start,
        end=forces.end,
        name=state.name,
        actor_type=state.type,
        country=state.country,
    )


def _national_sources(ev: Event, home: str | None) -> None:
    """ "the defence ministry said", "de regering bevestigde": a national institution the
    report names without its country is the one of the country where the event happened."""
    from sitrep.resolve.actors import english_adjective

    country = (ev.place.country if ev.place else None) or home
    adjective = english_adjective(country) if country else None
    if adjective is None:
        return

    def national(name: str) -> str:
        parts = ministry_parts(name)
        # A foreign ministry speaks of events abroad: whose it is, the event does not say.
        if parts is not None and not parts[0] and parts[1] and parts[1] != "Foreign":
            return f"{adjective} {parts[1]} Ministry"
        if name in NATIONAL_BODIES:
            return f"{adjective} {name}"
        return name

    if not any(
        f.source in NATIONAL_BODIES or (f.source or "").lower().endswith("ministry")
        for f in ev.figures
    ):
        return
    for f in ev.figures:
        if f.source:
            f.source = national(f.source)
    for src in ev.attributed_to:
        src.name = national(src.name)


def _geocode(scan: Scan, events: list[Event]) -> None:
    """A place named only as part of a country ("in het zuidwesten van Syrië") takes the
    province the text names in that country: the one its paragraph names, else the lead's,
    else the only one the article names."""

    def admin1s_in(start: int, end: int, country: str) -> set[str]:
        return {
            p.resolved.admin1
            for p in scan.places.within(start, end)
            if p.resolved is not None and p.resolved.country == country and p.resolved.admin1
        }

    home = _home_country(scan)
    for ev in events:
        if ev.place is not None and ev.place.country is None:
            _place_in_context(scan, ev.place, home)
    paragraphs = scan.doc.paragraphs
    for ev in events:
        pl = ev.place
        if not (pl and pl.feature == "country" and pl.relation and pl.country):
            continue
        para = paragraphs[scan.sentence_of(pl.start).paragraph]
        lead = (paragraphs[0][0], paragraphs[min(1, len(paragraphs) - 1)][1])
        for start, end in (para, lead, (0, len(scan.doc.text))):
            found = admin1s_in(start, end, pl.country)
            if len(found) == 1:
                pl.admin1 = found.pop()
                break


def _place_in_context(scan: Scan, place: Place, home: str | None) -> None:
    """A town the gazetteer lacks ("the town of Tamboul in Sudan's Al Jazirah state") lies
    in the area its sentence names, else in the country the report is about."""
    s = scan.sentence_of(place.start)
    mentions = scan.places_in(s.start, s.end)
    around = sorted(
        (
            p
            for p in mentions
            if p.resolved is not None
            and p.resolved.country
            and p.start != place.start
            and not _dateline(scan, p)  # "BEIRUT (AFP) - … Syria's Deir Ezzor province"
        ),
        key=lambda p: (p.specificity, abs(p.start - place.end)),
    )
    if around:
        r = around[0].resolved
        place.country = r.country
        # "de wijk Wharf Jérémie in de hoofdstad Port-au-Prince": the town that holds the
        # place gives its province too.
        own = [p for p in mentions if p.start == place.start]
        held = containers(scan.doc.text, [*own, around[0]]) if own else set()
        # "het gebied Wadi al-Shay, ten zuiden van Kirkuk": near that town, in its province.
        near = bool(own) and _apposed(scan.doc.text, around[0], own) is not None
        if r.feature != "country" and (r.precision >= 3 or id(around[0]) in held or near):
            place.admin1 = r.admin1
    elif home:
        place.country = home


# Victim groups (lexicon [groups]) that, named before a count, are its attackers.
ATTACKER_GROUPS = frozenset({"fighters", "militants", "gang members"})
# Kinds of figure whose event is no attack of the kind its words name.
_NOT_AN_ATTACK = frozenset({"kidnapped", "arrested"})
ARMED_GROUPS = frozenset({"soldiers", "fighters", "militants", "police", "rebels"})
# Actor types (data/actors.toml) of armed groups that are no state's forces.
NON_STATE_ARMED = frozenset({"rebel", "political_militia", "identity_militia"})


def _attack_class(scan: Scan, d: Draft, perp: ActorMention | None, s_start: int, s_end: int) -> str:
    """A plain 'attack' is a clash when armed men fell, an attack on civilians (ACLED's
    violence against civilians) when the victims are civilians, a village or camp was hit,
    or the attackers are an armed group that is no state's force (rebels, militias, gangs)."""
    group = d.part_of.group if d.part_of is not None else d.group
    if group in ARMED_GROUPS:
        return "clashes"
    village = next(scan.lex.village_words.finditer(scan.doc.text, s_start, s_end), None)
    if group in CIVILIAN_GROUPS or village is not None:
        return "massacre"
    if perp is not None and perp.best(source=False).type in NON_STATE_ARMED:
        return "massacre"
    # "Gunmen killed …", "Jihadists killed hundreds of people": armed men who are no
    # state's, named before the victims, did it.
    victims = d.part_of.group_cue if d.part_of is not None else d.group_cue
    for g in scan.groups.within(s_start, d.number.start):
        if g.label in ATTACKER_GROUPS and (victims is None or g.start != victims.start):
            return "massacre"
    return "other"


def _other_type(d: Draft) -> tuple[str | None, str | None]:
    if d.kind == "kidnapped":
        return "Violence against civilians", "Abduction/forced disappearance"
    if d.kind == "arrested":
        return "Strategic developments", "Arrests"
    if d.group in CIVILIAN_GROUPS:
        return "Violence against civilians", "Attack"
    return None, None


def _actor(a: ActorMention) -> Actor:
    e = a.best(source=False)
    return Actor(
        text=a.text, start=a.start, end=a.end, name=e.name, actor_type=e.type, country=e.country
    )


def _target(d: Draft) -> Actor | None:
    if (
        d.group in CIVILIAN_GROUPS
        and d.group_cue is not None
        and d.kind in ("killed", "injured", "missing", "kidnapped")
    ):
        g = d.group_cue
        return Actor(
            text=g.text, start=g.start, end=g.end, name="Civilians", actor_type="civilians"
        )
    return None


def _figure(scan: Scan, d: Draft, head_event: Event | None) -> Figure:
    text = scan.doc.text
    n = d.number
    cues: dict[str, Span] = {}
    if d.kind_cue:
        cues["kind"] = _span(text, d.kind_cue.start, d.kind_cue.end)
    if d.group_cue:
        cues["group"] = _span(text, d.group_cue.start, d.group_cue.end)
    if n.qualifier_span:
        cues["qualifier"] = _span(text, *n.qualifier_span)
    if d.cumulative:
        cues["cumulative"] = _span(text, d.cumulative.start, d.cumulative.end)
    if d.hedge:
        cues["hedged"] = _span(text, d.hedge.start, d.hedge.end)
    for key, (a, b) in d.cues.items():
        cues[key] = _span(text, a, b)
    part_of = None
    if d.part_of is not None and head_event is not None:
        for i, f in enumerate(head_event.figures):
            if f.evidence.start == d.part_of.number.start:
                part_of = i
    return Figure(
        kind=d.kind,
        group=d.group,
        best=n.best,
        low=n.low,
        high=n.high,
        qualifier=n.qualifier,
        cumulative=d.cumulative is not None,
        hedged=d.hedge is not None,
        source=d.source[0] if d.source else None,
        part_of=part_of,
        evidence=_evidence(scan, n.start, n.end),
        cues=cues,
    )


def _known_source(scan: Scan, name: str) -> bool:
    """Whether a source's name is a canonical one (dictionary or generic role), not words
    taken as written."""
    from sitrep.resolve.actors import actor_index

    if actor_index(scan.lex.lang).lookup(name, source=True) is not None:
        return True
    return name in set(scan.lex.data["attribution"]["generic_sources"].values())


def _finish(scan: Scan, ev: Event) -> None:
    """Sources of the event, and what the accused says of it."""
    seen: set[str] = set()
    for f in ev.figures:
        cue = f.cues.get("source")
        if f.source and cue and f.source not in seen:
            seen.add(f.source)
            ev.attributed_to.append(
                Source(
                    name=f.source,
                    text=cue.text,
                    start=cue.start,
                    end=cue.end,
                    known=_known_source(scan, f.source),
                )
            )
    perp = ev.actors.perpetrator
    if perp is None or ev.event not in VIOLENT_EVENTS:
        return
    for cue in scan.status:
        s = scan.sentence_of(cue.start)
        for a in scan.actors.within(s.start, s.end):
            if a.best(source=False).name == perp.name:
                ev.status = {
                    "not_confirmed": EventStatus.not_confirmed_by_accused,
                    "denied": EventStatus.denied_by_accused,
                    "confirmed": EventStatus.confirmed,
                }[cue.label]
                ev.status_evidence = Span(
                    text=scan.doc.text[s.start : s.end], start=s.start, end=s.end
                )
                return


def _prior_context(scan: Scan, paragraph: int, before_sentence: int) -> _Context:
    """What the earlier sentences of a paragraph established: act, attacker, day."""
    ctx = _Context()
    for s in scan.doc.sentences[:before_sentence]:
        if s.paragraph != paragraph or s.boilerplate:
            continue
        triggers = [t for t in scan.triggers.within(s.start, s.end) if t.label in VIOLENT_EVENTS]
        if triggers:
            ctx.trigger = triggers[0]
            ctx.perpetrator = _perp_for_trigger(scan, triggers[0], s.start, s.end) or (
                ctx.perpetrator
            )
        elif not ctx.perpetrator:
            # "Russische troepen trekken zich terug": who withdraws, for the figures after.
            withdrawing = any(
                t.label == "troop_withdrawal" for t in scan.triggers.within(s.start, s.end)
            )
            for a in scan.actors.within(s.start, s.end):
                if a.best(source=False).is_source:
                    continue
                nxt = scan.lex.groups.match_at(scan.doc.text, a.end + 1)
                own = scan.lex.groups.match_at(scan.doc.text, a.start + a.text.rfind(" ") + 1)
                if withdrawing or any(g and g.label == "soldiers" for g in (nxt, own)):
                    ctx.perpetrator = a
                    break
        points = [m for m in _event_dates(scan, s.start, s.end) if not m.is_period]
        if points:
            ctx.date = points[0]
    return ctx


def _perp_for_trigger(scan: Scan, t: Match, s_start: int, s_end: int) -> ActorMention | None:
    text, lex = scan.doc.text, scan.lex
    for a in scan.actors.within(s_start, t.start):
        # "Rusland heeft Oekraïne maandag bestookt": the subject before the auxiliary.
        opens = _opens_clause(text, s_start, a.start)
        if opens and not a.best(source=False).is_source and _AUXILIARY.match(text, a.end):
            return a
    for a in scan.actors.within(s_start, s_end):
        if a.best(source=False).is_source:
            continue
        if a.end <= t.start and scan.tokens_between(a.end, t.start) <= 2:
            return a
        between = text[t.end : a.start].lower().split()
        if (
            a.start >= t.end
            and scan.tokens_between(t.end, a.start) <= 5
            and any(w in lex.agent_prepositions for w in between)
            # "bij een drone-aanval drie leden van Hezbollah": the victims' side.
            and not scan.numbers.within(t.end, a.start)
        ):
            return a
    return None


def _lead_context(scan: Scan) -> _Context:
    """The article's lead: the first paragraph that names an act, a day and a place."""
    ctx = _Context()
    for s in scan.doc.sentences:
        if s.boilerplate:
            continue
        if ctx.trigger is None:
            triggers = [
                t for t in scan.triggers.within(s.start, s.end) if t.label in VIOLENT_EVENTS
            ]
            if triggers:
                ctx.trigger = triggers[0]
                ctx.perpetrator = _perp_for_trigger(scan, triggers[0], s.start, s.end)
        if ctx.date is None:
            points = [m for m in _event_dates(scan, s.start, s.end) if not m.is_period]
            if points:
                ctx.date = points[0]
        if ctx.place is None:
            places = [p for p in scan.places.within(s.start, s.end) if not _dateline(scan, p)]
            # The article's area: a province or region it names, not a passing country.
            regional = [p for p in places if p.regional and p.specificity < 3.5]
            if regional:
                ctx.place = _place_model(regional[0])
        if ctx.spot is None:
            # Where the lead says it happened: its most specific place, not the area that
            # holds it nor a town it lies near.
            places = _spots(scan, scan.places.within(s.start, s.end), s.start)
            if places:
                ctx.spot = _place_model(min(places, key=lambda p: p.specificity))
        if s.paragraph > 0 and ctx.trigger and ctx.date:
            break
    return ctx


def _carried_place(scan: Scan, s, cumulative: bool, kind: str) -> Place | None:
    """The place the paragraph has named so far; a running total keeps only a region or a
    country, not the town of one incident. Where people were flown or fled to ("flights to
    Djibouti", "fled to the provincial capital Bunia") and a country the report is not about
    place no later count of the dead, wounded or arrested."""
    text, home = scan.doc.text, _home_country(scan)
    for prev in reversed(scan.doc.sentences[: s.index]):
        if prev.paragraph != s.paragraph:
            break
        places = _spots(scan, scan.places.within(prev.start, prev.end), prev.start)
        if kind not in _MOVES:
            places = [
                p
                for p in places
                if not _DESTINATION.search(text, max(prev.start, p.start - 40), p.start)
                and (not home or p.resolved is None or p.resolved.country in (None, home))
            ]
        if cumulative:
            places = [p for p in places if p.regional]
        if places:
            return _place_model(min(places, key=lambda p: p.specificity))
    return None
