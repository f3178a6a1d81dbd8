"""Headless Chromium (Debian's package) driven by Playwright.

Never a downloaded browser: the tests use /usr/bin/chromium, which `.ci/run`
installs. Screenshots go to artifacts/screenshots/ (kept by CI).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make between page actions are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield WatchedBrowser(browser)
        browser.close()


class WatchedBrowser:
    """Chromium whose every page reports what the Content-Security-Policy blocked."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.violations: list[str] = []
        self.opened: list = []

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.on("console", self._note)
        self.opened.append(context)
        return context

    def close_all(self) -> None:
        """Close what a test left open: its pages poll the session's live
        server (the breaking banner, live coverage) while later tests run."""
        for context in self.opened:
            try:
                context.close()
            except Exception:  # already closed by the test
                pass
        self.opened.clear()

    def _note(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test also checks that the policy blocked nothing."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    browser.violations.clear()
    yield
    browser.close_all()
    assert browser.violations == [], browser.violations


@pytest.fixture
def shot():
    """Return a function that saves a full-page screenshot under a name."""
    SHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
