"""Fixtures for the web tests: the app in-process, a live uvicorn on a free loopback port, and
Debian's Chromium driven by Playwright (no browser download).

Outside CI a missing /usr/bin/chromium skips the browser tests with the reason; in CI
(``CI=true``) it fails them, so the browser tests cannot silently stop running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "out" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


_SERVER = """
import sys, uvicorn
from pathlib import Path
from heliotrope.web.app import create_app
from heliotrope.web.settings import Settings
app = create_app(Settings(db_path=Path(sys.argv[2]), max_upload_bytes=int(sys.argv[3])))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``heliotrope``'s app under uvicorn on 127.0.0.1 (a fresh history database)."""
    port = free_port()
    db = tmp_path_factory.mktemp("web-db") / "history.db"
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVER, str(port), str(db), str(2 * 1024 * 1024)],
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the web server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium (Debian's package) through Playwright."""
    if not CHROMIUM.exists():
        reason = "/usr/bin/chromium is not installed (apt-get install chromium; see make setup)"
        if _in_ci():
            pytest.fail(reason + " — browser tests must run in CI")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page and what it said: console errors, dialogs (alert/confirm) and CSP violations."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "console",
            lambda m: self.console_errors.append(m.text) if m.type == "error" else None,
        )

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)


@pytest.fixture()
def web(browser: Any, live_server: str) -> Iterator[Watched]:
    """A fresh browser context (axe-core pre-loaded, outside the page's CSP) on the live app."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    if AXE.exists():
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield Watched(page)
    finally:
        context.close()


@pytest.fixture()
def web_no_js(browser: Any, live_server: str) -> Iterator[Watched]:
    """A browser context with JavaScript turned off."""
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield Watched(page)
    finally:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot for review under out/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impact on the current page (WCAG 2 A/AA rules)."""
    if not AXE.exists():
        if _in_ci():
            pytest.fail("node_modules/axe-core is missing (npm install) — required in CI")
        pytest.skip("node_modules/axe-core is not installed (npm install)")
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for v in result
        if v["impact"] in impacts
    ]


@pytest.fixture()
def shot() -> Any:
    """``shot(page, name)`` saves a screenshot for review."""
    return screenshot


@pytest.fixture()
def axe() -> Any:
    """``axe(page)`` lists axe-core's serious and critical violations."""
    return axe_violations
