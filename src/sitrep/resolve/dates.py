"""Date expressions: found with the lexicon's words, resolved against the publication date.

Without a publication date, relative expressions ("donderdag", "last week") stay unresolved
and say so (``resolved=False``); they are never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sitrep.lexicon import (
    Lexicon,
    load_lexicon,
    other_gaps,
    pattern_to_regex,
    scan_after_gaps,
    trie_regex,
)


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    text: str
    kind: str  # weekday | relative_day | week | month | year | absolute | period | since
    start_date: date | None = None
    end_date: date | None = None
    precision: str = "unknown"
    resolved: bool = False

    @property
    def is_period(self) -> bool:
        return self.kind in ("period", "since")


def _alts(words) -> str:
    return "|".join(pattern_to_regex(w) for w in sorted(set(words), key=len, reverse=True))


class DateFinder:
    """Finds and resolves date expressions of one language."""

    def __init__(self, lexicon: Lexicon) -> None:
        d = lexicon.dates
        self.weekdays = [w.lower() for w in d["weekdays"]]
        self.months = [m.lower() for m in d["months"]]
        self.month_abbr = {k.lower(): v for k, v in d["month_abbreviations"].items()}
        self.rel_days = {k.lower(): v for k, v in d["relative_days"].items()}
        self.rel_weeks = {k.lower(): v for k, v in d["relative_weeks"].items()}
        self.rel_months = {k.lower(): v for k, v in d["relative_months"].items()}
        self.rel_years = {k.lower(): v for k, v in d["relative_years"].items()}
        self.periods = {k.lower(): v for k, v in d["periods"].items()}
        month_names = (
            _alts(self.months + list(self.month_abbr)) + r"|(?:" + _alts(self.month_abbr) + r")\."
        )
        wd = _alts(self.weekdays)
        parts = _alts(d["day_parts"])
        since = _alts(d["since"])
        day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|e|ste|de)?"
        year = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
        # Where a date expression can start: a digit or one of its first words. The full
        # alternation is only tried there.
        starts = {
            w.split()[0]
            for w in [
                *self.weekdays,
                *self.months,
                *self.month_abbr,
                *self.rel_days,
                *self.rel_weeks,
                *self.rel_months,
                *self.rel_years,
                *self.periods,
                *d["since"],
            ]
        }
        first = r"\d|" + trie_regex(starts)
        body = "|".join(
            [
                r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)",
                rf"(?P<since>(?:{since})\s+(?:(?:[0-3]?\d\s+)?(?:{month_names})"
                rf"(?:\s+[0-3]?\d(?:st|nd|rd|th)?(?![\d,.]\d))?(?:,?\s+(?:19|20)\d\d)?"
                rf"|(?:19|20)\d\d))",
                rf"(?P<dm>{day}\s+(?P<month>{month_names}){year})",
                rf"(?P<md>(?P<month2>{month_names})\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
                rf"(?:,?\s+(?P<year2>(?:19|20)\d\d))?)",
                rf"(?P<my>(?P<month3>{month_names})\s+(?P<year3>(?:19|20)\d\d))",
                rf"(?P<period>{_alts(self.periods)})",
                rf"(?P<relw>{_alts(self.rel_weeks)})",
                rf"(?P<relm>{_alts(self.rel_months)})",
                rf"(?P<rely>{_alts(self.rel_years)})",
                rf"(?P<reld>{_alts(self.rel_days)})",
                rf"(?P<wd>(?P<wdname>{wd})(?:{parts})?(?:\s+(?:{parts}))?)",
            ]
        ).join([rf"(?={first})(?:", r")(?!\w)"])
        self.regex = re.compile(rf"(?<!\w){body}", re.IGNORECASE)
        # The expression after a space, and after any other non-word character: the scan
        # tries those only at gaps between words (see ``scan_after_gaps``), not the
        # look-behind at every position.
        self._after_space = re.compile(f" {body}", re.IGNORECASE)
        self._after_gap = re.compile(rf"\W{body}", re.IGNORECASE)

    def _month(self, s: str) -> int | None:
        s = s.lower().rstrip(".")
        if s in self.months:
            return self.months.index(s) + 1
        return self.month_abbr.get(s)

    def find(
        self, text: str, published: date | None, start: int = 0, end: int | None = None
    ) -> list[DateMention]:
        out: list[DateMention] = []
        end = len(text) if end is None else end
        # An expression never starts with white space: only gaps before a non-space count.
        gaps = other_gaps(text, True)
        found = scan_after_gaps(
            self.regex, text, self._after_gap, text, start, end, self._after_space, gaps
        )
        for a, b, m in found:
            # ``m`` may hold the gap character before the expression: its text is text[a:b].
            dm = DateMention(a, b, text[a:b], "unknown")
            g = m.lastgroup
            try:
                self._resolve(m, g, dm, published)
            except ValueError:  # an impossible date such as 31 February: keep it unresolved
                dm.start_date = dm.end_date = None
                dm.resolved = False
            out.append(dm)
        return out

    def _resolve(self, m: re.Match[str], g: str | None, dm: DateMention, pub: date | None) -> None:
        text = dm.text.lower()
        if g == "iso":
            dm.kind, dm.precision = "absolute", "day"
            dm.start_date = dm.end_date = date.fromisoformat(dm.text)
            dm.resolved = True
        elif g in ("dm", "md"):
            dm.kind, dm.precision = "absolute", "day"
            month = self._month(m.group("month") if g == "dm" else m.group("month2"))
            day = int(m.group("day") if g == "dm" else m.group("day2"))
            y = m.group("year") if g == "dm" else m.group("year2")
            if month is None:
                return
            if y:
                dm.start_date = dm.end_date = date(int(y), month, day)
                dm.resolved = True
            elif pub:
                d = date(pub.year, month, day)
                if d > pub + timedelta(days=7):  # "4 oktober" in a January report: last year
                    d = date(pub.year - 1, month, day)
                dm.start_date = dm.end_date = d
                dm.resolved = True
        elif g == "my":  # "October 2017": the month, whole
            dm.kind, dm.precision = "month", "month"
            month = self._month(m.group("month3"))
            if month is None:
                return
            y = int(m.group("year3"))
            dm.start_date = date(y, month, 1)
            dm.end_date = date(y + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
            dm.resolved = True
        elif g == "wd":
            dm.kind, dm.precision = "weekday", "day"
            if pub:
                wd = self.weekdays.index(m.group("wdname").lower())
                back = (pub.weekday() - wd) % 7  # the most recent such day, or the same day
                dm.start_date = dm.end_date = pub - timedelta(days=back)
                dm.resolved = True
        elif g == "reld":
            dm.kind, dm.precision = "relative_day", "day"
            if pub:
                dm.start_date = dm.end_date = pub + timedelta(days=self.rel_days[text])
                dm.resolved = True
        elif g == "relw":
            dm.kind, dm.precision = "week", "week"
            if pub:
                monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=self.rel_weeks[text])
                dm.start_date, dm.end_date = monday, min(monday + timedelta(days=6), pub)
                dm.resolved = True
        elif g == "relm":
            dm.kind, dm.precision = "month", "month"
            if pub:
                y, mo = pub.year, pub.month + self.rel_months[text]
                while mo < 1:
                    y, mo = y - 1, mo + 12
                first = date(y, mo, 1)
                nxt = date(y + (mo == 12), mo % 12 + 1, 1)
                dm.start_date, dm.end_date = first, min(nxt - timedelta(days=1), pub)
                dm.resolved = True
        elif g == "rely":
            dm.kind, dm.precision = "year", "year"
            if pub:
                y = pub.year + self.rel_years[text]
                dm.start_date, dm.end_date = date(y, 1, 1), min(date(y, 12, 31), pub)
                dm.resolved = True
        elif g == "period":
            dm.kind, dm.precision = "period", "week" if self.periods[text] <= 14 else "month"
            if pub:
                dm.start_date = pub - timedelta(days=self.periods[text])
                dm.end_date = pub
                dm.resolved = True
        elif g == "since":
            dm.kind = "since"
            rest = text.split(None, 1)[1]
            nums = re.findall(r"\d+", rest)
            month = next((self._month(w) for w in rest.split() if self._month(w)), None)
            year = next((int(n) for n in nums if len(n) == 4), None)
            day = next((int(n) for n in nums if len(n) <= 2), None)
            dm.precision = "day" if day else "month" if month else "year"
            if year or pub:
                y = year or pub.year  # type: ignore[union-attr]
                start = date(y, month or 1, day or 1)
                if pub and not year and start > pub:
                    start = date(y - 1, month or 1, day or 1)
                dm.start_date, dm.end_date = start, pub
                dm.resolved = pub is not None


@cache
def date_finder(lang: str) -> DateFinder:
    return DateFinder(load_lexicon(lang))
