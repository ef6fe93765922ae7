"""Screenshot of the "Nhiệm vụ theo cơ quan" tab as a follow-up table, for the README.

    python scripts/followup_screenshot.py "Sở Công Thương" 2026-01-01 docs/followup.png

Starts `kehoach serve` on the real engine (KEHOACH_HOME's index), drives Debian's
chromium through playwright (as tests/test_ui_browser.py does), saves the page,
and always stops the server it started.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from browser_watch import chromium  # noqa: E402
from test_ui_browser import free_port, wait_ready  # noqa: E402


def main(agency: str, as_of: str, out: str) -> int:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kehoach.cli", "serve", "--port", str(port)], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_ready(url, proc, 900)
        with chromium() as browser:
            page = browser.new_page(viewport={"width": 1700, "height": 1200})
            page.goto(url)
            page.get_by_role("tab", name="Nhiệm vụ theo cơ quan").click()
            box = page.locator("#kh-agency input")
            box.fill(agency)
            box.press("Enter")
            page.locator("#kh-as-of textarea, #kh-as-of input").first.fill(as_of)
            page.get_by_role("button", name="Xem nhiệm vụ").click()
            page.locator("#kh-agency-summary").get_by_text("tính đến").wait_for(timeout=120_000)
            page.locator("#kh-tasks").get_by_text("Quá hạn").first.wait_for(timeout=60_000)
            page.wait_for_timeout(2000)       # let the table finish its fade-in
            page.screenshot(path=out, full_page=False)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:4] or ["Sở Công Thương", "2026-01-01", str(REPO / "docs" / "followup.png")])))
