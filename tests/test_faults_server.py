"""The server under hostile but ordinary use (issue 13, items 5 and 8): slow clients, headers,
503 with Retry-After, monitoring, credentials outside `ps`, root path, HEAD."""
from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi.testclient import TestClient
from ui_fake_engine import FakeEngine

from kehoach.config import Config
from kehoach.ui import engine_gate, read_deadline, server
from kehoach.ui.serve_options import ServeError, load_users, normalize_root_path
from kehoach.ui.server import create_app


@pytest.fixture(scope="module")
def app():
    return create_app(FakeEngine(Config()))


@pytest.fixture(scope="module")
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


# ---- headers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/health", "/", "/embed.js"])
def test_nosniff_and_frame_ancestors_on_every_answer(client, path):
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'self'" in r.headers["content-security-policy"]


def test_frame_ancestors_is_configurable_for_portals(monkeypatch):
    monkeypatch.setenv("KEHOACH_FRAME_ANCESTORS", "https://cong.quangngai.gov.vn")
    with TestClient(create_app(FakeEngine(Config()))) as c:
        csp = c.get("/api/health").headers["content-security-policy"]
    assert "frame-ancestors https://cong.quangngai.gov.vn" in csp


def test_busy_server_says_when_to_retry(client, monkeypatch):
    async def busy(self, *a, **kw):
        raise engine_gate.Busy
    monkeypatch.setattr(engine_gate.EngineGate, "run", busy)
    r = client.post("/api/ask", json={"question": "giáo dục STEM"})
    assert r.status_code == 503 and int(r.headers["retry-after"]) > 0


@pytest.mark.parametrize("path", ["/monitoring", "/monitoring/summary", "/gradio_api/monitoring/summary"])
def test_monitoring_routes_are_off(client, path):
    r = client.get(path)
    assert r.status_code == 404


@pytest.mark.parametrize("path", ["/api/health", "/", "/embed.js"])
def test_head_on_get_routes(client, path):
    r = client.head(path)
    assert r.status_code == 200 and r.content == b""


# ---- options -------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["/../x", "/a/../b", "/./x", "/.."])
def test_root_path_with_dot_segments_is_refused(bad):
    with pytest.raises(ServeError):
        normalize_root_path(bad)


def test_credentials_from_the_environment():
    assert load_users(env="an:mật khẩu\nbinh:x:y") == [("an", "mật khẩu"), ("binh", "x:y")]
    with pytest.raises(ServeError):
        load_users(env="khong-co-mat-khau")


# ---- slow clients ---------------------------------------------------------------------------------

def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(app, read_timeout: float) -> Iterator[int]:
    """The app served the way `kehoach serve` serves it, with a short read deadline."""
    protocol = getattr(read_deadline, "TimedH11Protocol", None)
    if protocol is not None:
        protocol = type("Quick", (protocol,), {"read_timeout": read_timeout})
    port = _port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                        http=protocol or "auto", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield port
    finally:
        srv.should_exit = True
        thread.join(10)


def _closed_within(sock: socket.socket, payload: list[bytes], seconds: float) -> bool:
    """Drip `payload` a piece every 0.3 s; True if the server closes the connection within `seconds`."""
    end = time.monotonic() + seconds
    sock.settimeout(0.3)
    pieces = list(payload)
    while time.monotonic() < end:
        if pieces:
            try:
                sock.sendall(pieces.pop(0))
            except OSError:
                return True
        try:
            if sock.recv(4096) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:
            return True
    return False


def test_slow_headers_are_cut_off(app):
    with running(app, read_timeout=1.0) as port, socket.create_connection(("127.0.0.1", port)) as sock:
        drip = [bytes([b]) for b in b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 100]
        assert _closed_within(sock, drip, 5.0)


def test_slow_body_is_cut_off(app):
    with running(app, read_timeout=1.0) as port, socket.create_connection(("127.0.0.1", port)) as sock:
        head = b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        assert _closed_within(sock, [head] + [b" "] * 100, 5.0)


def test_normal_requests_and_keep_alive_still_work(app):
    import http.client
    with running(app, read_timeout=1.0) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        for _ in range(3):
            conn.request("GET", "/api/health")
            assert conn.getresponse().read() and True
            time.sleep(0.2)
        conn.request("POST", "/api/ask", body='{"question": "giáo dục STEM"}'.encode(),
                     headers={"Content-Type": "application/json"})
        assert conn.getresponse().status == 200
        conn.close()


def test_serve_reads_KEHOACH_AUTH_warns_about_ps_and_uses_the_read_deadline(monkeypatch, capsys):
    seen = {}
    real_create = server.create_app

    def create(*a, **kw):
        seen["users"] = kw.get("users")
        return real_create(*a, **kw)
    monkeypatch.setattr(server, "create_app", create)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.setdefault("run", kw))
    monkeypatch.setenv("KEHOACH_AUTH", "an:bí-mật")
    assert server.serve(Config(), port=_port(), engine=FakeEngine(Config())) == 0
    assert seen["users"] == [("an", "bí-mật")]
    assert seen["run"].get("http") is getattr(read_deadline, "TimedH11Protocol", object())
    assert "ps" not in capsys.readouterr().err              # nothing on the command line: no warning
    monkeypatch.delenv("KEHOACH_AUTH")
    assert server.serve(Config(), port=_port(), auth="an:lộ", engine=FakeEngine(Config())) == 0
    assert "KEHOACH_AUTH" in capsys.readouterr().err


def test_slow_client_gets_a_408_before_the_close(app):
    with running(app, read_timeout=1.0) as port, socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(5)
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    assert data.startswith(b"HTTP/1.1 408")
