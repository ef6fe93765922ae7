"""A text file's bytes to text and numbered lines: BOMs, BOM-less UTF-16, UTF-8, then the 8-bit Vietnamese
encodings; lines as an editor numbers them.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from kehoach.corpus.legacy_encodings import UncertainEncoding, decode_8bit, read_cp1252, repair_legacy
from kehoach.corpus.load_error import LoadError, fail

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters no text file holds (tab, newlines, form feed, vertical tab, DOS end-of-file are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ud800-\udfff]")


def utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: most characters of Vietnamese text are ASCII, so every other byte is NUL."""
    pairs = len(data) // 2
    if pairs < 2:
        return None
    even = data[0:pairs * 2:2].count(0) / pairs
    odd = data[1:pairs * 2:2].count(0) / pairs
    if odd >= 0.3 and even <= 0.05:
        encoding = "utf-16-le"
    elif even >= 0.3 and odd <= 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data[:pairs * 2].decode(encoding)
    except UnicodeDecodeError:
        return None


def _looks_binary(text: str) -> bool:
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def decode_text(data: bytes, path: Path) -> str:
    """File bytes -> text: BOMs, BOM-less UTF-16, UTF-8, then the 8-bit Vietnamese encodings."""
    binary = fail(path, "không phải văn bản (tệp nhị phân)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                if encoding == "utf-8":   # a few damaged bytes: judged like any non-UTF-8 text
                    return _decode_legacy(data[len(bom):], path, binary)
                raise fail(path, f"mã hoá {encoding.upper()} bị hỏng (invalid {encoding})") from None
            break
    else:
        text = utf16_without_bom(data)
        if text is None:
            if b"\x00" in data:
                raise binary
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return _decode_legacy(data, path, binary)
    if _looks_binary(text):
        raise binary
    return repair_legacy(text)[0]


def _decode_legacy(data: bytes, path: Path, binary: LoadError) -> str:
    if _looks_binary(read_cp1252(data)):
        raise binary
    try:
        text, _ = decode_8bit(data)
    except UncertainEncoding:
        raise fail(
            path,
            "có vẻ dùng bảng mã cũ (TCVN3/VNI) nhưng không chuyển được chắc chắn; "
            "hãy lưu lại dưới dạng Unicode UTF-8 (unknown legacy encoding)",
        ) from None
    return text


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: split on "\\n", a final newline ends the last line."""
    if "\n" not in text and "\r" in text:
        lines = text.split("\r")  # classic Mac line ends: the only line breaks the file has
    else:
        lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return lines
