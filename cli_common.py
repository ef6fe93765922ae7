"""What every command shares: output, Vietnamese errors, argument checks, the Config, atomic writes."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from kehoach.config import Config

EXIT_USAGE, EXIT_FAIL = 2, 1

def _out(obj) -> None:
    from kehoach.validate import printable   # a question with invalid bytes is echoed, not a crash
    sys.stdout.write(printable(json.dumps(obj, ensure_ascii=False)) + "\n")


def _err(msg: str) -> None:
    from kehoach.validate import printable
    sys.stderr.write(printable(msg.rstrip()) + "\n")


def _checked_args(args, docs=None, agency_known=None) -> str | None:
    """The same limits as the JSON API (kehoach.validate) for -k, --year, --doc, --agency; a message or None."""
    from kehoach.validate import InputError, check_agency, check_k, check_year, resolve_doc
    try:
        if getattr(args, "k", None) is not None:
            args.k = check_k(args.k, 10)
        check_year(getattr(args, "year", None), "--year")
        if getattr(args, "doc", None) and docs is not None:
            args.doc = resolve_doc(args.doc, docs)
        if getattr(args, "agency", None) is not None:
            args.agency = check_agency(args.agency, agency_known)
    except InputError as err:
        return str(err)
    return None


def _cfg(args) -> Config:
    over = {}
    if getattr(args, "home", None):
        over["home"] = Path(args.home).expanduser()
    return Config.load(**over)


def _say(quiet: bool):
    return (lambda m: None) if quiet else (lambda m: _err(m))


def _write(path: Path, data: bytes) -> bool:
    try:
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        return True
    except OSError as exc:
        _err(f"Không ghi được tệp '{path}': {exc.strerror}.")
        return False



def corpus_paths(args) -> list[str] | None:
    """The documents a command reads: those given, else those the user last indexed (corpus.toml),
    else None (the configured or bundled plans)."""
    if getattr(args, "paths", None):
        return args.paths
    from kehoach.index.sources import read_sources
    return read_sources(_cfg(args).home) or None
