"""The options of `kehoach serve`, checked before anything is loaded: path prefix, users, CSP, origins,
the address to listen on. Each bad option is one Vietnamese line (ServeError).
"""
from __future__ import annotations

import ipaddress
import os
import re
import socket
from pathlib import Path

# Pages may be framed by this origin only, unless KEHOACH_FRAME_ANCESTORS (or the CORS origins)
# name a portal; KEHOACH_CSP replaces the whole policy (empty: no CSP header).
DEFAULT_FRAME_ANCESTORS = "'self'"
_ROOT_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")


class ServeError(ValueError):
    """A start-up problem the CLI prints as one Vietnamese line."""


def normalize_root_path(root_path: str | None) -> str:
    """"" or "/kehoach" (leading slash, no trailing slash)."""
    if not root_path or root_path.strip() in ("", "/"):
        return ""
    path = "/" + root_path.strip().strip("/")
    if not _ROOT_PATH.match(path) or any(seg in (".", "..") for seg in path.split("/")):
        raise ServeError(f"--root-path không hợp lệ: {root_path!r}; ví dụ /kehoach (invalid root path).")
    return path


def _parse_user(spec: str, where: str) -> tuple[str, str]:
    user, sep, password = spec.partition(":")
    if not sep or not user.strip() or not password:
        raise ServeError(f"{where}: cần dạng tên:mật_khẩu (expected user:password).")
    return user.strip(), password


def load_users(auth: str | None = None, auth_file: str | os.PathLike | None = None,
               env: str | None = None) -> list[tuple[str, str]]:
    """Users from `--auth user:pass`, `--auth-file F` (one user:pass a line, # comments) and/or the
    KEHOACH_AUTH environment variable (same format; unlike --auth, not visible in `ps`)."""
    users = []
    if auth:
        users.append(_parse_user(auth, "--auth"))
    for n, line in enumerate((env or "").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            users.append(_parse_user(line.strip(), f"KEHOACH_AUTH dòng {n}"))
    if auth_file:
        path = Path(auth_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ServeError(f"Không đọc được tệp tài khoản {path}: {err.__class__.__name__} "
                             "(cannot read auth file).") from None
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("#"):
                users.append(_parse_user(line.rstrip("\r\n"), f"{path}:{n}"))
        if not users:
            raise ServeError(f"Tệp tài khoản {path} không có tài khoản nào (auth file is empty).")
    return users


def content_security_policy(allow_origins: list[str] | None = None) -> str:
    """The CSP header: KEHOACH_CSP as given, else frame-ancestors only (Gradio needs inline scripts)."""
    if "KEHOACH_CSP" in os.environ:
        return os.environ["KEHOACH_CSP"].strip()
    ancestors = os.environ.get("KEHOACH_FRAME_ANCESTORS", "").replace(",", " ").split()
    if not ancestors:
        ancestors = [DEFAULT_FRAME_ANCESTORS, *(allow_origins or [])]
    return f"frame-ancestors {' '.join(dict.fromkeys(ancestors))}; object-src 'none'; base-uri 'self'"


def origins_from_env() -> list[str]:
    raw = os.environ.get("KEHOACH_ALLOW_ORIGINS", "")
    return [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]


def check_port(host: str, port: int) -> None:
    if not 1 <= port <= 65535:
        raise ServeError(f"Cổng {port} không hợp lệ (invalid port).")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as err:
        raise ServeError(f"Không mở được {host}:{port} ({err.strerror or err}); cổng đang bận hoặc địa chỉ "
                         "sai (cannot bind).") from None


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
