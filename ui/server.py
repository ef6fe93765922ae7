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

import logging
import os
import sys
from pathlib import Path
from typing import Any

import anyio
import gradio as gr
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.middleware.cors import CORSMiddleware

from kehoach.config import Config
from kehoach.ui.api_request import ask_request, error_response, json_body
from kehoach.ui.app import ENGINE_CONCURRENCY, QUEUE_MAX_SIZE, build_app, page_css, page_theme
from kehoach.ui.embed_loader import embed_script
from kehoach.ui.engine_gate import Busy, EngineGate
from kehoach.ui.middleware import BasicAuth, Hardening, StripPrefix
from kehoach.ui.page_head import HeadStyle
from kehoach.ui.read_deadline import TimedH11Protocol
from kehoach.ui.serve_options import (
    ServeError,
    check_port,
    content_security_policy,
    is_loopback,
    load_users,
    normalize_root_path,
    origins_from_env,
)
from kehoach.validate import InputError

__all__ = ["create_app", "serve"]

log = logging.getLogger(__name__)


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
            question, k, filters = ask_request(await json_body(request), cfg.max_question_chars, cfg.k, doc_names)
        except InputError as err:
            return error_response(str(err), err.status)
        try:
            answer = (await gate.run(engine.ask, question, k=k, filters=filters)).to_dict()
        except Busy:
            return error_response("Máy chủ đang bận, xin thử lại sau ít giây (server busy).", 503)
        except Exception:  # noqa: BLE001 - the client gets a sentence, the log the traceback
            log.exception("ask failed: %r", question)
            return error_response("Lỗi máy chủ khi trả lời câu hỏi (internal error).", 500)
        return JSONResponse(answer, status_code=400 if answer.get("error") else 200)

    @app.api_route("/api/health", methods=["GET", "HEAD"])
    async def api_health() -> Response:
        try:
            health = await anyio.to_thread.run_sync(engine.health)
        except Exception:  # noqa: BLE001
            log.exception("health failed")
            return error_response("Máy chủ chưa sẵn sàng (engine unavailable).", 503)
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
        check_port(host, port)
    except ServeError as err:
        print(f"Lỗi: {err}", file=sys.stderr)
        return 2
    origins = origins_from_env() if allow_origins is None else allow_origins
    if auth:
        print("Cảnh báo: mật khẩu của --auth hiện trong danh sách tiến trình (ps); nên dùng --auth-file "
              "hoặc biến môi trường KEHOACH_AUTH (password visible in ps).", file=sys.stderr)
    if not is_loopback(host) and not users:
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
