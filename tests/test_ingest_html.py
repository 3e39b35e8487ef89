"""News pages: the article without its menus, teasers and comments, with its metadata."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.extract import extract_document
from sitrep.ingest import InputItem, iter_inputs, make_document, normalise_text
from sitrep.ingest.html import extract_html, fragment_to_text, looks_like_html

ROOT = Path(__file__).resolve().parent
PAGE = ROOT / "fixtures" / "ingest" / "seed.nl.html"
SEED = ROOT / "data" / "seed.nl.txt"


def test_saved_page_gives_the_article_and_its_metadata() -> None:
    art = extract_html("seed.nl.html", PAGE.read_text("utf-8"))
    assert art.text == normalise_text(SEED.read_text("utf-8")).strip()
    assert art.title == "Russische bombardementen in Zuid-Syrië"
    assert art.published is not None and art.published.isoformat() == "2018-06-28"
    assert art.source_name == "Voorbeeldnieuws"
    assert art.url == "https://voorbeeldnieuws.example/artikel/2238912"
    for boilerplate in ("Binnenland", "cookies", "Reacties", "500 doden", "aardbeving", "©", "999"):
        assert boilerplate not in art.text


def test_page_and_plain_text_give_the_same_events() -> None:
    [item] = list(iter_inputs([str(PAGE)]))
    assert isinstance(item, InputItem)
    doc = make_document(item.text, published=item.published, title=item.title, name=item.name)
    from_page = extract_document(doc)
    from_text = extract_document(
        make_document(SEED.read_text("utf-8"), published=item.published, name="seed")
    )
    assert [e.model_dump(exclude={"report"}) for e in from_page] == [
        e.model_dump(exclude={"report"}) for e in from_text
    ]
    assert len(from_page) >= 5
    assert {f.best for e in from_page for f in e.figures}.isdisjoint({500, 300, 999})
    assert from_page[0].report.title == "Russische bombardementen in Zuid-Syrië"


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/b'>Binnenland</a></nav><footer>© 2024</footer></body></html>",
        "<html><body>"
        + "".join(f"<div><a href='/a{i}'><h3>Kop {i}</h3></a></div>" for i in range(9))
        + "</body></html>",
        "<html><body><form><label>Naam</label><input><button>Inloggen</button></form></body></html>",
        "<html></html>",
        "<html><body><p>Drie doden.</p></body></html>",
    ],
)
def test_pages_without_an_article(html: str) -> None:
    with pytest.raises(InputError) as info:
        extract_html("index.html", html)
    assert info.value.reason == "no article text found"
    assert str(info.value) == "index.html: no article text found"


def test_fragment_to_text() -> None:
    frag = (
        "<p>At least <b>14</b> civilians were killed.</p><script>x=1</script>"
        "<ul><li>one</li><li>two</li></ul>Tail text<br>after break"
    )
    assert fragment_to_text(frag) == (
        "At least 14 civilians were killed.\n\none\n\ntwo\n\nTail text\n\nafter break"
    )
    assert fragment_to_text("no markup at all ") == "no markup at all"


def test_looks_like_html() -> None:
    assert looks_like_html("<!DOCTYPE html><html>")
    assert looks_like_html("\n  <!-- saved -->\n<html lang='nl'>")
    assert not looks_like_html("Bij een aanval <5 km van de grens zijn doden gevallen.")
