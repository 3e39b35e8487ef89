"""Split a text into paragraphs and sentences, keeping character offsets."""

from __future__ import annotations

import re

from sitrep.lexicon import Lexicon
from sitrep.model import Sentence

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])")
_HEADLINE_MAX = 120


def _paragraph_blocks(text: str) -> list[tuple[int, int]]:
    """Blank lines separate paragraphs; a single newline does too after a full stop or a
    headline-like short line, but not inside hard-wrapped prose."""
    blocks: list[tuple[int, int]] = []
    pos = 0
    for m in [*_BLANK_LINES.finditer(text), None]:
        end = m.start() if m else len(text)
        chunk_start = pos
        lines = list(_LINE.finditer(text, pos, end))
        for i, line in enumerate(lines):
            s = line.group().rstrip()
            last = i == len(lines) - 1
            breaks = bool(s) and (
                s[-1] in '.!?:"”’»' or (len(s) < _HEADLINE_MAX and not re.search(r"[.!?]", s))
            )
            if last or breaks:
                a, b = chunk_start, line.start() + len(s)
                while a < b and text[a].isspace():
                    a += 1
                if a < b:
                    blocks.append((a, b))
                if not last:
                    chunk_start = lines[i + 1].start()
        pos = m.end() if m else len(text)
    return blocks


def segment(text: str, lexicon: Lexicon) -> tuple[list[tuple[int, int]], list[Sentence]]:
    """Paragraph spans and sentences of ``text``."""
    paragraphs = _paragraph_blocks(text)
    sentences: list[Sentence] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        boilerplate = bool(lexicon.boilerplate.match(text, p_start, p_end))
        start = p_start
        for m in _SENTENCE_END.finditer(text, p_start, p_end):
            cut = max(text.rfind(" ", start, m.start()), text.rfind("\n", start, m.start()))
            word = text[max(cut + 1, start) : m.start()]
            if word:
                w = word.lower().rstrip(".")
                # Abbreviations and initials ("Gen.", "J.") do not end a sentence.
                if w in lexicon.abbreviations or (len(w) == 1 and w.isalpha()):
                    continue
            sentences.append(Sentence(start, m.end(), p_index, len(sentences), boilerplate))
            start = m.end()
            while start < p_end and text[start].isspace():
                start += 1
        if start < p_end:
            sentences.append(Sentence(start, p_end, p_index, len(sentences), boilerplate))
    return paragraphs, sentences
