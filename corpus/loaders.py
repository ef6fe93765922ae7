"""Reading user files (.txt, .docx, .pdf) into numbered lines.

Every citation `lines: [a, b]` points into the file as given, so for .txt line i is the i-th line of the
file split on "\\n" (a trailing "\\r" dropped, empty lines kept). .docx and .pdf have no line numbers of
their own: we number paragraphs / table cells and text-layer lines in reading order.

Bad input never raises anything but `LoadError`, whose message is one Vietnamese line naming the file.
"""
from __future__ import annotations

import codecs
import io
import logging
import os
import re
import stat
import zipfile
from collections.abc import Iterable
from pathlib import Path

from kehoach.corpus.legacy_encodings import UncertainEncoding, decode_8bit, read_cp1252, repair_legacy
from kehoach.corpus.text import nfc
from kehoach.files import sha256_file as _sha256

SUPPORTED_SUFFIXES = (".txt", ".docx", ".pdf")
MAX_BYTES = 50 * 1024 * 1024
# Decompression bombs: a .docx (a zip) may not expand beyond this, nor by more than MAX_RATIO overall
# (real Word files compress about 3-20 times; a bomb, thousands).
MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 150
# Extracted text of a .pdf: a few hundred pages of plans are ~2 M characters. (pypdf itself caps what one
# compressed stream may expand to, 75 MB by default.)
MAX_PDF_CHARS = 20_000_000
# One line (paragraph) longer than this is not a plan's text; parsing it costs more than linear time.
MAX_LINE_CHARS = 100_000
_ADVICE = {
    ".doc": "tệp Word cũ (.doc): hãy mở bằng Word và lưu thành .docx",
    ".rtf": "hãy lưu thành .docx hoặc .txt",
    ".odt": "hãy lưu thành .docx hoặc .txt",
}
_SPACES = re.compile(r"\s+")


class LoadError(Exception):
    """A file that cannot be read; str() is a one-line Vietnamese message naming the file."""

    def __init__(self, message: str, path: str | Path | None = None):
        # File names that are not valid UTF-8 reach us as surrogate escapes, which print() cannot write.
        message = message.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        super().__init__(_SPACES.sub(" ", message).strip())
        self.path = Path(path) if path is not None else None


def _fail(path: Path, reason: str) -> LoadError:
    return LoadError(f"Không đọc được tệp '{path}': {reason}.", path)


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
        raise _fail(path, "không có quyền đọc (permission denied)") from None
    except OSError as e:
        raise _fail(path, f"lỗi khi đọc tệp ({e.strerror or type(e).__name__})") from None


def _check_file(path: Path) -> None:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise LoadError(f"Không tìm thấy tệp '{path}' (not found).", path) from None
    except OSError as e:
        raise _fail(path, f"không truy cập được ({e.strerror or type(e).__name__})") from None
    if path.is_dir():
        raise _fail(path, "đây là thư mục, không phải tệp (is a directory)")
    if not stat.S_ISREG(st.st_mode):
        # Opening a FIFO blocks until a writer comes; a device may never end: never open them.
        raise _fail(path, "không phải tệp thông thường (FIFO, thiết bị hoặc socket) — bỏ qua (not a regular file)")
    if st.st_size > MAX_BYTES:
        mb = f"{st.st_size / 1024 / 1024:.1f}".replace(".", ",")
        raise _fail(path, f"tệp quá lớn ({mb} MB, tối đa {MAX_BYTES // 1024 // 1024} MB)")


_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Control characters no text file holds (tab, newlines, form feed, vertical tab, DOS end-of-file are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ud800-\udfff]")


def _utf16_without_bom(data: bytes) -> str | None:
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
    binary = _fail(path, "không phải văn bản (tệp nhị phân)")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                if encoding == "utf-8":   # a few damaged bytes: judged like any non-UTF-8 text
                    return _decode_legacy(data[len(bom):], path, binary)
                raise _fail(path, f"mã hoá {encoding.upper()} bị hỏng (invalid {encoding})") from None
            break
    else:
        text = _utf16_without_bom(data)
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
        raise _fail(
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


# ---- formats ------------------------------------------------------------------------------------------

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


def _check_line_lengths(path: Path, lines: list[str]) -> None:
    for n, line in enumerate(lines, 1):
        if len(line) > MAX_LINE_CHARS:
            raise _fail(path, f"dòng {n} dài {len(line):,} ký tự (tối đa {MAX_LINE_CHARS:,}); "
                              "văn bản có vẻ không chia dòng — hãy xuống dòng theo đoạn rồi nạp lại (line too long)"
                        .replace(",", "."))


def _txt_lines(path: Path, data: bytes) -> list[str]:
    # Checked on the bytes, before decoding: decoding and repair of one huge line are not linear.
    # UTF-16/32 use up to 4 bytes a character, so the byte limit is generous; the exact check follows.
    longest, n = _longest_line(data)
    if longest > 4 * MAX_LINE_CHARS:
        raise _fail(path, f"dòng {n} dài khoảng {longest:,} byte (tối đa {MAX_LINE_CHARS:,} ký tự một dòng); "
                          "văn bản có vẻ không chia dòng — hãy xuống dòng theo đoạn rồi nạp lại (line too long)"
                    .replace(",", "."))
    lines = split_lines(decode_text(data, path))
    _check_line_lengths(path, lines)
    return lines


def _check_zip(path: Path, data: bytes) -> None:
    """Refuse a .docx whose members would expand beyond the caps, before anything is decompressed.

    zipfile never returns more than a member's declared size (a lie ends in a CRC error), so
    the declared sizes bound what python-docx can be made to read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return   # judged (and reported as corrupt) by the reader itself
    expanded = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    mb = f"{expanded / 2**20:,.0f}".replace(",", ".")
    if expanded > MAX_EXPANDED_BYTES:
        raise _fail(path, f"giải nén ra {mb} MB (tối đa {MAX_EXPANDED_BYTES // 2**20} MB) — có thể là "
                          "«bom giải nén», không đọc (decompression bomb)")
    if expanded > 10 * 2**20 and expanded / packed > MAX_RATIO:
        raise _fail(path, f"tỉ lệ nén bất thường ({expanded / packed:.0f}:1, giải nén ra {mb} MB) — có thể là "
                          "«bom giải nén», không đọc (decompression bomb)")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Runs of a paragraph, including those inside links, tracked insertions, smart tags, content controls and
# simple fields (python-docx's Paragraph.text sees only the first two). Deleted runs are left out.
_RUNS = (
    "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:sdt/w:sdtContent/w:r"
    " | ./w:fldSimple/w:r"
)


def _docx_blocks(parent, out: list[str]) -> None:
    """Paragraphs and tables in body order; a table gives its non-empty cells one per line, row by row."""
    for child in parent.iterchildren():
        if child.tag == _W + "p":
            out.extend("".join(r.text for r in child.xpath(_RUNS)).split("\n"))
        elif child.tag == _W + "tbl":
            _docx_table(child, out)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _docx_blocks(content, out)


def _docx_table(tbl, out: list[str]) -> None:
    """A table row by row, exactly one line per grid column, so its rows can be read by the header.

    A cell's paragraphs are joined into its one line. A cell merged across k columns (gridSpan) is
    written once, then k - 1 empty lines; empty cells and the continuations of vertically merged
    cells are empty lines. Every row therefore has as many lines as the header has columns.
    """
    for row in tbl.iterchildren(_W + "tr"):
        for cell in row.iterchildren(_W + "tc"):
            cell_lines: list[str] = []
            _docx_blocks(cell, cell_lines)
            out.append(" ".join(line.strip() for line in cell_lines if line.strip()))
            span = cell.find(f"{_W}tcPr/{_W}gridSpan")
            try:
                extra = int(span.get(_W + "val")) - 1 if span is not None else 0
            except (TypeError, ValueError):
                extra = 0
            out.extend([""] * max(0, min(extra, 50)))


def _docx_lines(path: Path, data: bytes) -> list[str]:
    import docx

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(path, "đây là tệp Word cũ (.doc) mang đuôi .docx; hãy mở bằng Word và lưu thành .docx")
    _check_zip(path, data)
    try:
        body = docx.Document(io.BytesIO(data)).element.body
        lines: list[str] = []
        _docx_blocks(body, lines)
    except Exception:  # noqa: BLE001 - zipfile, lxml and python-docx each raise their own errors
        raise _fail(path, "tệp .docx bị hỏng hoặc không phải .docx (corrupt docx)") from None
    _check_line_lengths(path, lines)
    return lines


def _pdf_lines(path: Path, data: bytes) -> list[str]:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # pypdf logs every repaired cross-reference; the user only needs our one line when it fails.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _fail(path, "PDF có mật khẩu; hãy gỡ mật khẩu rồi nạp lại (encrypted PDF)")
        pages, total = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            total += len(pages[-1])
            if total > MAX_PDF_CHARS:
                raise _fail(path, f"PDF chứa quá nhiều chữ (hơn {MAX_PDF_CHARS // 1_000_000} triệu ký tự) — "
                                  "có thể là «bom giải nén» (too much text)")
    except LoadError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise _fail(path, "PDF bị mã hoá, không đọc được (encrypted PDF)") from None
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
        raise _fail(path, "tệp PDF bị hỏng hoặc không phải PDF (corrupt PDF)") from None
    # A scan may carry a stamped page number; a text layer has more than that on some page.
    if not any(len("".join(p.split())) >= 10 for p in pages):
        raise _fail(
            path,
            "PDF không có lớp văn bản (bản quét ảnh); cần bản có lớp văn bản hoặc chạy OCR trước "
            "(no text layer)",
        )
    lines: list[str] = []
    for page in pages:
        lines.extend(line.rstrip() for line in split_lines(page))
    _check_line_lengths(path, lines)
    return lines



def load_lines(path: str | Path) -> list[str]:
    """The document as NFC lines without terminators; raises LoadError with a one-line message."""
    path = Path(path)
    _check_file(path)
    suffix = path.suffix.lower()
    readers = {".txt": _txt_lines, ".docx": _docx_lines, ".pdf": _pdf_lines}
    if suffix not in readers:
        shown = suffix or "không có đuôi"
        advice = _ADVICE.get(suffix, "chỉ nhận .txt, .docx, .pdf")
        raise _fail(path, f"định dạng '{shown}' chưa được hỗ trợ; {advice} (unsupported format)")
    data = _read_bytes(path)
    if not data.strip():
        raise _fail(path, "tệp rỗng, không có nội dung (empty file)")
    lines = readers[suffix](path, data)
    if not any(line.strip() for line in lines):
        raise _fail(path, "tệp rỗng, không có nội dung (empty file)")
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
        raise _fail(path, f"lỗi khi đọc tệp ({e.strerror or type(e).__name__})") from None
