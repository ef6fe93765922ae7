"""Reading user files (.txt, .docx, .pdf) into numbered lines: finding them, checking them, and handing
each to the reader of its type (read_txt, read_docx, read_pdf).

Every citation `lines: [a, b]` points into the file as given, so for .txt line i is the i-th line of the
file split on "\\n" (a trailing "\\r" dropped, empty lines kept). .docx and .pdf have no line numbers of
their own: we number paragraphs / table cells and text-layer lines in reading order.

Bad input never raises anything but `LoadError`, whose message is one Vietnamese line naming the file.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from kehoach.corpus.legacy_encodings import repair_legacy
from kehoach.corpus.load_error import LoadError, fail
from kehoach.corpus.read_docx import docx_lines
from kehoach.corpus.read_pdf import pdf_lines
from kehoach.corpus.read_txt import txt_lines
from kehoach.corpus.text import nfc
from kehoach.files import sha256_file as _sha256

__all__ = ["SUPPORTED_SUFFIXES", "LoadError", "iter_files", "load_lines", "load_many", "sha256_file"]

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024
_ADVICE = {
    ".doc": "tệp Word cũ (.doc): hãy mở bằng Word và lưu thành .docx",
    ".rtf": "hãy lưu thành .docx hoặc .txt",
    ".odt": "hãy lưu thành .docx hoặc .txt",
}


# ---- finding files ------------------------------------------------------------------------------------

def _skipped(name: str) -> bool:
    # Hidden files, and the "~$x.docx" owner files Word leaves beside an open document.
    return name.startswith((".", "~$")) or name == "__pycache__"


def _walk(root: Path) -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(root):
        # A Python package folder (the bundled corpus) holds code and package data below it, not plans.
        dirs[:] = [] if "__init__.py" in files else sorted(d for d in dirs if not _skipped(d))
        found.extend(
            Path(folder) / f for f in sorted(files)
            if not _skipped(f) and Path(f).suffix.lower() in SUPPORTED_SUFFIXES
        )
    return found


def iter_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders (recursively, sorted) into plan files; keep named files whatever their suffix."""
    out: list[Path] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = _walk(path)
        elif path.exists():
            found = [path]
        else:
            raise LoadError(f"Không tìm thấy tệp hoặc thư mục '{raw}' (not found).", path)
        for f in found:
            key = os.path.realpath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


# ---- bytes and text -----------------------------------------------------------------------------------

def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise fail(path, "không có quyền đọc (permission denied)") from None
    except OSError as e:
        raise fail(path, f"lỗi khi đọc tệp ({e.strerror or type(e).__name__})") from None


def _check_file(path: Path) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise LoadError(f"Không tìm thấy tệp '{path}' (not found).", path) from None
    except OSError as e:
        raise fail(path, f"không truy cập được ({e.strerror or type(e).__name__})") from None
    if path.is_dir():
        raise fail(path, "đây là thư mục, không phải tệp (is a directory)")
    if not stat.S_ISREG(st.st_mode):
        # Opening a FIFO blocks until a writer comes; a device may never end: never open them.
        raise fail(path, "không phải tệp thông thường (FIFO, thiết bị hoặc socket) — bỏ qua (not a regular file)")
    if st.st_size > MAX_BYTES:
        mb = f"{st.st_size / 1024 / 1024:.1f}".replace(".", ",")
        raise fail(path, f"tệp quá lớn ({mb} MB, tối đa {MAX_BYTES // 1024 // 1024} MB)")


def load_lines(path: str | Path) -> list[str]:
    """The document as NFC lines without terminators; raises LoadError with a one-line message."""
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    readers = {".txt": txt_lines, ".docx": docx_lines, ".pdf": pdf_lines}
    if suffix not in readers:
        shown = suffix or "không có đuôi"
        advice = _ADVICE.get(suffix, "chỉ nhận .txt, .docx, .pdf")
        raise fail(path, f"định dạng '{shown}' chưa được hỗ trợ; {advice} (unsupported format)")
    data = _read_bytes(path)
    if not data.strip():
        raise fail(path, "tệp rỗng, không có nội dung (empty file)")
    lines = readers[suffix](path, data)
    if not any(line.strip() for line in lines):
        raise fail(path, "tệp rỗng, không có nội dung (empty file)")
    if suffix != ".txt":  # .txt was repaired while decoding
        lines = repair_legacy("\n".join(lines))[0].split("\n")
    return [nfc(line) for line in lines]


def load_many(paths: Iterable[str | Path]) -> tuple[list[tuple[Path, list[str]]], list[str]]:
    """Load every file under `paths`; a bad file or path becomes one error line, the rest still load."""
    loaded: list[tuple[Path, list[str]]] = []
    errors: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        try:
            files = iter_files([raw])
        except LoadError as e:
            errors.append(str(e))
            continue
        for f in files:
            key = os.path.realpath(f)
            if key in seen:
                continue
            seen.add(key)
            try:
                loaded.append((f, load_lines(f)))
            except LoadError as e:
                errors.append(str(e))
    return loaded, errors


def sha256_file(path: str | Path) -> str:
    path = Path(path)
    _check_file(path)   # never open a FIFO or a device: it would hang or never end
    try:
        return _sha256(path)
    except OSError as e:
        raise fail(path, f"lỗi khi đọc tệp ({e.strerror or type(e).__name__})") from None
