""".pdf files: the text layer's lines in reading order, page after page; a scan without one is refused."""
from __future__ import annotations

import io
import logging
from pathlib import Path

from kehoach.corpus.file_text import split_lines
from kehoach.corpus.load_error import LoadError, check_line_lengths, fail

# Extracted text of a .pdf: a few hundred pages of plans are ~2 M characters. (pypdf itself caps what one
# compressed stream may expand to, 75 MB by default.)
MAX_PDF_CHARS = 20_000_000


def pdf_lines(path: Path, data: bytes) -> list[str]:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    # pypdf logs every repaired cross-reference; the user only needs our one line when it fails.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise fail(path, "PDF có mật khẩu; hãy gỡ mật khẩu rồi nạp lại (encrypted PDF)")
        pages, total = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            total += len(pages[-1])
            if total > MAX_PDF_CHARS:
                raise fail(path, f"PDF chứa quá nhiều chữ (hơn {MAX_PDF_CHARS // 1_000_000} triệu ký tự) — "
                                 "có thể là «bom giải nén» (too much text)")
    except LoadError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise fail(path, "PDF bị mã hoá, không đọc được (encrypted PDF)") from None
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
        raise fail(path, "tệp PDF bị hỏng hoặc không phải PDF (corrupt PDF)") from None
    # A scan may carry a stamped page number; a text layer has more than that on some page.
    if not any(len("".join(p.split())) >= 10 for p in pages):
        raise fail(
            path,
            "PDF không có lớp văn bản (bản quét ảnh); cần bản có lớp văn bản hoặc chạy OCR trước "
            "(no text layer)",
        )
    lines: list[str] = []
    for page in pages:
        lines.extend(line.rstrip() for line in split_lines(page))
    check_line_lengths(path, lines)
    return lines
