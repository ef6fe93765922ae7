"""The index on disk: FAISS vectors, chunk metadata, lexical index, manifest.

Layout under `<home>/`:
    corpus.toml              which sources the user indexed: outside the versions, so that a
                             damaged index is rebuilt from the user's corpus, never the bundled one
    index/CURRENT            name of the live version directory (replaced atomically)
    index/v-<stamp>/         manifest.json, chunks.json, documents.json, vectors.npy, dense.faiss, lexical/

A build writes a whole new version directory, then swaps CURRENT with
os.replace. Killing a build at any moment leaves the previous version live, and
old versions are removed only once the new one is live. The manifest records the
size and SHA-256 of every other file of its version, so any damaged file (the
lexical side included) is detected at load and the version rebuilt.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from kehoach.index.sources import read_sources, record_sources
from kehoach.files import sha256_file, write_atomic
from kehoach.records import Chunk, Document, PlanInfo

FORMAT_VERSION = 1
FLAT_LIMIT = 50_000          # above this, exact search gets slow: switch to HNSW
_PID_FILE = ".pid"           # inside a .building dir: which process owns it
STALE_BUILD_SECONDS = 3600   # a .building dir without an owner we can check is abandoned after this


class IndexError_(Exception):
    """The index is missing, corrupt or built for something else; the message says which."""


class DiskFull(IndexError_):
    """Not enough free space to write a new version; the old one is kept."""


@dataclass
class StoredDoc:
    doc: str
    path: str
    sha256: str
    ocr: bool
    info: PlanInfo
    lines: list[str]
    restored_lines: list[str] | None

    @classmethod
    def from_document(cls, d: Document) -> StoredDoc:
        return cls(doc=d.doc, path=d.path, sha256=d.sha256, ocr=d.ocr, info=d.info, lines=d.lines,
                   restored_lines=d.restored_lines)


def make_faiss_index(vectors: np.ndarray):
    """Exact inner product up to FLAT_LIMIT vectors, HNSW above (vectors are normalised)."""
    import faiss
    n, dim = vectors.shape
    if n <= FLAT_LIMIT:
        index = faiss.IndexFlatIP(dim)
    else:
        index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = 128
    if n:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


# ---- checksums -------------------------------------------------------------------------

def _version_files(d: Path) -> list[Path]:
    return sorted(p for p in d.rglob("*") if p.is_file() and p.name not in ("manifest.json", _PID_FILE))


def file_checksums(d: Path) -> dict[str, list]:
    """{relative path: [size, sha256]} of every file of a version but the manifest itself."""
    return {p.relative_to(d).as_posix(): [p.stat().st_size, sha256_file(p)] for p in _version_files(d)}


def check_files(d: Path, manifest: dict, full: bool = True) -> list[str]:
    """What is wrong with the files of version `d` (missing, extra size, changed content); [] if intact."""
    recorded = manifest.get("files")
    if not isinstance(recorded, dict):
        return ["chỉ mục cũ chưa có mã kiểm tra (checksum) cho các tệp"]
    problems = []
    for rel, entry in recorded.items():
        p = d / rel
        try:
            size = p.stat().st_size
        except OSError:
            problems.append(f"thiếu tệp {rel}")
            continue
        if size != entry[0]:
            problems.append(f"tệp {rel} sai kích thước ({size} thay vì {entry[0]} byte)")
        elif full and sha256_file(p) != entry[1]:
            problems.append(f"tệp {rel} bị thay đổi (sai mã kiểm tra)")
    return problems


class IndexStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    @property
    def home(self) -> Path:
        return self.root.parent

    # ---- reading ---------------------------------------------------------------
    def _named_dir(self) -> Path | None:
        try:
            name = (self.root / "CURRENT").read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        d = self.root / name
        return d if name and "/" not in name and d.is_dir() else None

    def _complete_versions(self) -> list[Path]:
        """Version directories holding a readable manifest, newest first."""
        try:
            dirs = [p for p in self.root.iterdir() if p.is_dir() and p.name.startswith("v-")]
        except OSError:
            return []
        return [d for d in sorted(dirs, key=lambda p: p.name, reverse=True) if _read_manifest(d) is not None]

    def current_dir(self) -> Path | None:
        """The live version: the one CURRENT names, else (CURRENT lost or garbled) the newest complete one."""
        d = self._named_dir()
        if d is not None:
            return d
        versions = self._complete_versions()
        return versions[0] if versions else None

    def manifest(self) -> dict | None:
        d = self.current_dir()
        return _read_manifest(d) if d is not None else None

    def has_versions(self) -> bool:
        try:
            return any(p.is_dir() and p.name.startswith("v-") for p in self.root.iterdir())
        except OSError:
            return False

    def recorded_sources(self) -> list[str] | None:
        """What the user indexed: corpus.toml, else (an index from before corpus.toml) the manifest."""
        sources = read_sources(self.home)
        if sources is None:
            m = self.manifest()
            sources = list(m["sources"]) if m and m.get("sources") else None
        return sources

    def missing_message(self) -> str:
        """Why there is no usable manifest, and what will be rebuilt from what."""
        sources = self.recorded_sources()
        what = ", ".join(sources) if sources else "các kế hoạch có sẵn"
        if self.has_versions():
            return f"Chỉ mục bị hỏng (manifest.json không đọc được): đang xây dựng lại từ {what}…"
        return "Chưa có chỉ mục: đang xây dựng lần đầu (vài phút)…"

    def verify(self, full: bool = True) -> list[str]:
        """Every problem of the live index, in Vietnamese; [] when it is intact. Changes nothing."""
        named = self._named_dir()
        d = self.current_dir()
        if d is None:
            return ["chưa có chỉ mục" if not self.has_versions() else "không có phiên bản chỉ mục nào đọc được"]
        problems = [] if named is not None else [f"tệp CURRENT bị mất hoặc hỏng (phiên bản còn lại: {d.name})"]
        manifest = _read_manifest(d)
        if manifest is None:
            return [*problems, f"manifest.json của {d.name} không đọc được"]
        if manifest.get("format_version") != FORMAT_VERSION:
            problems.append("chỉ mục được tạo bởi phiên bản khác")
        return problems + check_files(d, manifest, full=full)

    def repair_pointer(self) -> None:
        """Point CURRENT at the live version again when it was lost (the files themselves are intact)."""
        d = self.current_dir()
        if d is not None and self._named_dir() is None:
            _write_text_atomic(self.root / "CURRENT", d.name)

    def reindex_hint(self) -> str:
        """How to get the user's index back, naming what it held."""
        sources = self.recorded_sources()
        if sources:
            shown = " ".join(f'"{s}"' for s in sources)
            return f" Chỉ mục đã lập cho: {', '.join(sources)}. Để lập lại: kehoach index {shown}"
        return " Để lập lại: kehoach index --force"

    def load(self) -> tuple[dict, list[Chunk], list[StoredDoc], np.ndarray, object, Path]:
        """Everything a searcher needs; raises IndexError_ with a Vietnamese message."""
        import faiss
        d = self.current_dir()
        if d is None:
            raise IndexError_("Chưa có chỉ mục (index) — cần xây dựng.")
        try:
            manifest = json.loads((d / "manifest.json").read_text("utf-8"))
            if manifest.get("format_version") != FORMAT_VERSION:
                raise IndexError_("Chỉ mục được tạo bởi phiên bản khác — cần xây dựng lại.")
            # Legacy versions without checksums still load; `kehoach index` adds them.
            damaged = check_files(d, manifest) if "files" in manifest else []
            if damaged:
                raise IndexError_(f"Chỉ mục bị hỏng ({'; '.join(damaged[:3])}) — cần xây dựng lại.")
            chunks = [Chunk(**c) for c in json.loads((d / "chunks.json").read_text("utf-8"))]
            docs = []
            for raw in json.loads((d / "documents.json").read_text("utf-8")):
                raw["info"] = PlanInfo(**raw["info"])
                docs.append(StoredDoc(**raw))
            vectors = np.load(d / "vectors.npy", allow_pickle=False)
            index = faiss.read_index(str(d / "dense.faiss"))
        except IndexError_:
            raise
        except Exception as exc:  # any unreadable piece means the same thing to the user
            raise IndexError_(f"Chỉ mục bị hỏng ({type(exc).__name__}) — cần xây dựng lại.") from exc
        if not (len(chunks) == vectors.shape[0] == index.ntotal == manifest.get("n_chunks")):
            raise IndexError_("Chỉ mục không nhất quán (số đoạn không khớp) — cần xây dựng lại.")
        return manifest, chunks, docs, vectors, index, d

    def load_reusable(self) -> tuple | None:
        """Chunks and vectors of a damaged version whose own files are intact (checksums), so a
        rebuild re-embeds nothing when only the lexical side or the FAISS file is damaged."""
        d = self.current_dir()
        manifest = _read_manifest(d) if d is not None else None
        if not manifest or manifest.get("format_version") != FORMAT_VERSION or "files" not in manifest:
            return None
        needed = {rel: entry for rel, entry in manifest["files"].items()
                  if rel in ("chunks.json", "documents.json", "vectors.npy")}
        if len(needed) != 3 or check_files(d, {"files": needed}):
            return None
        try:
            chunks = [Chunk(**c) for c in json.loads((d / "chunks.json").read_text("utf-8"))]
            vectors = np.load(d / "vectors.npy", allow_pickle=False)
        except Exception:  # noqa: BLE001 - checksums matched, so this is not expected; rebuild from scratch
            return None
        if len(chunks) != vectors.shape[0]:
            return None
        return manifest, chunks, [], vectors, None, d

    # ---- writing ---------------------------------------------------------------
    def write(self, manifest: dict, chunks: list[Chunk], docs: list[StoredDoc], vectors: np.ndarray,
              lexical_tokens: list[list[str]]) -> Path:
        import faiss

        from kehoach.index.lexical import LexicalIndex
        self.root.mkdir(parents=True, exist_ok=True)
        self._prune_dead_builds()
        self._check_space(vectors, chunks, docs)
        tmp = Path(tempfile.mkdtemp(dir=self.root, prefix=".building-"))
        try:
            (tmp / _PID_FILE).write_text(f"{os.getpid()} {socket.gethostname()}", encoding="utf-8")
            index = make_faiss_index(vectors)
            manifest = {**manifest, "format_version": FORMAT_VERSION, "n_chunks": len(chunks),
                        "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
                        "faiss": type(index).__name__, "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
            np.save(tmp / "vectors.npy", np.ascontiguousarray(vectors, dtype=np.float32))
            faiss.write_index(index, str(tmp / "dense.faiss"))
            LexicalIndex.build(lexical_tokens).retriever.save(str(tmp / "lexical"), show_progress=False)
            _dump(tmp / "chunks.json", [asdict(c) for c in chunks])
            _dump(tmp / "documents.json", [asdict(d) for d in docs])
            manifest["files"] = file_checksums(tmp)
            _dump(tmp / "manifest.json", manifest)   # last: its presence marks a complete version
            (tmp / _PID_FILE).unlink()
            # The temp dir's random suffix keeps two builds within one second apart.
            final = self.root / f"v-{time.strftime('%Y%m%d-%H%M%S')}-{tmp.name.rsplit('-', 1)[-1]}"
            os.replace(tmp, final)
            _write_text_atomic(self.root / "CURRENT", final.name)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if _is_disk_full(exc):
                raise DiskFull(_disk_full_message(self.root)) from exc
            raise
        try:
            record_sources(self.home, manifest.get("sources"))
        except OSError as exc:
            if _is_disk_full(exc):
                raise DiskFull(_disk_full_message(self.home)) from exc
            raise
        self._prune(keep=final)
        return final

    def _check_space(self, vectors: np.ndarray, chunks: list, docs: list) -> None:
        """Refuse before writing when the new version clearly cannot fit (faiss reports ENOSPC badly)."""
        need = 2 * vectors.nbytes + 1500 * len(chunks) + sum(60 * len(d.lines) for d in docs) + (1 << 20)
        try:
            free = shutil.disk_usage(self.root).free
        except OSError:
            return
        if free < need:
            raise DiskFull(_disk_full_message(self.root, need))

    def _prune(self, keep: Path) -> None:
        """Remove old versions (only ever after `keep` is live) and abandoned builds."""
        for p in self.root.iterdir():
            if p.is_dir() and p != keep and p.name.startswith("v-"):
                shutil.rmtree(p, ignore_errors=True)
        self._prune_dead_builds()

    def _prune_dead_builds(self) -> None:
        """Remove .building dirs whose process is gone (or, when that cannot be told, old ones)."""
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return
        for p in entries:
            if p.is_dir() and p.name.startswith(".building-") and not _build_alive(p):
                shutil.rmtree(p, ignore_errors=True)


def _build_alive(d: Path) -> bool:
    try:
        pid_s, _, host = (d / _PID_FILE).read_text("utf-8").partition(" ")
        pid = int(pid_s)
    except (OSError, ValueError):
        # No owner recorded (being created, or written by an older version): judge by age.
        try:
            return time.time() - d.stat().st_mtime < STALE_BUILD_SECONDS
        except OSError:
            return False
    if host.strip() != socket.gethostname():
        try:
            return time.time() - d.stat().st_mtime < STALE_BUILD_SECONDS
        except OSError:
            return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    # faiss and bm25s report C-level write failures as RuntimeError with the errno text.
    return isinstance(exc, RuntimeError) and "No space left" in str(exc)


def _disk_full_message(where: Path, need: int | None = None) -> str:
    try:
        free = shutil.disk_usage(where if where.exists() else where.parent).free
        room = f" (còn trống {free / 2**20:.0f} MB" + (f", cần khoảng {need / 2**20:.0f} MB)" if need else ")")
    except OSError:
        room = ""
    return (f"Ổ đĩa đầy: không đủ chỗ trống để ghi chỉ mục vào {where}{room}. Chỉ mục cũ vẫn được giữ "
            "nguyên; hãy giải phóng dung lượng rồi chạy lại «kehoach index».")


def _read_manifest(d: Path) -> dict | None:
    try:
        m = json.loads((d / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return m if isinstance(m, dict) else None


def _dump(path: Path, data) -> None:
    with path.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())


def _write_text_atomic(path: Path, text: str) -> None:
    write_atomic(path, lambda fh: fh.write(text), "w")
