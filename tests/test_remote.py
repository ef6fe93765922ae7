"""`kehoach ask` through a warm server (KEHOACH_SERVER): used when it answers, ignored when it does not."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from kehoach.qa.remote import ask_remote

ANSWER = {"question": "q", "intent": "lead", "found": True, "confidence": 0.9, "answer": "Sở X chủ trì.",
          "results": []}


@pytest.fixture
def server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, body, self.headers.get("Authorization")))
            status, reply = (200, ANSWER) if body["question"] != "broken" else (200, {"error": "x"})
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", seen
    httpd.shutdown()


def test_answer_comes_from_the_server(server, monkeypatch):
    url, seen = server
    monkeypatch.setenv("KEHOACH_SERVER", url)
    monkeypatch.setenv("KEHOACH_SERVER_AUTH", "u:p")
    assert ask_remote("Sở nào chủ trì?", 5, {"agency": "Sở TTTT"}) == ANSWER
    path, body, auth = seen[0]
    assert path == "/api/ask" and body == {"question": "Sở nào chủ trì?", "k": 5, "filters": {"agency": "Sở TTTT"}}
    assert auth == "Basic dTpw"


def test_no_server_or_a_bad_reply_means_local(server, monkeypatch):
    url, _ = server
    monkeypatch.delenv("KEHOACH_SERVER", raising=False)
    assert ask_remote("q", 5, None) is None
    monkeypatch.setenv("KEHOACH_SERVER", url)
    assert ask_remote("broken", 5, None) is None            # not the JSON contract
    monkeypatch.setenv("KEHOACH_SERVER", "http://127.0.0.1:9/")   # nothing listens on the discard port
    assert ask_remote("q", 5, None, timeout=1) is None
