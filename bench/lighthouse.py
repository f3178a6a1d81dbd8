"""Lighthouse scores of the home page and an article, on a phone and a desktop.

    (cd bench/lighthouse && npm ci) && .venv/bin/python bench/lighthouse.py

Builds the demo (``setup_demo``: about 30 stories with photos) in a scratch
SQLite database, starts gunicorn in production mode (DEBUG off, WhiteNoise's
compressed static files, media served by Django, the page cache on) on
127.0.0.1, and runs Lighthouse 12 (pinned in bench/lighthouse/) with
Debian's Chromium against the home page and the sample story, with its
mobile preset (a throttled phone) and its desktop preset. Prints the four
category scores of each run; the reports are left in the scratch folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import site_bench  # noqa: E402  (its server environment and gunicorn helpers)

ROOT = site_bench.ROOT
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

ARTICLE = r"""
import django
django.setup()
from articles.models import Article
story = Article.objects.published().get(title__startswith="Ban Chỉ đạo cải cách")
print(story.get_absolute_url())
"""


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: (cd bench/lighthouse && npm ci)")
    tmp = Path(tempfile.mkdtemp(prefix="newsroom-lighthouse-"))
    env = site_bench.server_env(tmp)
    env["NEWSROOM_SERVE_MEDIA"] = "1"
    env["NEWSROOM_PAGE_CACHE_SECONDS"] = "60"
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["collectstatic", "--noinput", "-v0"], ["migrate", "-v0"]):
        subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
    # The demo's accounts have a public password: it is made in development
    # mode, then served in production mode.
    subprocess.run(
        [*manage, "setup_demo"],
        env={**env, "DJANGO_DEBUG": "1"},
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    article = subprocess.run(
        [sys.executable, "-c", ARTICLE],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    server = site_bench.gunicorn(env)
    print(f"Lighthouse 12 · Chromium · gunicorn 2 sync workers · reports in {tmp}")
    print(f"{'page':10s} {'preset':8s} " + " ".join(f"{c:>15s}" for c in CATEGORIES))
    try:
        for name, path in (("home", "/"), ("article", article)):
            for preset in ("mobile", "desktop"):
                report = tmp / f"{name}-{preset}.json"
                command = [
                    str(LIGHTHOUSE),
                    site_bench.BASE + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    f"--only-categories={','.join(CATEGORIES)}",
                ]
                if preset == "desktop":
                    command.append("--preset=desktop")
                for _attempt in (1, 2):  # Chromium sometimes fails to start once
                    done = subprocess.run(command, env={**env, "CHROME_PATH": CHROMIUM})
                    if done.returncode == 0:
                        break
                done.check_returncode()
                scores = json.loads(report.read_text())["categories"]
                print(
                    f"{name:10s} {preset:8s} "
                    + " ".join(
                        f"{round(scores[c]['score'] * 100):>15d}" for c in CATEGORIES
                    )
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
