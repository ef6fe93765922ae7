"""Bad input at every entry point (issue 13, items 3, 4, 8): JSON API, Gradio endpoint, Python API,
CLI and batch files all refuse the same things with the same kind of Vietnamese message, never a 500
or an English exception, and a batch answers every good line."""
from __future__ import annotations

import codecs
import json
import shutil

import gradio as gr
import pytest
from conftest import FakeEncoder, bundled
from fastapi.testclient import TestClient
from ui_fake_engine import FakeEngine

from kehoach import cli
from kehoach.config import Config
from kehoach.ui.server import create_app

Q = "giáo dục STEM"


# ---- 3. JSON API ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def api():
    engine = FakeEngine(Config())
    with TestClient(create_app(engine), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("raw", [
    '{"question": "giáo dục STEM", "k": NaN}',
    '{"question": "giáo dục STEM", "k": Infinity}',
    '{"question": "giáo dục STEM", "k": -Infinity}',
    '{"question": "giáo dục STEM", "k": 1e400}',
    '{"question": "giáo dục STEM", "filters": {"year_from": NaN}}',
    '{"question": "giáo dục STEM", "filters": {"year_to": 1e400}}',
    '{"question": "giáo dục STEM", "filters": {"year_from": -Infinity}}',
])
def test_non_finite_numbers_are_a_400(api, raw):
    r = api.post("/api/ask", content=raw.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    assert "error" in r.json() and "Traceback" not in r.text


def test_deeply_nested_json_is_a_400(api):
    raw = '{"question": "giáo dục", "x": '.encode() + b"[" * 20_000 + b"]" * 20_000 + b"}"
    r = api.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "sâu" in r.json()["error"]


def test_moderate_nesting_is_still_parsed(api):
    r = api.post("/api/ask", json={"question": Q, "filters": {"doc": None}})
    assert r.status_code == 200


def test_lone_surrogate_in_the_question_is_a_400(api):
    raw = '{"question": "\\ud800 giáo dục"}'.encode()
    r = api.post("/api/ask", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400 and "không hợp lệ" in r.json()["error"]


def test_gradio_endpoint_speaks_vietnamese(api):
    app = api.app
    blocks = next(r.app.get_blocks() for r in app.routes if hasattr(getattr(r, "app", None), "get_blocks"))
    ask = next(f.fn for f in blocks.fns.values() if getattr(f.fn, "__name__", "") == "ask")
    for k in (float("nan"), float("inf"), -1):
        with pytest.raises(gr.Error) as err:
            ask(Q, k)
        assert "Số kết quả k" in str(err.value)
    with pytest.raises(gr.Error, match="không hợp lệ"):
        ask("\ud800 giáo dục", 5)


def test_gradio_endpoint_over_http_speaks_vietnamese():
    """Through the wire (Gradio's /call API): NaN and Infinity survive Python's JSON, the answer is Vietnamese."""
    import http.client

    from test_faults_server import running
    with running(create_app(FakeEngine(Config())), read_timeout=15.0) as port:
        for k in ("NaN", "Infinity", "-1"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            body = f'{{"data": ["giáo dục STEM", {k}, null]}}'.encode()
            conn.request("POST", "/gradio_api/call/ask", body, {"Content-Type": "application/json"})
            event = json.loads(conn.getresponse().read())["event_id"]
            conn.request("GET", f"/gradio_api/call/ask/{event}")
            stream = conn.getresponse().read().decode()
            conn.close()
            data = next(line[5:] for line in stream.splitlines() if line.startswith("data:"))
            assert "event: error" in stream and "Số kết quả k" in json.loads(data)["error"], stream


def test_gradio_endpoint_hides_engine_exceptions(monkeypatch):
    engine = FakeEngine(Config())
    app = create_app(engine)
    blocks = next(r.app.get_blocks() for r in app.routes if hasattr(getattr(r, "app", None), "get_blocks"))
    ask = next(f.fn for f in blocks.fns.values() if getattr(f.fn, "__name__", "") == "ask")

    def boom(*a, **kw):
        raise RuntimeError("some English internals")
    monkeypatch.setattr(engine, "ask", boom)
    with pytest.raises(gr.Error) as err:
        ask(Q, 5)
    assert "English" not in str(err.value) and "Lỗi" in str(err.value)


# ---- the real engine (FakeEncoder) for the Python API and the CLI --------------------------------

@pytest.fixture(scope="module")
def home(tmp_path_factory):
    from kehoach.index.build import build_index
    root = tmp_path_factory.mktemp("faults-input")
    folder = root / "plans"
    folder.mkdir()
    shutil.copy(bundled("003"), folder)
    h = root / "home"
    h.mkdir()
    (h / "config.toml").write_text("restore = false\n", encoding="utf-8")
    build_index(Config(home=h, restore=False), [folder], encoder=FakeEncoder(), say=lambda m: None, progress=False)
    return h


@pytest.fixture
def env(home, monkeypatch):
    from kehoach.index import model
    monkeypatch.setattr(model.Encoder, "load", classmethod(lambda cls, cfg: FakeEncoder()))
    # Queries too go through Encoder.load (the fake), not the ONNX runtime of the real model.
    monkeypatch.setenv("KEHOACH_QUERY_RUNTIME", "torch")
    monkeypatch.setenv("KEHOACH_HOME", str(home))
    return home


@pytest.fixture
def engine(env):
    from kehoach.qa.engine import Engine
    return Engine.load(Config(home=env, restore=False), encoder=FakeEncoder())


@pytest.mark.parametrize("k", [float("nan"), float("inf"), 1e400, -1, 0, "5"])
def test_python_api_refuses_bad_k_with_a_message(engine, k):
    ans = engine.ask(Q, k=k)
    assert ans.error and "k" in ans.error


def test_python_api_refuses_bad_text_and_filters(engine):
    assert "không hợp lệ" in engine.ask("\ud800 giáo dục").error
    assert "«khong-co.txt»" in engine.ask(Q, filters={"doc": "khong-co.txt"}).error
    assert "«Sở Không Tồn Tại»" in engine.ask(Q, filters={"agency": "Sở Không Tồn Tại"}).error
    assert "1900" in engine.ask(Q, filters={"year_from": 99999}).error
    assert engine.ask(Q, k=5).error is None


# ---- 4. the CLI ---------------------------------------------------------------------------------

def run(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_invalid_byte_in_the_question_is_reported_as_json(env, capsys):
    code, out, err = run(capsys, "ask", f"{Q} \udcff", "--json")   # what Python makes of argv byte 0xff
    assert code == 2
    body = json.loads(out)
    assert "byte không hợp lệ" in body["error"] and "TypeError" not in err


@pytest.mark.parametrize("argv, fragment", [
    (["ask", Q, "--year", "99999"], "1900–2100"),
    (["search", Q, "--year", "99999"], "1900–2100"),
    (["tasks", "--year", "99999"], "1900–2100"),
    (["search", Q, "-k", "-1"], "từ 1 đến 50"),
    (["ask", Q, "-k", "0"], "từ 1 đến 50"),
])
def test_cli_limits_equal_the_apis(env, capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and fragment in err and out == ""


@pytest.mark.parametrize("argv, named", [
    (["ask", Q, "--doc", "khong-co.txt"], "«khong-co.txt»"),
    (["search", Q, "--doc", "khong-co.txt"], "«khong-co.txt»"),
    (["ask", Q, "--agency", "Sở Không Tồn Tại"], "«Sở Không Tồn Tại»"),
    (["search", Q, "--agency", "Sở Không Tồn Tại"], "«Sở Không Tồn Tại»"),
    (["tasks", "{plans}", "--doc", "khong-co.txt"], "«khong-co.txt»"),
])
def test_unknown_doc_or_agency_is_named(env, capsys, argv, named):
    code, out, err = run(capsys, *[a.format(plans=env.parent / "plans") for a in argv])
    assert code == 2 and named in out + err


def test_doc_prefix_is_resolved(env, capsys):
    code, out, _ = run(capsys, "search", Q, "--doc", "003", "--json", "-k", "3")
    assert code == 0 and {r["doc"] for r in json.loads(out)["results"]} == {bundled("003").name}


def _batch(capsys, tmp_path, data: bytes):
    f = tmp_path / "q.txt"
    f.write_bytes(data)
    code, out, err = run(capsys, "ask", "--batch", str(f), "--json")
    return code, [json.loads(line) for line in out.splitlines()], err


def test_batch_in_utf16_is_answered(env, capsys, tmp_path):
    text = "giáo dục STEM\nchuyển đổi số\n"
    for data in (codecs.BOM_UTF16_LE + text.encode("utf-16-le"), text.encode("utf-16-be")):
        code, rows, err = _batch(capsys, tmp_path, data)
        assert code == 0 and [r["question"] for r in rows] == ["giáo dục STEM", "chuyển đổi số"]
        assert all(not r.get("error") for r in rows)


def test_batch_bad_byte_on_line_2_spoils_only_line_2(env, capsys, tmp_path):
    data = "giáo dục STEM\n".encode() + b"chuy\xffn \xc4\x91\xe1\xbb\x95i s\xe1\xbb\x91\n" + "thương mại\n".encode()
    code, rows, err = _batch(capsys, tmp_path, data)
    assert code == 0
    answered = [r["question"] for r in rows if "question" in r]
    assert answered == ["giáo dục STEM", "thương mại"]
    assert [r["line"] for r in rows if "line" in r and r.get("error")] == [2]
    assert "Dòng 2" in err


def test_batch_lone_surrogate_line_is_reported_and_the_run_goes_on(env, capsys, tmp_path):
    lines = ['{"question": "giáo dục STEM", "id": 1}', '{"question": "\\ud800 giáo dục", "id": 2}',
             '{"question": "thương mại", "id": 3}', '{"question": ', "chuyển đổi số"]
    code, rows, err = _batch(capsys, tmp_path, "\n".join(lines).encode())
    assert code == 0
    assert [r.get("id") for r in rows if "question" in r] == [1, 3, None]
    assert sorted(r["line"] for r in rows if "line" in r) == [2, 4]
    assert "Dòng 2" in err and "Dòng 4" in err


def test_batch_in_a_legacy_vietnamese_encoding(env, capsys, tmp_path):
    from kehoach.corpus.legacy_encodings import unicode_to_tcvn3
    questions = ["Sở nào chủ trì giáo dục STEM?", "Hạn chót phát triển thương mại điện tử?",
                 "Cơ quan nào phối hợp đào tạo nghề?"]
    code, rows, _ = _batch(capsys, tmp_path, unicode_to_tcvn3("\r\n".join(questions)).encode("cp1252"))
    assert code == 0 and [r["question"] for r in rows if "question" in r] == questions
