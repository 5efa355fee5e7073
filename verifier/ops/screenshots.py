"""Screenshots of the main pages at phone and desktop width, for docs/screenshots/.

    .venv/bin/python -m verifier.ops.screenshots docs/screenshots

Starts a real server on a fresh temporary database (the shipped registry), adds a
moderator, files two reports through the report form, and photographs each page in
headless Chromium (Debian's /usr/bin/chromium, through Playwright). The tests call
`capture` against their own server. Needs the test dependencies (`make install-test`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SMS = "【百信银行】您的账户异常，请致电 400-678-1234 办理"
MODERATOR, PASSWORD = "screenshot-moderator", "screenshots only, not a real password"
SCAM_NUMBER = "170 1234 5678"  # a virtual-operator mobile number, as such calls often come from


@dataclass(frozen=True, slots=True)
class Shot:
    name: str
    path: str  # the URL path; "{report}" is replaced by the seeded report's id
    moderator: bool = False


SHOTS = (
    Shot("home-official", "/?q=95588&lang=zh"),
    Shot("home-suspicious", "/?q=95589&org=" + quote("工商银行") + "&context=incoming_call&lang=zh"),
    Shot("home-sms", "/?q=" + quote(SMS) + "&lang=zh"),
    Shot("report-form", "/report?number=400-678-1234&org=" + quote("百信银行") + "&channel=sms&lang=zh"),
    Shot("moderator-queue", "/moderation?lang=zh", moderator=True),
    Shot("moderator-report", "/moderation/reports/{report}?lang=zh", moderator=True),
)


def launch(playwright: Any) -> Any:
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: run `make test` (or `make system-deps`), which installs it.")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/moderation/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/moderation*")


def file_report(page: Any, base: str, number: str, *, category: str = "account_security_scam",
                channel: str = "incoming_call", claimed: str = "", description: str = "") -> int:
    """Fill in and send the report form; returns the new report's id."""
    page.goto(f"{base}/report")
    page.fill("#number", number)
    page.select_option("#category", category)
    page.select_option("#channel", channel)
    page.fill("#claimed_org", claimed)
    page.fill("#description", description)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/report/done*")
    return int(page.url.rsplit("id=", 1)[1])


def seed(browser: Any, base: str) -> int:
    """Two reports of the same number (the report page then shows a history); returns the first's id."""
    context = browser.new_context()
    page = context.new_page()
    first = file_report(page, base, SCAM_NUMBER, claimed="工商银行客服",
                        description="自称工商银行客服，说我的银行卡被冻结，要我下载一个App把钱转到“安全账户”。")
    context.close()
    other = browser.new_context()  # another browser: another reporter
    file_report(other.new_page(), base, SCAM_NUMBER, category="refund_scam", claimed="工商银行",
                description="说我网购的商品有质量问题要给我退款，让我报验证码。")
    other.close()
    return first


def capture(browser: Any, base: str, out_dir: Path, report_id: int, username: str = MODERATOR,
            password: str = PASSWORD) -> dict[str, int]:
    """Photograph every page at both widths; returns {file name: horizontal overflow in px}."""
    out_dir.mkdir(parents=True, exist_ok=True)
    overflow: dict[str, int] = {}
    for width_name, viewport in VIEWPORTS.items():
        phone = width_name == "phone"
        context = browser.new_context(viewport=viewport, device_scale_factor=1, is_mobile=phone, has_touch=phone,
                                      locale="zh-CN")
        page = context.new_page()
        logged_in = False
        for shot in SHOTS:
            if shot.moderator and not logged_in:
                log_in(page, base, username, password)
                logged_in = True
            page.goto(base + shot.path.replace("{report}", str(report_id)))
            page.wait_for_load_state("load")
            name = f"{shot.name}-{width_name}.png"
            overflow[name] = int(page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"))
            page.screenshot(path=str(out_dir / name), full_page=True)
        context.close()
    return overflow


# -- a server of its own, for the command line -------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _server(database: Path) -> Iterator[str]:
    command = [sys.executable, "-m", "verifier"]
    subprocess.run([*command, "users", "add", MODERATOR, "--role", "moderator", "--password-stdin", "--database",
                    str(database)], input=PASSWORD + "\n", text=True, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen([*command, "serve", "--host", "127.0.0.1", "--port", str(port), "--database",
                                str(database)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m verifier.ops.screenshots OUT_DIR", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is missing: `make install-test` installs the test dependencies", file=sys.stderr)
        return 1
    out_dir = Path(argv[0])
    with tempfile.TemporaryDirectory() as tmp, _server(Path(tmp) / "screenshots.sqlite3") as base, \
            sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            overflow = capture(browser, base, out_dir, seed(browser, base))
        finally:
            browser.close()
    for name in sorted(overflow):
        note = f"  (scrolls sideways by {overflow[name]}px!)" if overflow[name] > 0 else ""
        print(f"{out_dir / name}{note}")
    return 1 if any(overflow.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
