"""axe-core finds no accessibility violation, of any impact, on any reader
page type, on a phone or a desktop.

axe-core is the pinned npm package (package.json, ``npm ci`` in ``make
test``), injected into each page by Playwright.
"""

import os
from pathlib import Path

import pytest

from ..pages import newspaper

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media"),
]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"dien-thoai": (360, 740), "may-tinh": (1440, 900)}
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v =>
    `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`);
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("axe-core is missing: `make test` runs npm ci")
        pytest.skip("axe-core is missing: install Node's npm and run `make test`")
    return AXE.read_text()


@pytest.mark.parametrize("device", SIZES)
def test_no_page_type_has_an_accessibility_violation(
    browser, live_server, axe_source, settings, device
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    width, height = SIZES[device]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN"
    )
    page = context.new_page()
    # A canary axe must catch: a picture without a text alternative.
    page.set_content('<!doctype html><html lang="vi"><title>x</title><img src="x.png">')
    page.evaluate(axe_source)
    assert any(v.startswith("image-alt") for v in page.evaluate(RUN))

    found = {}
    for path in newspaper().values():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        page.evaluate(axe_source)  # evaluated, not a <script>: the CSP stays whole
        violations = page.evaluate(RUN)
        if violations:
            found[path] = violations
    context.close()
    assert found == {}, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)
