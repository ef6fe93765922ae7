""".txt files: line i is the i-th line of the file, split on "\\n" (a trailing "\\r" dropped, empty lines kept)."""
from __future__ import annotations

from pathlib import Path

from kehoach.corpus.file_text import decode_text, split_lines
from kehoach.corpus.load_error import MAX_LINE_CHARS, UNSPLIT_ADVICE, check_line_lengths, fail


def _longest_line(data: bytes) -> tuple[int, int]:
    """(length in bytes, 1-based number) of the longest line, in one linear pass."""
    sep = b"\n" if b"\n" in data else b"\r"
    best, best_n, start, n = 0, 1, 0, 1
    while True:
        end = data.find(sep, start)
        stop = len(data) if end < 0 else end
        if stop - start > best:
            best, best_n = stop - start, n
        if end < 0:
            return best, best_n
        start, n = end + 1, n + 1



def txt_lines(path: Path, data: bytes) -> list[str]:
    # Checked on the bytes, before decoding: decoding and repair of one huge line are not linear.
    # UTF-16/32 use up to 4 bytes a character, so the byte limit is generous; the exact check follows.
    longest, n = _longest_line(data)
    if longest > 4 * MAX_LINE_CHARS:
        raise fail(path, f"dòng {n} dài khoảng {longest:,} byte (tối đa {MAX_LINE_CHARS:,} ký tự một dòng); "
                         .replace(",", ".") + UNSPLIT_ADVICE)
    lines = split_lines(decode_text(data, path))
    check_line_lengths(path, lines)
    return lines
