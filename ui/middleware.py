"""The ASGI layers around the app: HTTP Basic auth, the public path prefix, and security headers."""
from __future__ import annotations

import base64
import binascii
import hmac

from fastapi.responses import JSONResponse, RedirectResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from kehoach.ui.api_request import RETRY_AFTER, error_response

REALM = "kehoach"


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
            await error_response("Không có trang này (not found).", 404)(scope, receive, send_hardened)
            return
        await self.app(scope, receive, send_hardened)
