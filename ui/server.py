"""One server for the page and the JSON API: FastAPI with the Gradio app mounted.

Routes (all under the public path prefix when behind a proxy):
  /               the Gradio page (Vietnamese); its named endpoint /ask for gradio_client
  POST /api/ask   {"question", "k", "filters"} -> the `kehoach ask --json` contract
  GET  /api/health
  GET  /embed.js  loader for the <gradio-app> web component, served from this origin

Auth is HTTP Basic on every route (page, Gradio API, JSON API, assets). Chosen
over Gradio's login form because that form relies on a cookie, which browsers
drop in cross-origin iframes, and because JSON clients can send Basic directly.
"""
from __future__ import annotations

import base64
import binascii
import functools
import hmac
import ipaddress
import json
import logging
import os
import re
import socket
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from kehoach.config import Config
from kehoach.ui.app import ENGINE_CONCURRENCY, QUEUE_MAX_SIZE, build_app, page_css, page_theme
from kehoach.ui.inputs import InputError, check_filters, check_k, check_question
from kehoach.ui.page_head import HeadStyle

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
REALM = "kehoach"
_ROOT_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")


class ServeError(ValueError):
    """A start-up problem the CLI prints as one Vietnamese line."""


# ---- options --------------------------------------------------------------------------

def normalize_root_path(root_path: str | None) -> str:
    """"" or "/kehoach" (leading slash, no trailing slash)."""
    if not root_path or root_path.strip() in ("", "/"):
        return ""
    path = "/" + root_path.strip().strip("/")
    if not _ROOT_PATH.match(path):
        raise ServeError(f"--root-path không hợp lệ: {root_path!r}; ví dụ /kehoach (invalid root path).")
    return path


def _parse_user(spec: str, where: str) -> tuple[str, str]:
    user, sep, password = spec.partition(":")
    if not sep or not user.strip() or not password:
        raise ServeError(f"{where}: cần dạng tên:mật_khẩu (expected user:password).")
    return user.strip(), password


def load_users(auth: str | None = None, auth_file: str | os.PathLike | None = None) -> list[tuple[str, str]]:
    """Users from `--auth user:pass` and/or `--auth-file F` (one user:pass a line, # comments)."""
    users = []
    if auth:
        users.append(_parse_user(auth, "--auth"))
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


def _origins_from_env() -> list[str]:
    raw = os.environ.get("KEHOACH_ALLOW_ORIGINS", "")
    return [o.strip().rstrip("/") for o in raw.split(",") if o.strip()]


# ---- middleware -----------------------------------------------------------------------

class BasicAuth:
    """HTTP Basic on every request; constant-time comparison over all users."""

    def __init__(self, app: ASGIApp, users: list[tuple[str, str]]):
        self.app = app
        self.users = [(u.encode(), p.encode()) for u, p in users]

    def _allowed(self, header: str | None) -> bool:
        if not header or not header.lower().startswith("basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:].strip(), validate=True).partition(b":")
        except (binascii.Error, ValueError):
            return False
        ok = False
        for u, p in self.users:
            ok |= hmac.compare_digest(user, u) & hmac.compare_digest(password, p)
        return ok

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self._allowed(Headers(scope=scope).get("authorization")):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        response = JSONResponse({"error": "Cần đăng nhập (authentication required)."}, status_code=401,
                                headers={"WWW-Authenticate": f'Basic realm="{REALM}", charset="UTF-8"'})
        await response(scope, receive, send)


class StripPrefix:
    """Accept requests with or without the public prefix.

    nginx may forward `/kehoach/x` as `/x` (proxy_pass with a trailing slash) or as
    `/kehoach/x`; the app answers both, and direct visits to http://host:port/kehoach/
    work too. Gradio itself learns the prefix from `root_path`.
    """

    def __init__(self, app: ASGIApp, prefix: str):
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            path = scope["path"]
            if scope["type"] == "http" and path == self.prefix:
                # Relative asset URLs need the trailing slash.
                query = scope.get("query_string", b"").decode("latin-1")
                await RedirectResponse(self.prefix + "/" + (f"?{query}" if query else ""),
                                       status_code=307)(scope, receive, send)
                return
            if path.startswith(self.prefix + "/"):
                scope = dict(scope)
                scope["path"] = path[len(self.prefix):]
                raw = scope.get("raw_path")
                if raw and raw.startswith(self.prefix.encode() + b"/"):
                    scope["raw_path"] = raw[len(self.prefix):]
        await self.app(scope, receive, send)


# ---- engine gate for the JSON route --------------------------------------------------------

class Busy(Exception):
    pass


class EngineGate:
    """At most `limit` engine calls at once in worker threads, at most `waiting` more queued;
    beyond that the route answers 503 at once instead of piling up threads."""

    def __init__(self, limit: int, waiting: int):
        self.limit, self.max_inflight = limit, limit + waiting
        self.inflight = 0
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.inflight >= self.max_inflight:
            raise Busy
        if self._limiter is None:  # created inside the event loop it serves
            self._limiter = anyio.CapacityLimiter(self.limit)
        self.inflight += 1
        try:
            return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), limiter=self._limiter)
        finally:
            self.inflight -= 1


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json_body(request: Request) -> Any:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError('Nội dung phải là JSON, ví dụ {"question": "..."} (body must be JSON).') from None


# ---- the web component loader ---------------------------------------------------------------

def embed_script() -> str:
    """ES module that loads Gradio's own frontend from this server (never a CDN).

    Gradio's bundled gradio.js is not served by the app, and the stylesheet its web
    component adds is looked up relative to the host page (same origin) or to the server
    root (other origin), which misses a path prefix; so this loader adds the stylesheet
    itself, from this script's own URL, and leaves a placeholder under the exact href
    Gradio looks for, so that Gradio does not request a URL that cannot exist.
    """
    index = resources.files("gradio").joinpath("templates/frontend/index.html").read_text(encoding="utf-8")
    js = re.search(r'src="\./(assets/index-[^"]+\.js)"', index)
    css = re.search(r'href="\./(assets/index-[^"]+\.css)"', index)
    if not js or not css:
        raise RuntimeError("gradio frontend entry not found")
    return f"""// kehoach: Gradio web component (<gradio-app>) from this server; nothing from a CDN.
const base = new URL(".", import.meta.url);
const css = "./{css.group(1)}";
function addLink(rel, href) {{
  if (document.querySelector(`link[href="${{href}}"]`)) return;
  const link = document.createElement("link");
  link.rel = rel;
  link.href = href;
  document.head.appendChild(link);
}}
addLink("stylesheet", new URL(css, base).href);
addLink("x-kehoach-placeholder", location.origin === base.origin ? css : new URL(css, base.origin).href);
await import(new URL("./{js.group(1)}", base).href);
"""


# ---- the app ----------------------------------------------------------------------------

def create_app(engine: Any, cfg: Config | None = None, *, root_path: str = "",
               users: list[tuple[str, str]] | None = None, allow_origins: list[str] | None = None,
               export_dir: Path | None = None) -> FastAPI:
    cfg = cfg or engine.cfg
    prefix = normalize_root_path(root_path)
    blocks = build_app(engine, cfg, export_dir)
    doc_names = {p.doc for p in engine.documents()}
    gate = EngineGate(ENGINE_CONCURRENCY, QUEUE_MAX_SIZE)
    loader = embed_script()
    app = FastAPI(title="kehoach", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/api/ask")
    async def api_ask(request: Request) -> Response:
        try:
            body = await _json_body(request)
            if not isinstance(body, dict):
                raise InputError('Nội dung phải là đối tượng JSON {"question": "..."} (body must be an object).')
            question = check_question(body.get("question"), cfg.max_question_chars)
            k = check_k(body.get("k"), cfg.k)
            filters = check_filters(body.get("filters"), doc_names)
        except InputError as err:
            return _error(str(err), err.status)
        try:
            answer = (await gate.run(engine.ask, question, k=k, filters=filters)).to_dict()
        except Busy:
            return _error("Máy chủ đang bận, xin thử lại sau ít giây (server busy).", 503)
        except Exception:  # noqa: BLE001 - the client gets a sentence, the log the traceback
            log.exception("ask failed: %r", question)
            return _error("Lỗi máy chủ khi trả lời câu hỏi (internal error).", 500)
        return JSONResponse(answer, status_code=400 if answer.get("error") else 200)

    @app.get("/api/health")
    async def api_health() -> Response:
        try:
            health = await anyio.to_thread.run_sync(engine.health)
        except Exception:  # noqa: BLE001
            log.exception("health failed")
            return _error("Máy chủ chưa sẵn sàng (engine unavailable).", 503)
        return JSONResponse(health, status_code=200 if health.get("status") == "ok" else 503)

    @app.get("/embed.js")
    async def embed_js() -> Response:
        return Response(loader, media_type="text/javascript; charset=utf-8",
                        headers={"Cache-Control": "no-cache"})

    # A CORSMiddleware on this app turns Gradio's own CORS off (it echoes any origin once the
    # host is not localhost): only the listed origins may call cross-origin. Outermost last:
    # prefix stripping, then CORS (preflights carry no credentials), then auth.
    app.add_middleware(HeadStyle)   # Gradio's first "Loading..." in Vietnamese (ui/page_head.py)
    if users:
        app.add_middleware(BasicAuth, users=users)
    app.add_middleware(CORSMiddleware, allow_origins=list(allow_origins or []), allow_methods=["GET", "POST"],
                       allow_headers=["*"])
    if prefix:
        app.add_middleware(StripPrefix, prefix=prefix)
    # Gradio's footer links are English; the page's own footer names the API instead.
    gr.mount_gradio_app(app, blocks, path="/", root_path=prefix or None, css=page_css(), theme=page_theme(),
                        footer_links=[], ssr_mode=False, pwa=False, mcp_server=False,
                        show_error=True)
    return app


def _check_port(host: str, port: int) -> None:
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


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _warm_up(engine: Any) -> None:
    """One question before the port opens: the model loads on the first question (about
    25 s on 2 busy cores), which would otherwise be the first user's wait."""
    print("Đang nạp mô hình…", file=sys.stderr)
    try:
        engine.ask("khởi động", k=1)
    except Exception:  # noqa: BLE001 - a failing question will be reported to the user who asks it
        log.exception("warm-up question failed")


def serve(cfg: Config | None = None, host: str = "127.0.0.1", port: int = 7860, root_path: str | None = "",
          auth: str | None = None, auth_file: str | os.PathLike | None = None, *, engine: Any = None,
          allow_origins: list[str] | None = None) -> int:
    """`kehoach serve`: load the engine once (building the index if missing), then serve
    until stopped. Returns the exit status: 2 (after one Vietnamese line on stderr) for bad
    options, found before anything is loaded."""
    import uvicorn

    cfg = cfg or Config.load()
    try:
        prefix = normalize_root_path(root_path)
        users = load_users(auth, auth_file)
        _check_port(host, port)
    except ServeError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return 2
    origins = _origins_from_env() if allow_origins is None else allow_origins
    if not _is_loopback(host) and not users:
        print(f"Cảnh báo: đang mở {host}:{port} cho mạng mà không có --auth (no auth on a network address).",
              file=sys.stderr)
    if engine is None:
        from kehoach.qa.engine import Engine
        engine = Engine.load(cfg, say=lambda msg: print(msg, file=sys.stderr))
    _warm_up(engine)
    app = create_app(engine, cfg, root_path=prefix, users=users, allow_origins=origins)
    shown = f"[{host}]" if ":" in host else host
    print(f"kehoach: http://{shown}:{port}{prefix}/ (Ctrl+C để dừng)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True,
                timeout_graceful_shutdown=5)
    return 0
