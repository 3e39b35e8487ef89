"""Judge extraction against a gold set (format: shared/gold-format.md).

A predicted figure matches a gold figure of the same text when ``kind`` and ``best`` are
equal, each gold figure at most once; precision, recall and F1 count matches. Every other
attribute is scored as the share of matched figures on which it agrees.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.model import Event
from sitrep.resolve.countries import fold

ATTRIBUTES = [
    "qualifier",
    "low",
    "high",
    "group",
    "cumulative",
    "date",
    "source",
    "hedged",
    "event",
    "place",
    "country",
    "admin1",
    "perpetrator",
]
_RELATION_WORDS = re.compile(
    r"\b(?:in|het|de|the|ten|van|of|near|bij|nabij|north|south|east|west|northeast|northwest|"
    r"southeast|southwest|noorden|zuiden|oosten|westen|noordoosten|noordwesten|zuidoosten|"
    r"zuidwesten|outskirts|outside|province|region|governorate|regio|provincie|city|town|"
    r"village|stad|dorp|plaatsje)\b"
)


class GoldError(SitrepError):
    """A gold file cannot be read."""


def figure_view(ev: Event, f_index: int) -> dict[str, Any]:
    """A predicted figure in the gold format's terms."""
    f = ev.figures[f_index]
    day = (
        ev.date.start.isoformat()
        if ev.date.start and ev.date.precision.value == "day" and not f.cumulative
        else None
    )
    place = ev.place
    return {
        "kind": f.kind.value,
        "best": f.best,
        "low": f.low,
        "high": f.high,
        "qualifier": f.qualifier.value,
        "group": f.group,
        "cumulative": f.cumulative,
        "text": f.evidence.text,
        "event": ev.event,
        "date": day,
        "place": place.text if place else None,
        "country": place.country if place else None,
        "admin1": place.admin1 if place else None,
        "perpetrator": ev.actors.perpetrator.name if ev.actors.perpetrator else None,
        "source": f.source,
        "hedged": f.hedged,
        "_place_name": place.name if place else None,
    }


def _norm(v: Any) -> Any:
    return fold(v) if isinstance(v, str) else v


def _place_core(s: str | None) -> str:
    return " ".join(_RELATION_WORDS.sub(" ", fold(s or "")).split())


def agrees(key: str, pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    p, g = pred.get(key), gold.get(key)
    if key == "place":
        if p is None or g is None:
            return p is None and g is None
        cp, cg = _place_core(p), _place_core(g)
        named = _place_core(pred.get("_place_name"))
        return bool(cp and cg) and (cp == cg or cp in cg or cg in cp or (named and named == cg))
    if key == "admin1":
        strip = re.compile(r"\b(?:governorate|province|oblast|state|region|district)\b")
        same = " ".join(strip.sub(" ", _norm(p) or "").split()) == " ".join(
            strip.sub(" ", _norm(g) or "").split()
        )
        return same or (bool(p and g) and _same_admin1(p, g))
    if key in ("source", "perpetrator") and p and g and _norm(p) != _norm(g):
        return _same_actor(p, g, source=key == "source")
    return _norm(p) == _norm(g)


def _same_admin1(a: str, b: str) -> bool:
    """Two names of one gazetteer province ("North Darfur", "Northern Darfur")."""
    from sitrep.resolve.geo import Gazetteer

    gaz = Gazetteer.load()
    ids = {c.geonameid for c in gaz.lookup(a) if c.feature == "admin1"}
    return any(c.geonameid in ids for c in gaz.lookup(b) if c.feature == "admin1")


def _same_actor(a: str, b: str, *, source: bool) -> bool:
    """Two names of one dictionary actor ("MSF", "Doctors Without Borders"): an actor
    written by another alias is the same actor."""
    from sitrep.resolve.actors import actor_index

    index = actor_index("en")
    ea, eb = index.lookup(a, source=source), index.lookup(b, source=source)
    return ea is not None and eb is not None and ea.name == eb.name


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    agree: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, key: str) -> float:
        return self.agree[key] / self.tp if self.tp else 0.0


@dataclass
class EvalResult:
    by_lang: dict[str, Tally]
    overall: Tally
    errors: list[dict[str, Any]]
    documents: int
    failed_documents: list[str]

    def as_dict(self) -> dict[str, Any]:
        def t(x: Tally) -> dict[str, Any]:
            return {
                "tp": x.tp,
                "fp": x.fp,
                "fn": x.fn,
                "precision": round(x.precision, 4),
                "recall": round(x.recall, 4),
                "f1": round(x.f1, 4),
                "attributes": {k: round(x.accuracy(k), 4) for k in ATTRIBUTES},
            }

        return {
            "documents": self.documents,
            "overall": t(self.overall),
            "by_lang": {k: t(v) for k, v in self.by_lang.items()},
            "failed_documents": self.failed_documents,
        }


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    items = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise GoldError(f"{path}: cannot read: {exc.strerror or exc}") from None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{path}:{i}: not JSON: {exc.msg}") from None
        if "text" not in item:
            raise GoldError(f"{path}:{i}: no 'text'")
        items.append(item)
    return items


def _published(value: str | None) -> date | None:
    if not value:
        return None
    if len(value) == 7:  # YYYY-MM: the month is known, not the day
        return None
    return date.fromisoformat(value)


def evaluate(items: list[dict[str, Any]]) -> EvalResult:
    from sitrep.errors import InputError
    from sitrep.pipeline import extract

    by_lang: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    errors: list[dict[str, Any]] = []
    failed: list[str] = []
    for item in items:
        lang = item.get("lang")
        try:
            events = extract(item["text"], lang=lang, published=_published(item.get("published")))
        except InputError as exc:
            failed.append(f"{item.get('id')}: {exc.reason}")
            events = []
        preds = [figure_view(ev, i) for ev in events for i in range(len(ev.figures))]
        golds = list(item.get("figures", []))
        used = [False] * len(golds)
        tally = by_lang[lang or "?"]
        for p in preds:
            candidates = [
                gi
                for gi, g in enumerate(golds)
                if not used[gi] and g["kind"] == p["kind"] and g["best"] == p["best"]
            ]
            # Among equal candidates, prefer the one quoting the same words.
            same_words = [
                gi
                for gi in candidates
                if fold(golds[gi].get("text") or "") in fold(p["text"] or "")
                or fold(p["text"] or "") in fold(golds[gi].get("text") or "")
            ]
            match = (same_words or candidates or [None])[0]
            if match is None:
                for t in (tally, overall):
                    t.fp += 1
                errors.append({"id": item.get("id"), "type": "fp", "pred": _clean(p)})
                continue
            used[match] = True
            g = golds[match]
            for t in (tally, overall):
                t.tp += 1
                for key in ATTRIBUTES:
                    if agrees(key, p, g):
                        t.agree[key] += 1
            wrong = [k for k in ATTRIBUTES if not agrees(k, p, g)]
            if wrong:
                errors.append(
                    {
                        "id": item.get("id"),
                        "type": "attr",
                        "wrong": {k: {"pred": p.get(k), "gold": g.get(k)} for k in wrong},
                        "text": g.get("text"),
                    }
                )
        for gi, g in enumerate(golds):
            if not used[gi]:
                for t in (tally, overall):
                    t.fn += 1
                errors.append({"id": item.get("id"), "type": "fn", "gold": g})
    return EvalResult(dict(by_lang), overall, errors, len(items), failed)


def _clean(p: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in p.items() if not k.startswith("_")}


def render(result: EvalResult, out) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=140, force_terminal=False)
    table = Table(title=f"figures: {result.documents} documents")
    table.add_column("set")
    for col in ("gold", "pred", "tp", "precision", "recall", "F1"):
        table.add_column(col, justify="right")
    rows = [*sorted(result.by_lang.items()), ("all", result.overall)]
    for name, t in rows:
        table.add_row(
            name,
            str(t.tp + t.fn),
            str(t.tp + t.fp),
            str(t.tp),
            f"{t.precision:.3f}",
            f"{t.recall:.3f}",
            f"{t.f1:.3f}",
        )
    console.print(table)
    attrs = Table(title="attribute accuracy on matched figures")
    attrs.add_column("attribute")
    for name, _ in rows:
        attrs.add_column(name, justify="right")
    for key in ATTRIBUTES:
        attrs.add_row(key, *[f"{t.accuracy(key):.3f}" for _, t in rows])
    console.print(attrs)
    for f in result.failed_documents:
        console.print(f"[failed] {f}")
