"""Who a figure is attributed to: "volgens het SOHR", "police said", "meldt persbureau Reuters".

An attribution holds for the figures of its sentence and carries on to the following
sentences of the same paragraph until another one takes over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING

from sitrep.lexicon import Lexicon, Match, calendar_words, load_lexicon, scan_after_gaps
from sitrep.resolve.actors import (
    ActorEntry,
    ActorMention,
    actor_index,
    demonym_country,
    english_adjective,
)
from sitrep.resolve.countries import country_names, fold

if TYPE_CHECKING:
    from sitrep.extract.figures import Draft
    from sitrep.extract.places import PlaceMention
    from sitrep.extract.scan import Scan

Source = tuple[str, int, int, bool]  # name, start, end, known
CARRY = "\x00carry"  # a pronoun: the source the paragraph named before
# An organisation described, not named ("the London-based group"): named by ``attribute``.
DESCRIBED = "\x00described"

# A name: capitalised words, with short joiners ("Artsen zonder Grenzen" aside) and Arabic
# articles ("Anis al-Asbahi").
_NAME = (
    r"[A-ZÀ-ÖØ-Þ][\w’'\-.]*(?:[ \t]+(?:(?:[a-z]{1,4})[ \t]+)?"
    r"(?:(?:al|el|ad|as|ash|ar|az|ez|an)-)?[A-ZÀ-ÖØ-Þ][\w’'\-.]*)*"
)
_CAP_NAME = re.compile(_NAME)
_CAP_NAME_AT_END = re.compile(f"({_NAME})$")
_SKIP_RIGHT = re.compile(r"[\s,]*(?:\(|\")?")


_CAPITAL = r"(?-i:[A-ZÀ-ÖØ-Þ][\w\-]*)"


@cache
def _ministry_regex(lang: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The language's ministry phrases as one regex, and its portfolios in English (keys
    folded): see ``[attribution.ministry]`` in the lexicon."""
    data = load_lexicon(lang).data["attribution"].get("ministry")
    if not data:
        return None
    portfolios = {k.lower(): v for k, v in data["portfolios"].items()}
    portfolios.update((k.lower(), v) for k, v in data.get("compounds", {}).items())
    port = "|".join(re.escape(k) for k in sorted(data["portfolios"], key=len, reverse=True))

    def alternatives(pattern: str, group: str) -> list[str]:
        return [
            re.escape(alt.strip())
            .replace(r"\{portfolio\}", f"(?P<{group}{i}>{port})")
            .replace(r"\ ", r"\s+")
            for i, alt in enumerate(pattern.split("|"))
            if alt.strip()
        ]

    # Groups p*: a ministry's portfolio; q*: a minister's ("de minister van Volksgezondheid").
    alts = alternatives(data["pattern"], "p") + alternatives(data.get("minister", ""), "q")
    if data.get("compounds"):
        alts.append("(?P<c>" + "|".join(re.escape(c) for c in data["compounds"]) + ")")
    dets = "|".join(re.escape(d) for d in data.get("determiners", []))
    places = "|".join(re.escape(p) for p in data.get("places", []))
    regex = (
        (rf"(?:(?:{dets})\s+)?" if dets else "")
        + rf"(?:(?P<whose>{_CAPITAL}(?:['’]s)?)\s+)?"
        + "(?:"
        + "|".join(alts)
        + ")"
        + (rf"(?:\s+(?:{places})\s+(?P<place>{_CAPITAL}))?" if places else "")
        + r"(?![\w-])"
    )
    return re.compile(regex, re.IGNORECASE), portfolios


def _whose(word: str | None, lang: str) -> str | None:
    """Whose institution, in English: "Libanese" → "Lebanese", "Lebanon's" → "Lebanese",
    "Gaza" → "Gaza"; a word of the sentence that says no such thing → None."""
    if not word:
        return None
    w = re.sub(r"['’]s$", "", word)
    if w.lower() in load_lexicon(lang).stopwords:
        return None
    based = re.fullmatch(r"(.+)-(?:based|gevestigde)", w)
    if based:  # "the Gaza-based health ministry"
        w = based.group(1)
    elif re.search(r"-(?:run|controlled|led|backed|gecontroleerde|geleide|gesteunde)$", w):
        return None  # "the Hamas-run health ministry": who runs it, not whose it is
    code = demonym_country(w, lang) or country_names(lang).get(fold(w))
    if code is None:
        entry = actor_index(lang).lookup(w, source=False)
        code = entry.country if entry is not None and entry.type == "state" else None
    if code:
        return english_adjective(code) or w
    return w


def _is_minister(m: re.Match[str]) -> bool:
    """Whether a match of ``_ministry_regex`` names a minister (its q* groups), not a ministry."""
    return any(v for k, v in m.groupdict().items() if v and k[0] == "q")


def _ministry(m: re.Match[str], lang: str, portfolios: dict[str, str]) -> Source:
    portfolio = next(
        (portfolios[v.lower()] for k, v in m.groupdict().items() if v and k[0] in "pcq"), ""
    )
    whose = _whose(m.group("whose"), lang) or _whose(m.group("place"), lang)
    office = f"{portfolio} {'Minister' if _is_minister(m) else 'Ministry'}"
    name = f"{whose} {office}" if whose else office
    return name, m.start(), m.end(), True


def _ministry_at(scan: Scan, pos: int, limit: int) -> Source | None:
    """'het Libanese ministerie van Volksgezondheid' starting at ``pos``."""
    compiled = _ministry_regex(scan.lex.lang)
    if compiled is None or "minist" not in scan.doc.text[pos : pos + 80].lower():
        return None
    text = scan.doc.text
    m = compiled[0].match(text, pos, limit)
    if m is None:
        return None
    if _is_minister(m) and _PERSON.match(text, m.end() + 1, limit):
        return None  # "minister van Binnenlandse Zaken Ali Yerlikaya": the person speaks
    return _ministry(m, scan.lex.lang, compiled[1])


def _ministry_before(scan: Scan, end: int, floor: int) -> Source | None:
    """'… Lebanon's health ministry' ending at ``end``."""
    compiled = _ministry_regex(scan.lex.lang)
    text = scan.doc.text
    lo = max(floor, end - 90)
    if compiled is None or "minist" not in text[lo:end].lower():
        return None
    for m in compiled[0].finditer(text, lo, end):
        if m.end() == end:
            return _ministry(m, scan.lex.lang, compiled[1])
    return None


# A person's name: two to four capitalised words, Arabic particles allowed ("Abu Mohammed
# al-Jolani"); other lower-case words end it ("Wopke Hoekstra van Buitenlandse Zaken").
_PERSON = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'\-]+(?:[ \t]+(?:(?:al|el|bin|ibn|abu|bint)[ \t]+)?"
    r"(?:(?:al|el|ad|as|ash|ar|az|ez|an)-)?[A-ZÀ-ÖØ-Þ][\w’'\-]+){1,3}"
)
_ARTICLE = re.compile(r"(?:the|de|het)[ \t]+", re.IGNORECASE)
_OFFICE_THEN_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w’'\-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w’'\-]+){0,2},[ \t]+")
_OF = re.compile(r"[ \t]+(?:van|of|for|voor)[ \t]+", re.IGNORECASE)


def _canonical(lang: str, name: str, start: int, end: int) -> Source:
    """A name as a source: the dictionary's English name where it knows it ("Joeri Malasjko"
    → "Yurii Malashko"), else as written."""
    entry = actor_index(lang).lookup(name, source=True)
    if entry is not None:
        return entry.name, start, end, True
    return name, start, end, False


def _person_at(scan: Scan, pos: int, limit: int) -> Source | None:
    """'minister Wopke Hoekstra van Buitenlandse Zaken', 'minister van Binnenlandse Zaken Ali
    Yerlikaya', 'ombudsman Dmytro Lubinets': the person after a title, without the office."""
    text, lex = scan.doc.text, scan.lex
    article = _ARTICLE.match(text, pos, limit)  # "meldt de burgemeester van Cali, …"
    title = lex.person_titles.match_at(text, article.end() if article else pos)
    if title is None:
        return None
    p = title.end
    while True:  # "Lieutenant General Ahmed Sharif Chaudhry": titles in a row
        q = p
        while q < limit and text[q] in " \t":
            q += 1
        more = lex.person_titles.match_at(text, q)
        if more is None or more.end > limit:
            break
        p = more.end
    of = _OF.match(text, p, limit)
    compiled = _ministry_regex(lex.lang)
    if of and compiled:
        portfolio = max(
            (k for k in compiled[1] if text[of.end() : of.end() + len(k)].lower() == k),
            key=len,
            default=None,
        )
        if portfolio:
            p = of.end() + len(portfolio)
    if of and p < of.end():
        # "de burgemeester van Cali, Alejandro Eder": the office's place, then the person.
        office = _OFFICE_THEN_NAME.match(text, of.end(), limit)
        if office:
            p = office.end()
    while p < limit and text[p] in " \t":
        p += 1
    m = _PERSON.match(text, p, limit)
    if m is None or m.group().split()[0].lower() in lex.stopwords:
        return None
    return _canonical(lex.lang, m.group(), m.start(), m.end())


_WORD_AND_SPACE = re.compile(r"[\w’'\-]+\s+")


def _source_at(scan: Scan, pos: int, limit: int) -> Source | None:
    """A source name that starts at ``pos`` (after titles and determiners)."""
    text, lex = scan.doc.text, scan.lex
    index = actor_index(lex.lang)
    while pos < limit and text[pos] in ' \t"“':
        pos += 1
    ministry = _ministry_at(scan, pos, limit)
    if ministry:
        return ministry
    person = _person_at(scan, pos, limit)
    if person:
        return person
    pronoun = lex.source_pronouns.match_at(text, pos)
    if pronoun:  # "volgens hem": whoever the paragraph named before
        return CARRY, pronoun.start, pronoun.end, True
    for _ in range(4):
        while pos < limit and text[pos] in ' \t"“':
            pos += 1
        generic = lex.generic_sources.match_at(text, pos)
        if generic is None:
            # "de Somalische politie", "het regionale ziekenhuis": an adjective, then a source.
            word = _WORD_AND_SPACE.match(text[pos:limit])
            if word:
                generic = lex.generic_sources.match_at(text, pos + word.end())
        hit = index.regex.match(text, pos)
        if hit and not generic:
            after = lex.generic_sources.match_at(text, hit.end() + 1)
            if after is not None and demonym_country(hit.group(), lex.lang):
                generic = after  # "de Nigerese regering": a generic source with its owner
        if hit and (not generic or hit.end() >= generic.end):
            entries = index.by_alias[hit.group()]
            entry = next((e for e in entries if e.is_source), entries[0])
            named = _named_after(scan, hit.end(), limit) if entry.type == "state" else None
            return named or _institution(scan, entry, hit.start(), hit.end())
        if generic:
            return _named_after(scan, generic.end, limit) or _qualified(scan, generic, pos)
        prefix = lex.name_prefixes.match_at(text, pos)
        if prefix and prefix.end < limit:
            pos = prefix.end
            continue
        break
    m = _CAP_NAME.match(text, pos, limit)
    if m and m.group().lower() not in lex.stopwords and not _calendar(lex, m.group()):
        name = m.group().rstrip(".")
        return name, m.start(), m.start() + len(name), False
    return _named_further_on(scan, pos, limit) or _description_at(scan, pos, limit)


# After a cue and the name prefixes ("volgens de in Londen gevestigde" + "organisatie").
_DESCRIPTION = re.compile(r"(?:(?:the|a|an|de|het|een)[ \t]+)?((?:[\w’'\-]+[ \t]+){0,4}?[\w\-]+)\b")


def _description_at(scan: Scan, pos: int, limit: int) -> Source | None:
    """'volgens de in Londen gevestigde organisatie': an organisation described, not named;
    ``attribute`` puts the name the report gives it in its place, or drops it."""
    for m in _DESCRIPTION.finditer(scan.doc.text, pos, min(limit, pos + 80)):
        if m.start() != pos:
            break
        if _describes_organisation(scan.lex, m.group(1)):
            return DESCRIBED, m.start(1), m.end(1), False
    return None


def _describes_organisation(lex: Lexicon, phrase: str) -> bool:
    words = phrase.lower().split()
    if not words or words[-1] in lex.stopwords:
        return False
    head = words[-1]
    # Languages that write compounds count them by their last part: "hulporganisatie".
    return head in lex.organisation_nouns or (
        lex.compounds
        and any(head.endswith(n) and len(head) > len(n) + 2 for n in lex.organisation_nouns)
    )


def _armed_description(lex: Lexicon, phrase: str) -> bool:
    return not lex.armed_descriptions.isdisjoint(phrase.lower().split())


def _calendar(lex: Lexicon, name: str) -> bool:
    """'said Monday', 'zei maandag': a day or month is no source."""
    return name.split()[0].lower().rstrip(".") in calendar_words(lex.lang)


def _named_after(scan: Scan, end: int, limit: int) -> Source | None:
    """'de Israëlische hulpdienst Magen David Adom', 'the rights group OVD-Info': the name
    that follows a description is the source."""
    text, lex = scan.doc.text, scan.lex
    if end >= limit or text[end : end + 1] not in " \t":
        return None
    for hit in actor_index(lex.lang).find(text, end, min(limit, end + 60)):
        # "de Israëlische hulpdienst Magen David Adom": a source of the dictionary a word on.
        entry = hit.best(source=True)
        gap = [w.lower() for w in text[end : hit.start].split()]
        if entry.is_source and (
            not gap
            or (len(gap) == 1 and gap[0] not in lex.addressees and gap[0] not in lex.stopwords)
        ):
            return entry.name, hit.start, hit.end, True
        break
    m = _CAP_NAME.match(text, end + 1, limit)
    if m is None or m.group().split()[0].lower() in lex.stopwords or _calendar(lex, m.group()):
        return None
    name = m.group().rstrip(".")
    entry = actor_index(lex.lang).lookup(name, source=True)
    if entry is not None and not entry.is_source and entry.type == "state":
        return None  # "de Israëlische regering Netanyahu"? a state is no name of the body
    return (entry.name if entry else name), m.start(), m.start() + len(name), entry is not None


_CLAUSE_STOP = re.compile(r"[,;:.()]")
_NON_SPACE = re.compile(r"\S+")


def _named_further_on(scan: Scan, pos: int, limit: int) -> Source | None:
    """'de door de Houthi's gecontroleerde zender Al-Masirah', 'een panel van VN-experts':
    a source of the dictionary a few words into the phrase, before any comma."""
    text, lex = scan.doc.text, scan.lex
    stop = _CLAUSE_STOP.search(text[pos:limit])
    end = pos + stop.start() if stop else limit
    # "een lokale leider aan persbureau AFP", "an army source told AFP": whom it was told
    # to is no source.
    words = _NON_SPACE.finditer(text[pos:end])
    word = next((w for w in words if w.group().lower() in lex.told_to), None)
    if word is not None:
        end = pos + word.start()
    # The name must start within a few words; once started it runs to its end.
    starts_by = min(end, pos + 60)
    for hit in actor_index(scan.lex.lang).find(text, pos, end):
        if hit.start >= starts_by:
            break
        entry = hit.best(source=True)
        if entry.is_source:
            return entry.name, hit.start, hit.end, True
    # "according to the opposition National Unity Government": a name of two words or more.
    name = _LONG_NAME.search(text, pos, end)
    if (
        name
        and name.start() < starts_by
        and name.group().split()[0].lower() not in scan.lex.stopwords
    ):
        return name.group(), name.start(), name.end(), False
    return None


_LONG_NAME = re.compile(
    r"[A-ZÀ-ÖØ-Þ][\w’'\-]*(?:[ \t]+(?:(?:of|for|the|and|on)[ \t]+)*[A-ZÀ-ÖØ-Þ][\w’'\-]*)+"
)


def _institution(scan: Scan, entry: ActorEntry, start: int, end: int) -> Source:
    """A dictionary name as a source. A state's forces or government speak as themselves:
    "het Iraakse leger" (an alias of Iraq) → "Iraqi army", "the Israeli military" →
    "Israeli military", not the state's name."""
    lex = scan.lex
    if entry.type == "state" and entry.country:
        generic = lex.generic_sources.match_ending_at(scan.doc.text, end, window=end - start)
        adjective = english_adjective(entry.country)
        if generic is not None and generic.start > start and adjective:
            label = generic.label
            if lex.data["attribution"].get("keep_qualifier"):
                words = scan.doc.text[generic.start : generic.end].split()
                label = " ".join(words[-len(label.split()) :])
            return f"{adjective} {label}", start, end, True
    return entry.name, start, end, True


_APPOSITIVE = re.compile(
    r"([A-ZÀ-ÖØ-Þ][\w’'\-.]*(?:[ \t]+(?:(?:of|for|the|on)[ \t]+)?[A-ZÀ-ÖØ-Þ][\w’'\-.]*)*),"
    r"[ \t]+(?:a|an|the|een|de|het)[ \t]+[a-z][^,.;:]{0,60}?,[ \t]*$"
)
_QUALIFIER = re.compile(r"([A-Za-zÀ-ÿ][\w’'\-]*)\s+$")


def _qualified(scan: Scan, generic: Match, floor: int) -> Source:
    """'the Iraqi military', 'hospital officials': a generic source with the word that says
    whose it is, kept as written where the language's sources are cited as written."""
    text, lex = scan.doc.text, scan.lex
    owner = _place_owner(scan, generic.end)
    if owner is not None:
        # "het ziekenhuis van Bukavu" → "Bukavu hospital", "de gouverneur van het departement
        # Cauca" → "Cauca governor".
        return f"{owner.name} {generic.label}", generic.start, owner.name_end, True
    m = _QUALIFIER.search(text, max(floor, generic.start - 30), generic.start)
    code = demonym_country(m.group(1), lex.lang) if m and m.group(1)[0].isupper() else None
    adjective = english_adjective(code) if code else None
    if m and adjective:
        # "het Iraakse leger" → "Iraqi army", "de Oekraïense noodhulpdienst" → "Ukrainian
        # emergency service": whose it is, in English.
        label = generic.label
        if lex.data["attribution"].get("keep_qualifier"):
            label = " ".join(text[generic.start : generic.end].split()[-len(label.split()) :])
        return f"{adjective} {label}", m.start(1), generic.end, True
    if m and (m.group(1).lower() in lex.number_words or m.group(1).isdigit()):
        # "two security sources", "four witnesses": how many spoke is not who.
        return generic.label, generic.start, generic.end, True
    if m and re.search(r"['’]s$", m.group(1)):
        # "Ecuador's military" → "Ecuadorian military".
        whose = _whose(m.group(1), lex.lang)
        if whose:
            tail = text[generic.start : generic.end].split()
            if tail[0].lower() in ("the", "de", "het", "a", "an"):
                tail = tail[1:]
            return f"{whose} {' '.join(tail)}", m.start(1), generic.end, True
    if lex.data["attribution"].get("keep_qualifier") and (
        m
        and m.group(1).lower() not in lex.stopwords
        and not scan.predicates.within(m.start(1), m.end(1))
    ):
        words = text[m.start(1) : generic.end].split()
        if words[1].lower() in ("the", "de", "het", "a", "an"):
            words = words[:1] + words[2:]
        start = m.start(1)
        # "a Yemeni government official", "a U.S. defence official": whose, one word back.
        prev = re.search(r"([A-ZÀ-ÖØ-Þ][\w.’'\-]*)[ \t]+$", text[max(floor, start - 25) : start])
        if prev:
            word = prev.group(1)
            code = demonym_country(word, lex.lang)
            whose = english_adjective(code) if code else None
            if whose is None and re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,5}", word):
                whose = word  # "U.S.", "UN"
            if whose:
                words.insert(0, whose)
                start = max(floor, start - 25) + prev.start(1)
        return " ".join(words), start, generic.end, True
    return generic.label, generic.start, generic.end, True


_ROLE_AT_END = re.compile(
    r"(?:^|[\s,])(?:the|a|an|de|het|een)\s+((?:[\w.’'\-]+\s+){0,4}[a-z][\w\-]*)$"
)


def _source_before(scan: Scan, end: int, floor: int) -> Source | None:
    """A source name that ends just before ``end`` ("President Poetin zei", "police said")."""
    text, lex = scan.doc.text, scan.lex
    index = actor_index(lex.lang)
    pos = end
    while pos > floor and text[pos - 1] in " \t,":
        pos -= 1
    auxiliary = re.search(r"(\w+)$", text[max(floor, pos - 12) : pos])
    if auxiliary and auxiliary.group(1).lower() in lex.passive_auxiliaries:
        return None  # "are registered as refugees": a passive verb has no source before it
    ministry = _ministry_before(scan, pos, floor)
    if ministry:
        return ministry
    owned = _owned_before(scan, pos, floor)
    if owned:
        return owned
    pronoun = lex.source_pronouns.match_ending_at(text, pos, window=30)
    if pronoun is not None and pronoun.start >= floor and pronoun.end == pos:
        return CARRY, pronoun.start, pronoun.end, True  # "the group said"
    tail = text[max(floor, end - 4) : end].rstrip()
    appositive = _APPOSITIVE.search(text, max(floor, end - 120), end) if tail[-1:] == "," else None
    if appositive and appositive.group(1).split()[0].lower() not in lex.stopwords:
        # "the Madani Resistance Committee, a local activist group, said": the name.
        return _canonical(lex.lang, appositive.group(1), appositive.start(1), appositive.end(1))
    generic = lex.generic_sources.match_ending_at(text, pos, window=40)
    if generic and generic.start < floor:
        generic = None
    for hit in reversed(index.find(text, max(floor, pos - 80), pos)):
        # "the Magen David Adom emergency service said": a named body, then what it is.
        named_body = (
            generic is not None
            and hit.best(source=True).is_source
            and hit.end <= generic.start
            and not text[hit.end : generic.start].strip()
        )
        close = hit.end == pos or scan.tokens_between(hit.end, pos) <= 1 or named_body
        # "the Israeli military said": the longer name wins over a generic "military".
        qualifies = generic is not None and hit.end <= generic.start and not named_body
        if close and not qualifies and (generic is None or hit.start <= generic.start):
            return _body_in(scan, hit, floor) or _institution(
                scan, hit.best(source=True), hit.start, hit.end
            )
        break
    if generic:
        return _qualified(scan, generic, floor)
    m = _CAP_NAME_AT_END.search(text[floor:pos])
    if m:
        name = m.group(1)
        start = floor + m.start(1)
        person = _person_at(scan, start, pos)  # "Mayor Vitali Klitschko said"
        if person is None:
            # "Interior Minister Mohsin Naqvi said", "Lebanese Health Minister Firass Abiad
            # said": the office's words before the title are no part of the name.
            for word in _WORD.finditer(text, start, pos):
                title = lex.person_titles.match_at(text, word.start())
                if title is not None and word.start() > start:
                    person = _person_at(scan, word.start(), pos)
                    break
        if person is not None:
            return person
        # "The International Rescue Committee said": the article opens the sentence, not
        # the name.
        first = name.split(maxsplit=1)
        if len(first) == 2 and first[0].lower() in lex.stopwords:
            start += name.index(first[1])
            name = first[1]
        # A name at the start of the sentence that is no source: "Police" is, "The" is not.
        if name.lower() not in lex.stopwords and not _calendar(lex, name):
            body = re.search(r"[ \t](?:in|for)[ \t]", name)
            known = _known_body(scan, start, start + body.start()) if body else None
            return known or (name, start, start + len(name), False)
    # "the regional governor said": an unnamed role, cited as the words that name it.
    # "the North Kivu governor's office said", "the Moscow-installed mayor said": the role
    # ends in a lower-case noun; "the U.N. human rights monitoring mission" is the U.N.'s.
    role = _ROLE_AT_END.search(text[max(floor, pos - 70) : pos])
    if role:
        words = role.group(1).split()
        start = pos - len(role.group(1))
        crosses = any(p.end > start for p in scan.predicates.before(pos, max(0, start - 40)))
        if not any(w.lower() in lex.stopwords for w in words) and not crosses:
            for hit in index.find(text, start, pos):
                entry = hit.best(source=True)
                if entry.is_source:
                    return entry.name, start, pos, True
            return role.group(1), start, pos, False
    return None


# "The U.N. Human Rights Monitoring Mission in": a capitalised name, then "in" or "for".
_NAME_IN = re.compile(r"((?:[A-Z][\w.’'\-]*[ \t]+){2,7})(?:in|for)[ \t]+$")


def _body_in(scan: Scan, hit: ActorMention, floor: int) -> Source | None:
    """'The U.N. Human Rights Monitoring Mission in Ukraine said': a country after "in" ends
    a body's name; the body is the source, not the country."""
    entry = hit.best(source=True)
    if entry.is_source or entry.type not in ("state", "external"):
        return None
    m = _NAME_IN.search(scan.doc.text, max(floor, hit.start - 90), hit.start)
    if m is None:
        return None
    start = m.start(1)
    first = m.group(1).split(maxsplit=1)[0]
    if first.lower() in scan.lex.stopwords:  # "The": the article opens the sentence
        start += len(first) + 1
    return _known_body(scan, start, m.end(1)) or (
        scan.doc.text[start : hit.end],
        start,
        hit.end,
        False,
    )


def _known_body(scan: Scan, start: int, end: int) -> Source | None:
    """'Doctors Without Borders in Sudan': a dictionary source that is the whole name
    before "in" is the source by its own name."""
    name_end = start + len(scan.doc.text[start:end].rstrip())
    for inner in actor_index(scan.lex.lang).find(scan.doc.text, start, name_end):
        entry = inner.best(source=True)
        if entry.is_source and inner.start == start and inner.end == name_end:
            return _institution(scan, entry, inner.start, inner.end)
    return None


def _sentence_sources(scan: Scan, s_start: int, s_end: int) -> list[tuple[Match, Source]]:
    found: list[tuple[Match, Source]] = []
    before_cues = scan.attr_before.within(s_start, s_end)
    after_cues = {(c.start, c.end) for c in scan.attr_after.within(s_start, s_end)}
    seen: set[tuple[int, int]] = set()
    text = scan.doc.text
    for cue in before_cues:
        src = _source_at(scan, cue.end, s_end)
        if src is None and cue.end - cue.start > 1:
            # "Dat maakte minister Hoekstra dinsdag bekend": the source inside a split cue.
            first = text[cue.start : cue.end].split(maxsplit=1)[0]
            src = _source_at(scan, cue.start + len(first), cue.end)
        if (cue.start, cue.end) in after_cues and (
            src is None or src[0] == CARRY or len(text[cue.end : src[1]].split()) > 4
        ):
            # "The army said it …": the subject before the verb is the source, and it wins
            # over a name deep in the clause ("MSF said 70 were taken to the South Hospital").
            src = _source_before(scan, cue.start, s_start) or src
        if src:
            found.append((cue, src))
        seen.add((cue.start, cue.end))
    for cue in scan.attr_after.within(s_start, s_end):
        if (cue.start, cue.end) in seen:
            continue
        src = _source_before(scan, cue.start, s_start)
        if src:
            found.append((cue, src))
    return found


@cache
def _english_portfolios() -> frozenset[str]:
    """Every portfolio as the names give it in English ("Health", "Emergency Situations")."""
    from sitrep.lexicon import available_languages

    out: set[str] = set()
    for lang in available_languages():
        compiled = _ministry_regex(lang)
        if compiled is not None:
            out.update(compiled[1].values())
    return frozenset(out)


def ministry_parts(name: str) -> tuple[str, str] | None:
    """("Lebanese", "Health") of "Lebanese Health Ministry", ("", "Health") of "health
    ministry", ("", "") of "ministry"; None for a name that is no ministry."""
    words = name.split()
    if not words or words[-1].lower() != "ministry":
        return None
    english = _english_portfolios()
    rest = words[:-1]
    for n in (2, 1):
        cand = " ".join(rest[-n:]).title()
        if len(rest) >= n and cand in english:
            return " ".join(rest[:-n]), cand
    return " ".join(rest), ""


class _Named:
    """The institutions a report has named in full so far, so that a later bare "the
    ministry" or "volgens het ministerie" gets the full name."""

    def __init__(self) -> None:
        self.ministries: dict[str, str] = {}

    def resolve(self, src: Source) -> Source:
        parts = ministry_parts(src[0])
        if parts is None:
            return src
        whose, portfolio = parts
        if whose:
            self.ministries[portfolio] = self.ministries[""] = src[0]
            return src
        known = self.ministries.get(portfolio) if portfolio else self.ministries.get("")
        if known:
            return (known, src[1], src[2], src[3])
        if portfolio:  # "the defence ministry", then "the ministry": the same one
            self.ministries.setdefault(portfolio, src[0])
            self.ministries.setdefault("", src[0])
        return src


def attribute(scan: Scan, drafts: list[Draft]) -> None:
    """Set ``source`` of each draft from its sentence, else from its paragraph so far."""
    carried: dict[int, Source] = {}
    ministries = _Named()
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.sentence.index, []).append(d)
    backward = scan.lex.attribution_backward
    generic_labels = set(scan.lex.data["attribution"]["generic_sources"].values())
    last_named: Source | None = None  # the report's last source named by name
    # Organisations the report names, in order, and whether each is an armed group: what a
    # description ("the medical charity", "the jihadist group") stands for.
    organisations: list[tuple[int, str, bool]] = []
    for a in scan.actors:
        if a.start < 100 and scan.doc.text[a.end : a.end + 3].lstrip(" /").startswith(")"):
            continue  # "KHARTOUM (Reuters) -": the agency that filed the report
        entry = a.best(source=True)
        if entry.is_source and entry.type != "person":
            organisations.append((a.start, entry.name, False))
        elif entry.type in _ARMED_TYPES:
            organisations.append((a.start, entry.name, True))
    for s in scan.doc.sentences:
        # "the group said", "volgens hem": whoever the paragraph named before, else the
        # last source the report named by name.
        earlier = carried.get(s.paragraph) or last_named
        found = []
        for cue, src in _sentence_sources(scan, s.start, s.end):
            if src[0] != CARRY:
                found.append((cue, ministries.resolve(src)))
                continue
            # "drie hulpverleners van de Palestijnse Rode Halve Maan … meldt de organisatie":
            # an organisation the sentence named before the pronoun.
            own = [
                a for a in scan.actors.within(s.start, cue.start) if a.best(source=True).is_source
            ]
            if own:
                a = own[-1]
                found.append((cue, (a.best(source=True).name, a.start, a.end, True)))
            elif earlier is not None:
                found.append((cue, earlier))
        for _, src in found:
            if src is not None and src[0] not in generic_labels and src[0][:1].isupper():
                last_named = src
                organisations.append((src[1], src[0], False))
        ds = by_sentence.get(s.index, [])
        if found and backward and backward.match(scan.doc.text, s.start) and s.index > 0:
            # "Dat meldt het SOHR.": the source of the sentence before.
            prev = scan.doc.sentences[s.index - 1]
            if prev.paragraph == s.paragraph:
                for d in by_sentence.get(prev.index, []):
                    if "source" not in d.cues:
                        d.source = found[0][1]
                        d.cues["source"] = (found[0][1][1], found[0][1][2])
        for d in ds:
            if found:
                cue, src = min(
                    found, key=lambda cs: scan.distance(d.anchor, (cs[0].start, cs[0].end))
                )
                d.source = src
                d.cues["source"] = (min(cue.start, src[1]), max(cue.end, src[2]))
            elif s.paragraph in carried:
                d.source = carried[s.paragraph]
                d.cues["source"] = (d.source[1], d.source[2])
        if found:
            carried[s.paragraph] = found[-1][1]
    # "Zeker 24 mensen kwamen om. Ruim veertig raakten gewond, meldt de politie.": a
    # paragraph that cites one source for its figures cites it for those before it too.
    by_paragraph: dict[int, list[Draft]] = {}
    for d in drafts:
        by_paragraph.setdefault(d.sentence.paragraph, []).append(d)
    for ds in by_paragraph.values():
        cited = {d.source[0] for d in ds if d.source is not None}
        if len(cited) != 1:
            continue
        first = next(d for d in ds if d.source is not None)
        if first.cues["source"][0] < first.number.start:
            continue  # "Volgens X raakten 30 mensen gewond": X speaks for that sentence only
        for d in ds:
            if d.source is None and d.sentence.index < first.sentence.index:
                d.source = first.source
                d.cues["source"] = first.cues["source"]
    # "…, Smirnov said": the surname of a person the report names in full.
    for d in drafts:
        if (
            d.source is not None
            and not d.source[3]  # a dictionary name is whole already
            and re.fullmatch(r"[A-ZÀ-ÖØ-Þ][\w’'-]+", d.source[0])
        ):
            full = re.search(
                rf"(?:[A-ZÀ-ÖØ-Þ][\w’'-]+[ \t]+){{1,2}}{re.escape(d.source[0])}\b", scan.doc.text
            )
            if full and not _calendar(scan.lex, full.group()):
                words = full.group().split()
                while words and words[0].lower() in scan.lex.stopwords:
                    words.pop(0)
                if len(words) > 1:
                    name = _canonical(scan.lex.lang, " ".join(words), 0, 0)[0]
                    d.source = (name, d.source[1], d.source[2], d.source[3])
    organisations.sort()
    # "De politie arresteerde twee verdachten": who made an arrest reports it.
    for d in drafts:
        cue = d.kind_cue
        if d.source is None and d.kind == "arrested" and cue and cue.end <= d.number.start:
            # The subject before the verb, or after it ("arresteerde de politie zes …").
            for agent in (
                _source_before(scan, cue.start, d.sentence.start),
                _source_at(scan, cue.end, d.number.start),
            ):
                if agent is not None and (agent[3] or agent[0] in generic_labels):
                    d.source = agent
                    d.cues["source"] = (agent[1], agent[2])
                    break
    # "Volgens het leger …" after "Het Israëlische leger zette … in": the army named before.
    bodies = _qualified_bodies(scan)
    for d in drafts:
        if d.source is not None and d.source[0] in NATIONAL_BODIES:
            earlier = [
                name for pos, label, name in bodies if label == d.source[0] and pos < d.source[1]
            ]
            if earlier:
                d.source = (earlier[-1], d.source[1], d.source[2], d.source[3])
    for d in drafts:
        if d.source is not None and (
            d.source[0] == DESCRIBED
            or (
                d.source[0][:1].islower()
                and d.source[0] not in generic_labels  # "monitoring group" is cited as such
                and _describes_organisation(scan.lex, d.source[0])
            )
        ):
            name = _named_organisation(scan, d.source, organisations)
            if name:
                d.source = (name, d.source[1], d.source[2], True)
            elif d.source[0] == DESCRIBED:
                d.source = None
                d.cues.pop("source", None)
    roles: dict[str, str | None] = {}
    for d in drafts:
        if d.source is not None and d.source[0][:1].islower():
            role = d.source[0]
            if role not in roles:
                roles[role] = _named_role(scan, role)
            name = roles[role]
            if name:
                d.source = (name, d.source[1], d.source[2], d.source[3])


# Generic sources that are a state's own: "the army" is some state's army.
NATIONAL_BODIES = frozenset({"government", "police", "army", "military", "security forces"})


_JOINING_WORD = re.compile(r"[ \t]+(\w+)[ \t]+")


def _place_owner(scan: Scan, end: int) -> PlaceMention | None:
    """The place a generic source belongs to, named right after it: "van Bukavu", "of the
    province of Cauca" (lexicon ``place_owner``: the words that join them)."""
    text = scan.doc.text
    m = _JOINING_WORD.match(text, end, end + 20)
    if m is None or m.group(1).lower() not in scan.lex.place_owner:
        return None
    after = m.end()
    for p in scan.places.within(after, after + 40):
        # Up to an article and the kind of place between: "van het departement Cauca".
        if (
            p.resolved is not None
            and p.start >= after
            and len(text[after : p.name_start].split()) <= 2
        ):
            return p
        break
    return None


_WORD = re.compile(r"\w+")


def _owned_before(scan: Scan, end: int, floor: int) -> Source | None:
    """'Het ziekenhuis van Bukavu meldt', 'the governor of Kherson region said': a generic
    source and the place it belongs to, ending just before the cue."""
    text, lex = scan.doc.text, scan.lex
    for p in scan.places.within(max(floor, end - 60), end):
        if p.end != end and p.name_end != end:
            continue
        # The joining word, with up to an article and a kind of place after it.
        words = list(_WORD.finditer(text, max(floor, p.name_start - 40), p.name_start))[-3:]
        joint = next((w for w in reversed(words) if w.group().lower() in lex.place_owner), None)
        if joint is None:
            continue
        generic = lex.generic_sources.match_ending_at(text, joint.start() - 1, window=40)
        if generic is not None and generic.start >= floor and generic.end == joint.start() - 1:
            return f"{p.name} {generic.label}", generic.start, end, True
    return None


def _qualified_bodies(scan: Scan) -> list[tuple[int, str, str]]:
    """Where the report names a state's body ("het Israëlische leger", "Nigerian police"):
    position, the generic label and the name ``_institution`` gives it, in text order."""
    text, lex = scan.doc.text, scan.lex
    out: list[tuple[int, str, str]] = []
    for a in scan.actors:
        entry = a.best(source=False)
        if entry.type != "state" or not entry.country:
            continue
        # The body inside the name ("Israëlische leger") or right after it ("Nigerian police").
        end = a.end
        generic = lex.generic_sources.match_ending_at(text, end, window=end - a.start)
        if generic is None or generic.start == a.start:
            at = a.end
            while at < len(text) and text[at] in " \t":
                at += 1
            generic = lex.generic_sources.match_at(text, at) if at > a.end else None
            end = generic.end if generic is not None else end
        if generic is not None and generic.label in NATIONAL_BODIES:
            name = _institution(scan, entry, a.start, end)[0]
            if name != entry.name:  # qualified: the state has an English adjective
                out.append((a.start, generic.label, name))
    return out


_ARMED_TYPES = frozenset({"rebel", "political_militia", "identity_militia"})


def _named_organisation(
    scan: Scan, src: Source, organisations: list[tuple[int, str, bool]]
) -> str | None:
    """The organisation a description stands for: an armed description, the armed group
    named last before it; any other, the organisation named last before it in its paragraph
    or the one before, else the first named in the next paragraph ("a medical charity
    said … Doctors Without Borders said")."""
    text = scan.doc.text
    at = src[1]
    if _armed_description(scan.lex, text[at : src[2]]):
        armed = [name for pos, name, is_armed in organisations if is_armed and pos < at]
        return armed[-1] if armed else None
    para = scan.sentence_of(at).paragraph
    before = [
        name
        for pos, name, is_armed in organisations
        if not is_armed and pos < at and scan.sentence_of(pos).paragraph >= para - 1
    ]
    if before:
        return before[-1]
    after = [
        name
        for pos, name, is_armed in organisations
        if not is_armed and pos > src[2] and scan.sentence_of(pos).paragraph <= para + 1
    ]
    return after[0] if after else None


_NAME_WORDS = r"(?:(?:al|el|bin|ibn|abu)[- ])?[A-ZÀ-ÖØ-Þ][\w’'-]+"


def _named_role(scan: Scan, role: str) -> str | None:
    """'the regional governor said' where the report names him elsewhere ('Belgorod governor
    Vyacheslav Gladkov', 'Anis al-Asbahi, a spokesman for the ministry'): the name."""
    head = role.split()[-1]
    if len(head) < 4:
        return None
    text, lex = scan.doc.text, scan.lex
    name = rf"({_NAME_WORDS}(?:[ \t]+{_NAME_WORDS}){{1,3}})"
    role_word = rf"(?i:{re.escape(head)})"
    appositive = rf",[ \t]+(?:the|a|an|de|het|een)[ \t]+(?:[\w-]+[ \t]+){{0,3}}{role_word}\b"
    titled = re.compile(rf"\b{role_word}[ \t]+{name}")
    if re.match(r"\w", head):
        # Before a word "\b" is a non-word character: the scan skips to those.
        after_gap = re.compile(rf"\W{role_word}[ \t]+{name}")
        found_titled = scan_after_gaps(titled, text, after_gap, text, 0, len(text))
        titles: Iterator[re.Match[str]] = (m for _, _, m in found_titled)
    else:
        titles = titled.finditer(text)

    def appositions() -> Iterator[re.Match[str]]:
        # "Anis al-Asbahi, a spokesman for the ministry, said": the appositive is closed by
        # a comma ("Debre Markos, the doctor said" is no appositive). It tries a name at
        # every capital, so it runs only where the comma and the role word are there at all.
        if re.search(appositive, text):
            yield from re.finditer(
                rf"{name}{appositive}(?:[ \t]+(?:of|for|at|in|van|bij)[ \t]+[^,.;]{{1,40}})?,",
                text,
            )

    for m in chain(titles, appositions()):
        found = m.group(1)
        if found.split()[0].lower() in lex.stopwords or _calendar(lex, found):
            continue
        return _canonical(lex.lang, found, 0, 0)[0]
    return None
