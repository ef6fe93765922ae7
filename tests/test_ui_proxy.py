"""Behind nginx at /kehoach/: scripts/proxy_test.sh's HTTP checks, then the page, an <iframe>
and the <gradio-app> web component in Debian's chromium, all from the proxy's own origin."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_watch import CHROMIUM, Watch, chromium

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "proxy_test.sh"
REAL = os.environ.get("KEHOACH_UI_REAL") == "1"
STEM = "Sở nào chủ trì giáo dục STEM?"
GD = "Sở Giáo dục và Đào tạo"
TIMEOUT_MS = 60_000 if REAL else 20_000

if not Path("/usr/sbin/nginx").exists() or not shutil.which("curl"):
    pytest.skip("cần nginx và curl: chạy scripts/test_deps.sh", allow_module_level=True)
if not Path(CHROMIUM).exists():
    pytest.skip("cần chromium của Debian (/usr/bin/chromium): chạy scripts/test_deps.sh", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="cần playwright: chạy scripts/test_deps.sh")
sync_api.expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def proxy() -> Iterator[str]:
    """The script's checks must all pass before it prints the URL it keeps serving."""
    args = ["bash", str(SCRIPT), "--hold"] + ([] if REAL else ["--fake"])
    proc = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    lines, url = [], None
    deadline = time.monotonic() + (1000 if REAL else 150)
    try:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith("PROXY_URL="):
                url = line.strip().split("=", 1)[1]
                break
            assert time.monotonic() < deadline, "proxy_test.sh too slow"
        assert url, "proxy_test.sh failed:\n" + "".join(lines) + proc.stderr.read()
        assert "all 10 checks passed" in "".join(lines)
        yield url
    finally:
        # The script's own trap stops nginx and the app server it started.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def ask_in(frame, question: str) -> None:
    frame.locator("#kh-question textarea, #kh-question input").first.fill(question)
    frame.locator("#kh-ask").click()


def test_page_behind_the_proxy_path(proxy, page):
    watch = Watch(page)
    page.goto(proxy + "/kehoach/")
    ask_in(page, STEM)
    sync_api.expect(page.locator("#kh-answer")).to_contain_text(GD)
    assert not watch.outside(proxy, ("/kehoach/",)), watch.outside(proxy, ("/kehoach/",))
    assert not watch.failed and not watch.dialogs


def test_iframe_embedding(proxy, page):
    watch = Watch(page)
    page.goto(proxy + "/portal/iframe.html")
    frame = page.frame_locator("iframe")
    ask_in(frame, STEM)
    sync_api.expect(frame.locator("#kh-answer")).to_contain_text(GD)
    assert not watch.outside(proxy, ("/kehoach/", "/portal/"))
    assert not watch.failed


def test_web_component_loads_from_the_apps_own_origin(proxy, page):
    watch = Watch(page)
    page.goto(proxy + "/portal/component.html")
    app = page.locator("gradio-app")
    sync_api.expect(app).to_contain_text("Tra cứu kế hoạch tỉnh Quảng Ngãi")
    ask_in(app, STEM)
    sync_api.expect(app.locator("#kh-answer")).to_contain_text(GD)
    # Gradio's stylesheet came from /kehoach/assets/, and no request missed (no 404 for a
    # stylesheet looked up at the host page's path).
    styles = [u for u in watch.requests if urlsplit(u).path.startswith("/kehoach/assets/index-")
              and u.endswith(".css")]
    assert styles, watch.requests
    assert not watch.outside(proxy, ("/kehoach/", "/portal/")), watch.outside(proxy, ("/kehoach/", "/portal/"))
    assert not watch.failed, watch.failed
