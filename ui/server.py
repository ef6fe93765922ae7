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
import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from kehoach.config import Config
from kehoach.ui.app import ENGINE_CONCURRENCY, QUEUE_MAX_SIZE, build_app, page_css, page_theme
from kehoach.ui.page_head import HeadStyle
from kehoach.validate import InputError, check_filters, check_k, check_question, parse_json

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
REALM = "kehoach"
# A client has this long to send a whole request (headers and body); slow-drip connections
# ("slowloris") are closed rather than held open for minutes.
READ_TIMEOUT = 15.0
RETRY_AFTER = "5"
# Pages may be framed by this origin only, unless KEHOACH_FRAME_ANCESTORS (or the CORS origins)
# name a portal; KEHOACH_CSP replaces the whole policy (empty: no CSP header).
DEFAULT_FRAME_ANCESTORS = "'self'"
_ROOT_PATH = re.compile(r"^(/[A-Za-z0-9._~-]+)+$")


class ServeError(ValueError):
    """A start-up problem the CLI prints as one Vietnamese line."""


# ---- options --------------------------------------------------------------------------

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


class Hardening:
    """Outermost: security headers on every answer, HEAD for every GET route, monitoring off.

    HEAD runs the GET route and drops the body (Starlette answers HEAD only for some routes).
    Gradio's /monitoring pages would show usage to anyone; they are served only when
    KEHOACH_MONITORING=1 and the server has users (then behind HTTP Basic like the rest).
    """

    def __init__(self, app: ASGIApp, csp: str, prefix: str = "", monitoring: bool = False):
        self.app, self.csp, self.monitoring = app, csp, monitoring
        self.prefixes = ("", prefix) if prefix else ("",)

    def _is_monitoring(self, path: str) -> bool:
        return any(path == p + "/monitoring" or path.startswith(p + "/monitoring/") for p in self.prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}

        async def send_hardened(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                if self.csp:
                    headers.setdefault("Content-Security-Policy", self.csp)
                if message["status"] == 503:
                    headers.setdefault("Retry-After", RETRY_AFTER)
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if self._is_monitoring(scope["path"]) and not self.monitoring:
            await _error("Không có trang này (not found).", 404)(scope, receive, send_hardened)
            return
        await self.app(scope, receive, send_hardened)


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for receiving each whole request.

    uvicorn's keep-alive timer is reset by every byte, so a client dripping a header
    byte every few seconds held a connection (and a slot) for as long as it liked.
    The deadline starts when the connection opens or the previous response ends, and
    is lifted once the request's last body byte has arrived (answering may take longer).
    """

    read_timeout = READ_TIMEOUT

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._read_deadline = self.loop.call_later(self.read_timeout, self._too_slow)

    def _disarm(self) -> None:
        task = getattr(self, "_read_deadline", None)
        if task is not None:
            task.cancel()
            self._read_deadline = None

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            self._disarm()       # request complete (or connection closing/upgraded)

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm()          # the next request on this connection gets its own deadline
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.our_state is h11.IDLE:
            # Raw bytes: h11 refuses to send a response before it has parsed a request.
            self.transport.write(b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                                 b"content-length: 0\r\nconnection: close\r\n\r\n")
        self.transport.close()


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
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _json_body(request: Request) -> Any:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    body = b""
    try:
        with anyio.fail_after(READ_TIMEOUT):
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    raise InputError("Yêu cầu quá lớn (request too large).", status=413)
    except TimeoutError:
        raise InputError("Gửi yêu cầu quá chậm (request timeout).", status=408) from None
    return parse_json(body, MAX_BODY_BYTES)


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
               export_dir: Path | None = None, csp: str | None = None) -> FastAPI:
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

    @app.api_route("/api/health", methods=["GET", "HEAD"])
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
    app.add_middleware(Hardening, csp=content_security_policy(allow_origins) if csp is None else csp, prefix=prefix,
                       monitoring=bool(users) and os.environ.get("KEHOACH_MONITORING") == "1")
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
        users = load_users(auth, auth_file, os.environ.get("KEHOACH_AUTH"))
        _check_port(host, port)
    except ServeError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return 2
    origins = _origins_from_env() if allow_origins is None else allow_origins
    if auth:
        print("Cảnh báo: mật khẩu của --auth hiện trong danh sách tiến trình (ps); nên dùng --auth-file "
              "hoặc biến môi trường KEHOACH_AUTH (password visible in ps).", file=sys.stderr)
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
                timeout_graceful_shutdown=5, http=TimedH11Protocol)
    return 0
