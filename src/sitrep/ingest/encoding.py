"""Bytes to text for inputs as they come: gzip by magic bytes, BOMs, declared charsets,
UTF-8, and charset-normalizer for the rest.

News archives hold Windows-1252 and Latin-1 pages next to UTF-8 ones, and dumps are often
gzip'd without saying so in the name; a reader that insists on UTF-8 loses them. Every failure
is an ``InputError`` with a one-line reason naming the input.
"""

from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from sitrep.errors import InputError

__all__ = [
    "GZIP_MAGIC",
    "Decoded",
    "decode",
    "gunzip",
    "html_declared_charset",
    "is_gzip",
    "looks_binary",
    "open_maybe_gzip",
    "too_large",
]

GZIP_MAGIC = b"\x1f\x8b"

# Western European single-byte encodings are what Dutch and English archives hold; when
# charset-normalizer finds one of them about as plausible as its first pick, take Windows-1252
# (a superset of Latin-1's printable range, as browsers do).
_WESTERN = ("cp1252", "latin_1", "iso8859_15")
_CHAOS_TOLERANCE = 0.05
# Declared labels that browsers read as Windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "us-ascii", "ascii", "cp819"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that do not occur in text: C0 controls other than tab, newlines, form feed.
_CONTROL_BYTES = bytes(b for b in range(32) if not 9 <= b <= 13)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text of an input and the encoding it was read in (``detected`` when guessed)."""

    text: str
    encoding: str
    detected: bool = False


def too_large(size: float, max_bytes: int, what: str = "") -> str:
    """The one wording of every size refusal."""
    return (
        f"too large{what} ({size / 1e6:.1f} MB > {max_bytes / 1e6:.3g} MB limit; "
        "raise it with --max-bytes)"
    )


def is_gzip(raw: bytes) -> bool:
    return raw[:2] == GZIP_MAGIC


def gunzip(name: str, raw: bytes, max_bytes: int) -> bytes:
    """Decompress gzip bytes (all members), refusing output past ``max_bytes``.

    A truncated stream is an error, not a short text: the end of an article is missing.
    """
    out = bytearray()
    data = raw
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = d.decompress(data, max_bytes + 1 - len(out))
            out += chunk
            while d.unconsumed_tail and len(out) <= max_bytes:
                out += d.decompress(d.unconsumed_tail, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise InputError(name, f"corrupt gzip data ({exc})") from None
        if len(out) > max_bytes:
            raise InputError(name, too_large(len(out), max_bytes, " after decompression"))
        if not d.eof:
            raise InputError(
                name, f"truncated gzip stream (ends after {len(out):,} decompressed bytes)"
            )
        data = d.unused_data.lstrip(b"\x00")
        if data and not is_gzip(data):
            break  # trailing garbage after the last member: ignored, as gzip(1) does
    return bytes(out)


def open_maybe_gzip(path: str) -> BinaryIO:
    """Open a file for streaming, decompressing when it starts with the gzip magic bytes."""
    f = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    head = f.peek(2)[:2] if isinstance(f, io.BufferedReader) else b""
    if head == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=f, mode="rb")  # type: ignore[return-value]
    return f


def looks_binary(head: bytes) -> bool:
    """NUL bytes or many control characters: an image, an archive, an executable."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls / len(head) > 0.05


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text without a BOM has NUL in every other byte of its ASCII characters."""
    even, odd = head[0::2], head[1::2]
    if len(head) < 8:
        return None
    z_even = even.count(0) / max(len(even), 1)
    z_odd = odd.count(0) / max(len(odd), 1)
    if z_odd > 0.4 and z_even < 0.05:
        return "utf-16-le"
    if z_even > 0.4 and z_odd < 0.05:
        return "utf-16-be"
    return None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def html_declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>`` or XML prolog)."""
    head = raw[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _detect(raw: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    results = from_bytes(raw)
    best = results.best()
    if best is None:
        return None
    for match in results:
        if match.chaos > best.chaos + _CHAOS_TOLERANCE:
            continue
        if match.encoding in _WESTERN or any(e in match.could_be_from_charset for e in _WESTERN):
            try:
                return raw.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                break
    return str(best), best.encoding


def decode(name: str, raw: bytes, *, max_bytes: int, declared: str | None = None) -> Decoded:
    """Decode ``raw``: BOM, then a declared charset, then UTF-8, then detection.

    Raises ``InputError`` for empty, binary, oversized or undecodable input.
    """
    if len(raw) > max_bytes:
        raise InputError(name, too_large(len(raw), max_bytes))
    if not raw.strip():
        raise InputError(name, "empty: no text to read")
    text: str | None = None
    encoding = ""
    detected = False
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            try:
                text, encoding = raw[len(bom) :].decode(enc), enc
            except UnicodeDecodeError:
                raise InputError(name, f"not valid {enc} despite its byte-order mark") from None
            break
    if text is None:
        head = raw[:8192]
        utf16 = _utf16_without_bom(head) if b"\x00" in head else None
        if utf16:
            try:
                text, encoding, detected = raw.decode(utf16), utf16, True
            except UnicodeDecodeError:
                text = None
        if text is None and looks_binary(head):
            raise InputError(name, "binary data, not text")
    if text is None:
        codec = _codec(declared)
        if codec and codec not in ("utf-8", "utf_8"):
            try:
                text, encoding = raw.decode(codec), codec
            except UnicodeDecodeError:
                text = None  # the declaration lies; fall through to UTF-8 and detection
    if text is None:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            found = _detect(raw)
            if found is None:
                raise InputError(
                    name,
                    f"cannot tell the text encoding (not UTF-8: byte 0x{raw[exc.start]:02x} "
                    f"at offset {exc.start}; no other encoding fits)",
                ) from None
            text, encoding = found
            detected = True
    if not text.strip():
        raise InputError(name, "empty: no text to read")
    return Decoded(text, encoding, detected)
