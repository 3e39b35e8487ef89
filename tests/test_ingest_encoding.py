"""Bytes to text: UTF-8 first, then declared and detected encodings; gzip by magic bytes."""

from __future__ import annotations

import gzip
import unicodedata

import pytest

from sitrep.errors import InputError
from sitrep.ingest import decode_bytes, normalise_text
from sitrep.ingest.encoding import decode, gunzip, html_declared_charset, is_gzip

MB = 1024 * 1024
NL = "Bij aanvallen zijn twintig burgers gedood in Daraa, meldt het café “De Hoek” – één getuige."


def reason(raw: bytes, **kw: object) -> str:
    with pytest.raises(InputError) as info:
        decode("x.txt", raw, max_bytes=kw.pop("max_bytes", MB), **kw)  # type: ignore[arg-type]
    assert info.value.name == "x.txt"
    return info.value.reason


def test_utf8_first() -> None:
    d = decode("x", NL.encode("utf-8"), max_bytes=MB)
    assert (d.text, d.encoding, d.detected) == (NL, "utf-8", False)
    d = decode("x", b"\xef\xbb\xbf" + NL.encode("utf-8"), max_bytes=MB)
    assert d.text == NL  # the BOM is not text


def test_latin1_now_decodes_with_the_encoding_noted() -> None:
    text = "Bij aanvallen zijn twintig burgers gedood in Daraa, café"
    d = decode("latin1.txt", text.encode("latin-1"), max_bytes=MB)
    assert d.text == text and d.detected and d.encoding == "cp1252"


def test_windows_1252_typographic_quotes_survive() -> None:
    d = decode("x", NL.encode("cp1252"), max_bytes=MB)
    assert d.text == NL and d.encoding == "cp1252"
    assert "“De Hoek”" in normalise_text(d.text)  # NFC keeps typographic quotes


def test_other_scripts_are_detected() -> None:
    text = "Двадцать человек погибли в результате авиаудара по рынку, сообщили власти."
    d = decode("ru.txt", text.encode("cp1251"), max_bytes=MB)
    assert d.text == text and d.detected


def test_utf16_with_and_without_bom() -> None:
    assert decode("x", NL.encode("utf-16"), max_bytes=MB).text == NL
    d = decode("x", NL.encode("utf-16-le"), max_bytes=MB)
    assert d.text == NL and d.encoding == "utf-16-le"


def test_declared_charset_first_and_lies_ignored() -> None:
    raw = NL.encode("cp1252")
    assert decode("x", raw, max_bytes=MB, declared="ISO-8859-1").encoding == "cp1252"
    assert decode("x", NL.encode("utf-8"), max_bytes=MB, declared="nonsense").text == NL
    # declared Shift-JIS, but the bytes are UTF-8 that Shift-JIS cannot decode
    assert decode("x", "één “x”".encode() * 20, max_bytes=MB, declared="shift_jis").text
    page = b"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
    assert html_declared_charset(page) == "windows-1252"
    assert html_declared_charset(b'<?xml version="1.0" encoding="ISO-8859-1"?><rss>') == (
        "ISO-8859-1"
    )


def test_binary_empty_too_large_undecodable() -> None:
    assert reason(bytes(range(256)) * 4) == "binary data, not text"
    assert reason(b"\x89PNG\r\n\x1a\n" + bytes(100)) == "binary data, not text"
    assert reason(b"") == "empty: no text to read"
    assert reason(b" \n\t \n") == "empty: no text to read"
    assert reason(b"a" * 2000, max_bytes=1000).startswith("too large (0.0 MB > 0.001 MB limit")
    r = reason(bytes(range(128, 256)) * 8)
    assert r.startswith("cannot tell the text encoding (not UTF-8: byte 0x80 at offset 0")


def test_nfc_normalisation() -> None:
    decomposed = unicodedata.normalize("NFD", "één café\r\nRead")
    assert normalise_text(decomposed) == "één café\nRead"


def test_gzip_by_magic_bytes() -> None:
    raw = gzip.compress(NL.encode())
    assert is_gzip(raw) and gunzip("x.gz", raw, MB) == NL.encode()
    two = gzip.compress(b"first ") + gzip.compress(b"second")
    assert gunzip("x.gz", two, MB) == b"first second"


def test_truncated_corrupt_and_bomb_gzip() -> None:
    raw = gzip.compress(NL.encode() * 50)
    with pytest.raises(InputError) as info:
        gunzip("t.txt.gz", raw[: len(raw) // 2], MB)
    assert info.value.reason.startswith("truncated gzip stream")
    bad = raw[:10] + bytes(b ^ 0xFF for b in raw[10:40]) + raw[40:]
    with pytest.raises(InputError) as info:
        gunzip("c.txt.gz", bad, MB)
    assert info.value.reason.startswith(("corrupt gzip data", "truncated gzip stream"))
    bomb = gzip.compress(b"\n" * (20 * MB))
    with pytest.raises(InputError) as info:
        gunzip("bomb.gz", bomb, MB)
    assert info.value.reason.startswith("too large after decompression")


def test_decode_bytes_keeps_its_strict_contract() -> None:
    """The old entry point (used by `sitrep extract` until it is wired to the new reader)."""
    with pytest.raises(InputError) as info:
        decode_bytes("latin1.txt", "café".encode("latin-1"))
    assert "UTF-8" in info.value.reason
