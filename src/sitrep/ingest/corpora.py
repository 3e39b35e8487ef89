"""News corpora as JSONL or CSV dumps (plain or gzip'd): one record per article.

Dumps are large and imperfect: they are streamed record by record (never read whole), each
record is an input of its own named ``file:line``, and a malformed line fails alone. Which
field holds the text, URL, date, outlet and language differs per dump: ``FieldMap`` says.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sitrep.errors import InputError
from sitrep.ingest.encoding import decode, open_maybe_gzip, too_large
from sitrep.ingest.items import InputFailure, Meta, RawInput, RawKind, parse_date, parse_lang

__all__ = ["FieldMap", "iter_csv", "iter_jsonl"]

_SAMPLE = 64 * 1024


@dataclass(frozen=True, slots=True)
class FieldMap:
    """Names of a corpus record's fields. ``a|b`` takes the first of them that is present;
    dotted names reach into nested JSON objects (``meta.published``). ``html`` is read only
    when there is no ``text``: dumps of raw pages. The defaults read sitrep's own JSONL
    (``source_name``) and the common variants."""

    text: str = "text"
    url: str = "url|link"
    published: str = "published|date"
    source: str = "source_name|source"
    lang: str = "lang|language"
    title: str = "title"
    html: str = "html"

    @classmethod
    def parse(cls, spec: str) -> FieldMap:
        """``"text=body,published=date"`` (a command-line option) → ``FieldMap``."""
        known = {f.name for f in fields(cls)}
        values: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, sep, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or key not in known or not value:
                raise ValueError(
                    f"{part!r} is not FIELD=NAME with FIELD one of {', '.join(sorted(known))}"
                )
            values[key] = value
        return cls(**values)


def _get(record: dict[str, Any], key: str) -> Any:
    for alt in key.split("|"):
        if alt in record:
            return record[alt]
        value: Any = record
        for part in alt.split("."):
            if not isinstance(value, dict) or part not in value:
                value = None
                break
            value = value[part]
        if value is not None:
            return value
    return None


def _first_present(key: str, columns: Sequence[str]) -> str | None:
    return next((alt for alt in key.split("|") if alt in columns), None)


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def record_to_raw(
    name: str, record: dict[str, Any], fm: FieldMap, encoding: str = "utf-8"
) -> RawInput | InputFailure:
    """One corpus record as an input: its text (or HTML) and metadata, or why not."""
    text = _get(record, fm.text)
    kind: RawKind = "text"
    if text is None:
        html = _get(record, fm.html)
        if html is None:
            return InputFailure(name, f"no {fm.text!r} field (see --fields)")
        text, kind = html, "html"
    if not isinstance(text, str):
        return InputFailure(name, f"field {fm.text!r} is a {type(text).__name__}, not text")
    if not text.strip():
        return InputFailure(name, f"empty: field {fm.text!r} has no text")
    meta = Meta(
        url=_str(_get(record, fm.url)),
        title=_str(_get(record, fm.title)),
        published=parse_date(_get(record, fm.published)),
        source_name=_str(_get(record, fm.source)),
        lang=parse_lang(_get(record, fm.lang)),
    )
    detected = encoding not in ("utf-8", "utf-8-sig")
    return RawInput(name, kind, data=text, meta=meta, encoding=encoding, encoding_detected=detected)


def iter_jsonl(
    path: str, fm: FieldMap, *, max_bytes: int, name: str | None = None
) -> Iterator[RawInput | InputFailure]:
    """Records of a JSON Lines file, one input per non-blank line (``name:line``)."""
    name = name or path
    try:
        f = open_maybe_gzip(path)
    except OSError as exc:
        yield InputFailure(name, os_reason(exc))
        return
    lineno = 0
    try:
        with f:
            while True:
                line = f.readline(max_bytes + 1)
                if not line:
                    break
                lineno += 1
                where = f"{name}:{lineno}"
                if len(line) > max_bytes and not line.endswith(b"\n"):
                    while line and not line.endswith(b"\n"):  # skip the rest of the line
                        line = f.readline(1024 * 1024)
                    yield InputFailure(where, too_large(max_bytes + 1, max_bytes, " (line)"))
                    continue
                if not line.strip():
                    continue
                if lineno == 1 and line.startswith(codecs.BOM_UTF8):
                    line = line[3:]
                try:
                    s = line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield InputFailure(
                        where,
                        f"not valid UTF-8 (byte 0x{line[exc.start]:02x} at column {exc.start + 1})",
                    )
                    continue
                try:
                    record = json.loads(s)
                except json.JSONDecodeError as exc:
                    yield InputFailure(
                        where,
                        f"malformed JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})",
                    )
                    continue
                if not isinstance(record, dict):
                    yield InputFailure(where, f"not a JSON object (a {type(record).__name__})")
                    continue
                yield record_to_raw(where, record, fm)
    except (EOFError, zlib.error, OSError) as exc:
        yield InputFailure(name, _stream_reason(exc, lineno, "line"))


def _detect_encoding(name: str, sample: bytes) -> str:
    """The encoding of a CSV dump from its first bytes (UTF-8 unless they say otherwise)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return decode(name, sample, max_bytes=len(sample) + 1).encoding


def iter_csv(
    path: str, fm: FieldMap, *, max_bytes: int, name: str | None = None
) -> Iterator[RawInput | InputFailure]:
    """Rows of a CSV (or TSV) file with a header row, one input per row (``name:line``)."""
    name = name or path
    try:
        f = open_maybe_gzip(path)
    except OSError as exc:
        yield InputFailure(name, os_reason(exc))
        return
    row_line = 0
    with f:
        try:
            buffered = io.BufferedReader(f, buffer_size=_SAMPLE)  # type: ignore[arg-type]
            # peek: the sample that decides encoding and delimiter is read again as rows
            sample = buffered.peek(_SAMPLE)[:_SAMPLE]
            if not sample.strip():
                yield InputFailure(name, "empty: no rows to read")
                return
            encoding = _detect_encoding(name, sample)
            text_sample = sample.decode(encoding, "ignore")
            delimiter = "\t" if path.lower().removesuffix(".gz").endswith(".tsv") else None
            if delimiter is None:
                try:
                    delimiter = csv.Sniffer().sniff(text_sample[:8192], ",;\t|").delimiter
                except csv.Error:
                    delimiter = ","
            stream = io.TextIOWrapper(buffered, encoding=encoding, newline="")
            csv.field_size_limit(max(csv.field_size_limit(), min(max_bytes, sys.maxsize)))
            reader = csv.DictReader(stream, delimiter=delimiter)
            if not reader.fieldnames:
                yield InputFailure(name, "no header row")
                return
            wanted = _first_present(fm.text, reader.fieldnames) or _first_present(
                fm.html, reader.fieldnames
            )
            if wanted is None:
                yield InputFailure(
                    name,
                    f"no {fm.text!r} column (columns: {', '.join(reader.fieldnames[:12])}; "
                    "see --fields)",
                )
                return
            row_line = reader.line_num + 1
            for row in reader:
                where = f"{name}:{row_line}"
                row_line = reader.line_num + 1
                if None in row:
                    row.pop(None)  # type: ignore[call-overload]
                yield record_to_raw(where, row, fm, encoding)
        except InputError as exc:
            yield InputFailure(name, exc.reason)
        except UnicodeDecodeError as exc:
            yield InputFailure(
                name, f"not valid {exc.encoding} at row starting on line {row_line}; stopped"
            )
        except csv.Error as exc:
            yield InputFailure(name, f"malformed CSV at line {row_line} ({exc}); stopped")
        except (EOFError, zlib.error, OSError) as exc:
            yield InputFailure(name, _stream_reason(exc, max(row_line - 1, 0), "line"))


def os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    return f"cannot read: {exc.strerror or exc}"


def _stream_reason(exc: BaseException, done: int, unit: str) -> str:
    if isinstance(exc, EOFError):
        return f"truncated gzip stream (stopped after {unit} {done})"
    if isinstance(exc, zlib.error) or type(exc).__name__ == "BadGzipFile":
        return f"corrupt gzip data after {unit} {done} ({exc})"
    return f"read error after {unit} {done}: {getattr(exc, 'strerror', None) or exc}"
