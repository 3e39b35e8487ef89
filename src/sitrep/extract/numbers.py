"""Number phrases: digits, number words, vague counts, qualifiers and ranges.

``NumberParser(lexicon).find(text, start, end)`` returns every number phrase in a span with
its value and bounds under the gold rules (``more than 20`` → best 21, low 21; ``nearly
10,000`` → best 10000, high 9999; ``dozens`` → 24, vague). It never raises on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.lexicon import Lexicon, load_lexicon, pattern_to_regex, scan_after_gaps

_DIGITS = (
    r"(?<![\w.,])(?<![A-Za-z]-)"
    r"(?:\d{1,3}(?:[.,\u00a0\u202f]\d{3})+(?![\d])|\d+(?:[.,]\d+)?)"
    r"(?![\w])(?![.,]\d)"
)

_GROUPED_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_DECIMAL = re.compile(r"\d+[.,]\d+")
_TOKEN = re.compile(r"[^\s-]+")
_FIRST_WORD = re.compile(r"(\S+)\s+")


@dataclass(slots=True)
class NumberPhrase:
    """A number phrase; ``start``/``end`` cover its qualifier, ``num_start`` the numeral."""

    start: int
    end: int
    num_start: int
    text: str
    value: float
    best: int
    low: int | None
    high: int | None
    qualifier: str
    qualifier_span: tuple[int, int] | None = None
    vague: bool = False
    single: bool = False


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float
    vague: bool
    approximate: bool = False


def _alts(words: list[str]) -> str:
    return "|".join(pattern_to_regex(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


class NumberParser:
    """Finds number phrases in the text of one language."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lex = lexicon
        words = dict(lexicon.number_words)
        morphemes = [
            re.escape(w) for w in sorted({*words, *lexicon.joiners}, key=lambda w: (-len(w), w))
        ]
        self._morpheme = re.compile("|".join(morphemes), re.IGNORECASE)
        word = f"(?:{'|'.join(morphemes)})+"
        sep = r"(?:\s+|-|\s+and\s+)" if "and" not in lexicon.joiners else r"(?:\s+|-)"
        scale = _alts(list(lexicon.scale_words))
        articles = _alts(list(lexicon.article_ones))
        vague = _alts(list(lexicon.vague))
        halves = lexicon.data["numbers"].get("halves", [])
        # "half a million", "een half miljoen": half of the scale word.
        half = rf"(?P<half>(?<!\w)(?:{_alts(halves)})\s+(?:{scale})(?!\w))|" if halves else ""
        atoms = (
            rf"{half}(?P<vague>(?<!\w)(?:{vague})(?!\w))"
            rf"|(?P<dig>{_DIGITS}(?:\s*(?:{scale})(?!\w))?)"
            rf"|(?P<word>(?<![\w-])(?:(?:{articles})\s+(?=(?:{scale})(?!\w)))?"
            rf"{word}(?:{sep}{word})*(?![\w-]))"
        )
        self._atoms = re.compile(atoms, re.IGNORECASE)
        # Each kind of atom starts after a non-word character: see ``scan_after_gaps``.
        self._atoms_after_gap = re.compile(rf"\W(?:{atoms})", re.IGNORECASE)
        self._scale_tail = re.compile(rf"\s*(?P<scale>{scale})$", re.IGNORECASE)
        self._update_prefix = (
            re.compile(
                r"(?<!\w)(?:" + _alts(lexicon.data["ranges"].get("update_prefixes", [])) + r")\s+$",
                re.IGNORECASE,
            )
            if lexicon.data["ranges"].get("update_prefixes")
            else None
        )

    # -- numerals ---------------------------------------------------------------------------

    def _digit_value(self, s: str) -> float | None:
        m = self._scale_tail.search(s)
        scale = 1.0
        if m:
            scale = self.lex.scale_words[m.group("scale").lower()]
            s = s[: m.start()]
        s = s.strip().replace("\u00a0", "").replace("\u202f", "")
        if _GROUPED_THOUSANDS.fullmatch(s) and not (
            m and s.count(",") + s.count(".") == 1 and scale >= 1000 and len(s) <= 5
        ):
            # Grouped thousands in either convention ("45.000", "45,000").
            return float(s.replace(".", "").replace(",", "")) * scale
        if _DECIMAL.fullmatch(s):
            if not m:  # a decimal without a scale word is no count of people
                return None
            return float(s.replace(",", ".")) * scale
        if s.isdigit():
            return float(s) * scale
        return None

    def _split_words(self, s: str) -> tuple[list[tuple[str, int]], list[tuple[int, int]]] | None:
        """Number parts of ``s`` with the index of the token each came from, and the tokens."""
        parts: list[tuple[str, int]] = []
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(s)]
        for t, (a, b) in enumerate(tokens):
            lw = s[a:b].lower()
            if lw == "and":
                parts.append(("and", t))
                continue
            if lw in self.lex.article_ones and lw not in self.lex.number_words:
                parts.append(("__one__", t))
                continue
            pos = 0
            for m in self._morpheme.finditer(lw):
                if m.start() != pos:
                    return None
                parts.append((m.group(), t))
                pos = m.end()
            if pos != len(lw):
                return None
        return parts, tokens

    def _words_value(self, s: str) -> tuple[float, int] | None:
        """Value of the number words at the start of ``s`` and the offset where they end."""
        split = self._split_words(s)
        if not split or not split[0]:
            return None
        parts, tokens = split
        words = self.lex.number_words
        total = 0.0
        current = 0.0
        joined = False
        seen_number = False
        good: tuple[float, int] | None = None  # value and token count at a token boundary
        for i, (p, tok) in enumerate(parts):
            if p in self.lex.joiners:
                if not seen_number or joined:
                    break
                joined = True
                continue
            if p == "and":
                if current < 100 and total == 0:
                    break
                continue
            v = 1.0 if p == "__one__" else words.get(p)
            if v is None:
                break
            if v == 12 and p == "dozen":
                current = (current or 1) * 12
            elif v == 100:
                current = (current or 1) * 100
            elif v >= 1000:
                total += (current or 1) * v
                current = 0
            else:
                units = current % 100
                if (
                    not seen_number
                    or units == 0
                    or (units >= 20 and units % 10 == 0 and v < 10)
                    or (joined and units < 10 and v >= 20 and v % 10 == 0)
                ):
                    current += v
                else:
                    break
            joined = False
            seen_number = True
            last_of_token = i + 1 == len(parts) or parts[i + 1][1] != tok
            if last_of_token:
                good = (total + current, tokens[tok][1])
        if good is None or good[0] <= 0:
            return None
        return good

    # -- phrases ----------------------------------------------------------------------------

    def _atoms_in(self, text: str, start: int, end: int) -> list[_Atom]:
        atoms: list[_Atom] = []
        found = scan_after_gaps(self._atoms, text, self._atoms_after_gap, text, start, end)
        for m_start, m_end, m in found:
            s = text[m_start:m_end]
            if m.lastgroup == "vague":
                atoms.append(_Atom(m_start, m_end, float(self.lex.vague[s.lower()]), True))
                continue
            if m.lastgroup == "half":
                scale_word = s.split()[-1].lower()
                value = self.lex.scale_words[scale_word] / 2
                atoms.append(_Atom(m_start, m_end, value, False))
                continue
            if m.lastgroup == "dig":
                v = self._digit_value(s)
                if v is not None:
                    atoms.append(_Atom(m_start, m_end, v, False))
                continue
            got = self._words_value(s)
            offset = 0
            while got is None:
                # "gedood en twee anderen": a joiner that starts the run joins nothing.
                head = _FIRST_WORD.match(s, offset)
                if head is None or head.group(1).lower() not in self.lex.joiners:
                    break
                offset = head.end()
                rest = s[offset:]
                if rest.lower() in self.lex.vague:  # "gedood en honderden gewond"
                    a_start = m_start + offset
                    atoms.append(_Atom(a_start, m_end, float(self.lex.vague[rest.lower()]), True))
                    break
                got = self._words_value(rest)
            if got is None:
                continue
            value, used_end = got
            lw = s[offset : offset + used_end].lower().strip()
            if lw in self.lex.article_ones:  # a lone article is no numeral
                continue
            first = lw.split()[0] if lw.split() else ""
            approximate = lw.endswith("dozen") and first in self.lex.article_ones
            a_start = m_start + offset
            atoms.append(_Atom(a_start, a_start + used_end, value, False, approximate))
        return atoms

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[NumberPhrase]:
        """All number phrases in ``text[start:end]``; never raises."""
        end = len(text) if end is None else end
        atoms = self._atoms_in(text, start, end)
        phrases: list[NumberPhrase] = []
        i = 0
        while i < len(atoms):
            a = atoms[i]
            b = atoms[i + 1] if i + 1 < len(atoms) else None
            between = text[a.end : b.start] if b else ""
            if b and not a.vague and not b.vague and self.lex.range_infix.fullmatch(between):
                before = text[max(start, a.start - 20) : a.start]
                if self._update_prefix and self._update_prefix.search(before):
                    # "rose from 20 to 30": only the later number stands, unqualified.
                    phrases.append(self._phrase(text, b, None, "exact", start))
                    i += 2
                    continue
                if a.value < b.value:
                    phrases.append(self._phrase(text, a, b, "range", start))
                    i += 2
                    continue
            if b and not a.vague and not b.vague and a.value < b.value:
                framed = self._framed_range(text, a, b, start)
                if framed:
                    phrases.append(framed)
                    i += 2
                    continue
            phrases.append(self._phrase(text, a, None, None, start))
            i += 1
        return [p for p in phrases if p.best > 0]

    def _framed_range(self, text: str, a: _Atom, b: _Atom, floor: int) -> NumberPhrase | None:
        before = text[max(floor, a.start - 20) : a.start]
        between = text[a.end : b.start] + " "
        for head, joint in self.lex.range_frames:
            h = head.search(before)
            if h and joint.fullmatch(" " + between.strip() + " " if between.strip() else between):
                p = self._phrase(text, a, b, "range", floor)
                p.start = max(floor, a.start - 20) + h.start()
                p.text = text[p.start : p.end]
                return p
        return None

    def _phrase(
        self, text: str, a: _Atom, b: _Atom | None, qualifier: str | None, floor: int
    ) -> NumberPhrase:
        value = a.value
        start, end = a.start, (b.end if b else a.end)
        q_span = None
        if qualifier is None:
            pre_end = a.start
            while pre_end > floor and text[pre_end - 1] == " ":
                pre_end -= 1
            q = self.lex.qualifiers.match_ending_at(text, pre_end) if pre_end < a.start else None
            if q and q.start >= floor and q.label == "exact":
                qualifier = "exact"  # "opgelopen tot veertig": a toll that rose to 40, not "up to"
            elif q and q.start >= floor:
                qualifier, q_span, start = q.label, (q.start, q.end), q.start
            elif a.vague:
                qualifier = "vague"
            elif a.approximate:
                qualifier = "about"
            else:
                qualifier = "exact"
        v = round(value)
        low: int | None = None
        high: int | None = None
        best = v
        if qualifier == "range" and b is not None:
            low, high, best = v, round(b.value), v
        elif a.vague and qualifier in ("vague", "about"):
            qualifier, low = "vague", v
        elif qualifier == "at_least":
            low = v
        elif qualifier == "more_than":
            best = low = v + 1
        elif qualifier == "nearly":
            high = v - 1
        elif qualifier == "up_to":
            high = v
        return NumberPhrase(
            start=start,
            end=end,
            num_start=a.start,
            text=text[start:end],
            value=value,
            best=best,
            low=low,
            high=high,
            qualifier=qualifier,
            qualifier_span=q_span,
            vague=a.vague,
        )


@cache
def parser_for(lang: str) -> NumberParser:
    return NumberParser(load_lexicon(lang))
