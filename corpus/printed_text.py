"""The printed words behind a text read from a document's restored reading.

A document typed without marks is parsed from its restored reading (the grammar's words carry
marks), but each task and passage keeps its text as printed too, for the lexical index and for
the doubtful-word marks, which compare a reading with its print. The restorer keeps every line,
and nearly always every word of a line, so the words map one to one line by line.
"""
from __future__ import annotations

from kehoach.corpus.text import normalize_space


def printed_text(text: str, first: int, last: int, printed: list[str], reading: list[str]) -> str:
    """The printed words under `text`, a run of words of reading lines `first`..`last` (1-based).

    Where a line's words do not map one to one (the restorer joined or split a word), or the run is
    not found, the printed lines of the span are returned whole: more than the item, never less."""
    pairs: list[tuple[str, str]] = []   # (reading word, printed word) over the span
    for no in range(first, last + 1):
        r_words, p_words = reading[no - 1].split(), printed[no - 1].split()
        if len(r_words) != len(p_words):
            return _whole(printed, first, last)
        pairs.extend(zip(r_words, p_words))
    words = text.split()
    keys = [r for r, _ in pairs]
    for start in range(len(keys) - len(words) + 1):
        if keys[start:start + len(words)] == words:
            return " ".join(p for _, p in pairs[start:start + len(words)])
    return _whole(printed, first, last)


def _whole(printed: list[str], first: int, last: int) -> str:
    return normalize_space(" ".join(printed[first - 1:last]))
