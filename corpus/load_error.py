"""How a file that cannot be read is reported (one Vietnamese line naming it), and the cap on a line's
length that every reader applies.
"""
from __future__ import annotations

import re
from pathlib import Path

# One line (paragraph) longer than this is not a plan's text; parsing it costs more than linear time.
MAX_LINE_CHARS = 100_000
_SPACES = re.compile(r"\s+")
UNSPLIT_ADVICE = "văn bản có vẻ không chia dòng — hãy xuống dòng theo đoạn rồi nạp lại (line too long)"


class LoadError(Exception):
    """A file that cannot be read; str() is a one-line Vietnamese message naming the file."""

    def __init__(self, message: str, path: str | Path | None = None):
        # File names that are not valid UTF-8 reach us as surrogate escapes, which print() cannot write.
        message = message.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        super().__init__(_SPACES.sub(" ", message).strip())
        self.path = Path(path) if path is not None else None


def fail(path: Path, reason: str) -> LoadError:
    return LoadError(f"Không đọc được tệp '{path}': {reason}.", path)


def check_line_lengths(path: Path, lines: list[str]) -> None:
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise fail(path, f"dòng {n} dài {len(line):,} ký tự (tối đa {MAX_LINE_CHARS:,}); ".replace(",", ".")
                       + UNSPLIT_ADVICE)
