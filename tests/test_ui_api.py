"""The server's HTTP surface on the fake engine: JSON API, Gradio endpoint, auth, root_path, CORS."""
from __future__ import annotations

import base64
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from ui_fake_engine import D003, GD, XSS, FakeEngine

from kehoach.config import Config
from kehoach.ui.serve_options import ServeError, load_users, normalize_root_path
from kehoach.ui.server import create_app, serve

STEM = "Sở nào chủ trì giáo dục STEM?"
CONTRACT = {"question", "intent", "found", "confidence", "answer", "results"}
RESULT_KEYS = {"doc", "plan", "lines", "section", "text", "lead", "support", "deadline", "score", "text_restored",
               "due", "status", "held_by", "taken_over_from", "evidence"}


# Building the Gradio app takes about a second: one app per configuration and module.
@pytest.fixture(scope="module")
def engine() -> FakeEngine:
    return FakeEngine(Config(max_question_chars=200))


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="module")
def client(engine, exports) -> Iterator[TestClient]:
    with TestClient(create_app(engine, export_dir=exports)) as c:
        yield c


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def ui_fn(app, name: str):
    """A Gradio event handler of the mounted page, to check what its components receive."""
    blocks = next(r.app.get_blocks() for r in app.routes if hasattr(getattr(r, "app", None), "get_blocks"))
    return next(f.fn for f in blocks.fns.values() if getattr(f.fn, "__name__", "") == name)


# ---- POST /api/ask ------------------------------------------------------------------

def test_ask_returns_the_json_contract(client):
    r = client.post("/api/ask", json={"question": STEM, "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == CONTRACT
    assert body["found"] is True and body["question"] == STEM
    assert 1 <= len(body["results"]) <= 3
    assert all(set(res) == RESULT_KEYS for res in body["results"])
    assert GD in body["results"][0]["lead"]


def test_ask_passes_filters_through(client):
    r = client.post("/api/ask", json={"question": "giáo dục STEM", "filters": {"doc": D003, "agency": None}})
    assert r.status_code == 200
    assert {res["doc"] for res in r.json()["results"]} == {D003}
    r = client.post("/api/ask", json={"question": "chuyển đổi số",
                                      "filters": {"agency": "Sở TTTT", "year_from": 2026, "year_to": 2030}})
    docs = {(res["doc"], res["section"]) for res in r.json()["results"]}
    assert docs and all(sec in {"III.8.a", "6.2"} for _, sec in docs)


# k < 1 is refused (like `kehoach search -k 0`); more than 50 is served as 50.
@pytest.mark.parametrize("k, used", [(1, 1), (3, 3), (50, 50), (1000, 50), (7.0, 7), (None, 10)])
def test_k_is_clamped_to_1_50(client, engine, monkeypatch, k, used):
    seen = []
    real = engine.ask
    monkeypatch.setattr(engine, "ask", lambda q, k=10, filters=None: seen.append(k) or real(q, k, filters))
    body = {"question": STEM} if k is None else {"question": STEM, "k": k}
    assert client.post("/api/ask", json=body).status_code == 200
    assert seen == [used]


@pytest.mark.parametrize("body, fragment", [
    ({}, "Thiếu câu hỏi"),
    ({"question": ""}, "Chưa nhập câu hỏi"),
    ({"question": "   \n"}, "Chưa nhập câu hỏi"),
    ({"question": 42}, "chuỗi"),
    ({"question": "x" * 201}, "tối đa 200"),
    ({"question": STEM, "k": "5"}, "số nguyên"),
    ({"question": STEM, "k": 2.5}, "số nguyên"),
    ({"question": STEM, "k": True}, "số nguyên"),
    ({"question": STEM, "k": 0}, "từ 1 đến 50"),
    ({"question": STEM, "k": -5}, "từ 1 đến 50"),
    ({"question": STEM, "filters": "003"}, "Bộ lọc"),
    ({"question": STEM, "filters": {"docs": "x"}}, "docs"),
    ({"question": STEM, "filters": {"doc": "khong-co.txt"}}, "Không có văn bản"),
    ({"question": STEM, "filters": {"year_from": 2030, "year_to": 2020}}, "lớn hơn"),
    ({"question": STEM, "filters": {"year_from": "2020"}}, "một năm"),
    ({"question": STEM, "filters": {"year_to": 3000}}, "khoảng"),
    ({"question": "???"}, "không có chữ"),  # rejected by the engine itself
])
def test_bad_requests_get_a_vietnamese_400(client, body, fragment):
    r = client.post("/api/ask", json=body)
    assert r.status_code == 400
    assert fragment in r.json()["error"]
    assert "Traceback" not in r.text


def test_body_must_be_a_json_object(client):
    for raw in (b"question=abc", b"\xff\xfe", b"[1, 2]"):
        r = client.post("/api/ask", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and "JSON" in r.json()["error"]


def test_oversized_body_is_refused(client):
    r = client.post("/api/ask", json={"question": STEM, "pad": "x" * 70_000})
    assert r.status_code == 413 and "quá lớn" in r.json()["error"]


def test_engine_failure_is_a_sentence_not_a_traceback(client, engine, monkeypatch):
    def boom(*a, **kw):
        raise RuntimeError("index corrupt")
    monkeypatch.setattr(engine, "ask", boom)
    r = client.post("/api/ask", json={"question": STEM})
    assert r.status_code == 500
    assert r.json() == {"error": "Lỗi máy chủ khi trả lời câu hỏi (internal error)."}


def test_xss_question_is_echoed_as_data_and_escaped_in_the_page(client):
    r = client.post("/api/ask", json={"question": XSS})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["question"] == XSS  # JSON carries the text as is; never HTML
    answer, _table, _state, _source = ui_fn(client.app, "ask_ui")(XSS, "", "", None, None, 10)
    assert "<img" not in answer and "&lt;img src=x onerror=alert(1)&gt;" in answer


def test_document_markup_is_escaped_in_answer_source_and_footer(exports):
    app = create_app(FakeEngine(hostile=True), export_dir=exports)
    answer, table, state, source = ui_fn(app, "ask_ui")("an toàn thực phẩm y tế", "", "", None, None, 10)
    assert state["results"][0]["doc"] == "999_hostile.txt"
    for html in (answer, source):
        assert "<img" not in html and "<b>" not in html and "&lt;img" in html
    # the table is a data frame of plain strings; the browser test checks it shows them as text
    assert XSS in table.iloc[0, 0]
    with TestClient(app) as c:
        page = c.get("/").text
    assert XSS not in page.replace("\\u003c", "<").split("window.gradio_config", 1)[0]


# ---- the Gradio page's handlers ----------------------------------------------------------

def test_select_opens_the_source_with_line_numbers(client):
    _answer, _table, state, first = ui_fn(client.app, "ask_ui")(STEM, "", "", None, None, 10)
    assert 'class="kh-ln"' in first and "<mark>" in first

    class Evt:
        index = [1, 0]
    source = ui_fn(client.app, "select_result")(state, Evt())
    res = state["results"][1]
    assert f">{res['lines'][0]}<" in source
    assert res["plan"] in source


def test_ui_rejects_bad_filters_with_a_message(client):
    answer, table, state, _ = ui_fn(client.app, "ask_ui")(STEM, "", "", 2030, 2020, 10)
    assert "lớn hơn" in answer and state is None and table.empty


def test_agency_tab_exports_csv_with_bom_and_xlsx(client):
    summary, styled, csv_btn, xlsx_btn = ui_fn(client.app, "agency_tasks")("Sở TTTT")
    table = styled.data                                   # a Styler: status cells are coloured
    assert "Sở Thông tin và Truyền thông" in table["Cơ quan chủ trì"].iloc[0]
    assert set(table["Trạng thái"]) <= {"Quá hạn", "Không nêu hạn"} and "background-color" in styled.to_html()
    assert "3 nhiệm vụ" in summary
    with open(csv_btn.value["path"], "rb") as fh:
        csv_bytes = fh.read()
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert "Sở Thông tin và Truyền thông" in csv_bytes.decode("utf-8-sig")
    ws = load_workbook(xlsx_btn.value["path"]).active
    assert ws["A1"].value == "Vai trò" and ws.max_row == 4
    empty = ui_fn(client.app, "agency_tasks")("Sở Không Tồn Tại")
    assert "Không có nhiệm vụ" in empty[0] and empty[2].visible is False


# ---- health, page, embed -------------------------------------------------------------------

def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["documents"] == 5


def test_page_is_vietnamese_and_loads_nothing_from_outside(client):
    r = client.get("/")
    assert r.status_code == 200
    for label in ("Câu hỏi", "Tìm", "Bộ lọc", "Nhiệm vụ theo cơ quan", "Cơ quan chủ trì", "Tải CSV",
                  "Văn bản đã lập chỉ mục"):
        assert label in r.text
    # og:/twitter: meta tags carry absolute URLs that browsers never fetch; nothing else may
    fetched = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', r.text)
    assert fetched and not [u for u in fetched if re.match(r"(https?:)?//", u)]
    assert "fonts.googleapis" not in r.text


def test_embed_script_loads_the_apps_own_assets(client):
    js = client.get("/embed.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert "http" not in js.text  # every URL is built from the script's own location
    assets = re.findall(r'"\./(assets/[^"]+)"', js.text)
    assert len(assets) == 2
    for path in assets:
        assert client.get("/" + path).status_code == 200


def test_gradio_api_lists_only_the_named_ask_endpoint(client):
    info = client.get("/gradio_api/info").json()
    assert list(info["named_endpoints"]) == ["/ask"]


# ---- auth ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def locked(engine, exports) -> Iterator[TestClient]:
    with TestClient(create_app(engine, users=[("canbo", "mật khẩu:1")], export_dir=exports)) as c:
        yield c


@pytest.mark.parametrize("method, path", [("GET", "/"), ("GET", "/api/health"), ("POST", "/api/ask"),
                                          ("GET", "/config"), ("GET", "/gradio_api/info"),
                                          ("GET", "/embed.js"), ("POST", "/gradio_api/call/ask")])
def test_auth_protects_page_and_apis(locked, method, path):
    r = locked.request(method, path, json={"question": STEM})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith('Basic realm="kehoach"')
    assert "đăng nhập" in r.json()["error"]
    assert locked.request(method, path, json={"question": STEM},
                          headers=basic("canbo", "wrong")).status_code == 401


def test_auth_accepts_the_right_password(locked):
    ok = basic("canbo", "mật khẩu:1")
    assert locked.get("/", headers=ok).status_code == 200
    r = locked.post("/api/ask", json={"question": STEM}, headers=ok)
    assert r.status_code == 200 and r.json()["found"]
    assert locked.get("/", headers={"Authorization": "Basic !!!"}).status_code == 401


def test_load_users_from_option_and_file(tmp_path):
    f = tmp_path / "users.txt"
    f.write_text("# tài khoản\nan:mk1\n\nbinh:a:b:c\n", encoding="utf-8")
    assert load_users("root:x", f) == [("root", "x"), ("an", "mk1"), ("binh", "a:b:c")]
    assert load_users(None, None) == []
    for bad in ("nopassword", ":x", "user:"):
        with pytest.raises(ServeError, match="tên:mật_khẩu"):
            load_users(bad)
    with pytest.raises(ServeError, match="Không đọc được"):
        load_users(None, tmp_path / "missing.txt")
    (tmp_path / "empty.txt").write_text("# none\n")
    with pytest.raises(ServeError, match="không có tài khoản"):
        load_users(None, tmp_path / "empty.txt")


# ---- root_path and proxies -----------------------------------------------------------------

@pytest.fixture(scope="module")
def prefixed(engine, exports) -> Iterator[TestClient]:
    with TestClient(create_app(engine, root_path="/kehoach/", export_dir=exports)) as c:
        yield c


def test_root_path_works_with_and_without_the_prefix(prefixed):
    for base in ("/kehoach", ""):  # nginx may or may not strip the prefix
        assert prefixed.get(f"{base}/").status_code == 200
        assert prefixed.post(f"{base}/api/ask", json={"question": STEM}).json()["found"]
        assert prefixed.get(f"{base}/embed.js").status_code == 200
    r = prefixed.get("/kehoach", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/kehoach/"


def test_root_path_and_forwarded_headers_give_the_public_root(prefixed):
    assert prefixed.get("/config").json()["root"] == "http://testserver/kehoach"
    fwd = {"X-Forwarded-Host": "intranet.example", "X-Forwarded-Proto": "https"}
    assert prefixed.get("/config", headers=fwd).json()["root"] == "https://intranet.example/kehoach"
    page = prefixed.get("/kehoach/", headers=fwd).text
    assert '"root":"https://intranet.example/kehoach"' in page.replace(" ", "")
    assert 'src="./assets/' in page  # relative: resolves under /kehoach/ in the browser


@pytest.mark.parametrize("raw, norm", [(None, ""), ("", ""), ("/", ""), ("kehoach", "/kehoach"),
                                       ("/kehoach/", "/kehoach"), ("/a/b-c", "/a/b-c")])
def test_normalize_root_path(raw, norm):
    assert normalize_root_path(raw) == norm


@pytest.mark.parametrize("bad", ["/ke hoach", "/x?y", "http://h/kehoach", "/a/<b>"])
def test_bad_root_path_is_refused(bad):
    with pytest.raises(ServeError, match="root-path"):
        normalize_root_path(bad)


def test_cors_is_not_echoed_for_foreign_origins(client, engine, exports):
    # Gradio alone would echo any Origin (with credentials) once the host is not localhost.
    evil = {"Origin": "https://evil.example", "Host": "intranet.example"}
    assert "access-control-allow-origin" not in client.get("/config", headers=evil).headers
    assert "access-control-allow-origin" not in client.post("/api/ask", json={"question": STEM},
                                                            headers=evil).headers
    portal = {"Origin": "https://portal.example", "Host": "intranet.example"}
    with TestClient(create_app(engine, allow_origins=["https://portal.example"], export_dir=exports)) as c:
        assert c.get("/config", headers=portal).headers["access-control-allow-origin"] == "https://portal.example"


# ---- serve() refuses bad options before loading anything -------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_reports_bad_options_in_one_line(tmp_path, capsys):
    def run(**kw) -> str:
        assert serve(Config(home=tmp_path), **kw) == 2  # before any engine is loaded
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("Lỗi: ")
        return err
    assert "root-path" in run(root_path="/a b")
    assert "tên:mật_khẩu" in run(auth="nopass")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        assert "cổng đang bận" in run(port=busy.getsockname()[1])


# ---- a real HTTP server: gradio_client and the queue ------------------------------------------

@contextmanager
def running(app) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


def test_gradio_client_calls_the_named_ask_endpoint(engine, exports):
    from gradio_client import Client

    app = create_app(engine, users=[("u", "p")], export_dir=exports)
    with running(app) as url:
        client = Client(url, headers=basic("u", "p"), verbose=False, download_files=False)
        out = client.predict(STEM, 2, {"doc": D003}, api_name="/ask")
        assert set(out) == CONTRACT and 1 <= len(out["results"]) <= 2
        assert {r["doc"] for r in out["results"]} == {D003} and out["results"][0]["lead"] == [GD]
        with pytest.raises(Exception, match="Chưa nhập câu hỏi"):
            client.predict("  ", 10, None, api_name="/ask")


# ---- the real engine ------------------------------------------------------------------------

@pytest.mark.model
def test_real_engine_answers_through_the_json_api_and_the_page(real_engine, exports):
    with TestClient(create_app(real_engine, export_dir=exports)) as c:
        r = c.post("/api/ask", json={"question": STEM, "k": 5})
        assert r.status_code == 200
        body = r.json()
        assert set(body) == CONTRACT and body["found"]
        assert GD in body["results"][0]["lead"]
        assert c.post("/api/ask", json={"question": "han chot xay dung trung tam du lieu?"}).json()["found"]
        assert c.get("/api/health").json()["documents"] == 5
        answer, table, state, source = ui_fn(c.app, "ask_ui")(STEM, "", "", None, None, 10)
        assert GD in answer and GD in table.iloc[0, 1] and "<mark>" in source
