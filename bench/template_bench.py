"""Time the reader templates in Django's language against a Jinja2 port.

Usage:
    .venv/bin/python bench/template_bench.py [N] [--repeat R]

Seeds N stories (default 10,000, bench/seed.py) into a temporary SQLite
file, or uses the database of DATABASE_URL as it is. Then, in-process with
DEBUG off, for the article, home and section pages (first and 200th): asks
each page once to capture the context its view renders with, and times over
R runs (default 300, the median): the whole request (middleware, view,
queries, template), Django's template alone on that context, and the same
page in Jinja2 (``bench/jinja2/``, ``bench/jinja2_env.py``) on that context.
It checks the two engines print the same page (tags and text, whitespace
aside) before it times them.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def median_ms(fn, repeat: int) -> float:
    for _ in range(10):  # warm
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def squeeze(html: str) -> str:
    """The page without the whitespace the two languages place differently."""
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsroom-templates-"))
    sys.path.insert(0, str(BENCH))
    from site_bench import server_env

    given = "DATABASE_URL" in os.environ
    env = server_env(tmp)
    env["NEWSROOM_PAGE_CACHE_SECONDS"] = "0"  # the page as the view makes it
    os.environ.update(env)
    if not given:  # a scratch SQLite file, seeded
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        seed = [sys.executable, str(BENCH / "seed.py"), str(args.n)]
        subprocess.run(seed, env=env, check=True, cwd=ROOT)
    collect = [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput"]
    subprocess.run([*collect, "-v0"], env=env, check=True, cwd=ROOT)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.template.backends.jinja2 import Jinja2
    from django.template.loader import render_to_string
    from django.test import Client

    from articles import views
    from articles.models import Article, Category

    jinja = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [BENCH / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "jinja2_env.environment",
                "context_processors": settings.TEMPLATES[0]["OPTIONS"][
                    "context_processors"
                ],
            },
        }
    )
    captured = {}
    real_render = views.render

    def capture(request, template_name, context=None, *a, **kw):
        captured.update(request=request, template=template_name, context=context)
        return real_render(request, template_name, context, *a, **kw)

    views.render = capture
    article = Article.objects.published().order_by("-published_at")[50]
    section = (
        Category.objects.filter(articles__status="published")
        .annotate(n=django.db.models.Count("articles"))
        .order_by("-n")
        .first()
    )
    pages = {
        "article": article.get_absolute_url(),
        "home": "/",
        "section p1": section.get_absolute_url(),
        "section p200": section.get_absolute_url() + "?trang=200",
    }
    client = Client()
    print(f"{Article.objects.published().count():,} stories; median of {args.repeat}")
    print(f"{'page':<14}{'request':>10}{'Django tpl':>12}{'Jinja2':>10}{'saved':>9}")
    client.get(pages["section p1"])
    last = captured["context"]["page"].paginator.num_pages
    if last < 200:  # a small seed: the section's last page stands for a deep one
        del pages["section p200"]
        pages[f"section p{last}"] = section.get_absolute_url() + f"?trang={last}"
    for name, url in pages.items():
        captured.clear()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        request, template, context = (
            captured["request"],
            captured["template"],
            captured["context"],
        )
        django_html = render_to_string(template, context, request)
        jinja_template = jinja.get_template(template)
        jinja_html = jinja_template.render(context, request)
        a, b = squeeze(django_html), squeeze(jinja_html)
        if a != b:
            at = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
            raise SystemExit(
                f"{name}: the two engines differ at {at}:\n"
                f"  Django: {a[at - 80 : at + 80]}\n  Jinja2: {b[at - 80 : at + 80]}"
            )
        whole = median_ms(partial(client.get, url), args.repeat)
        dj = median_ms(
            partial(render_to_string, template, context, request), args.repeat
        )
        jj = median_ms(partial(jinja_template.render, context, request), args.repeat)
        print(
            f"{name:<14}{whole:>8.2f}ms{dj:>10.2f}ms{jj:>8.2f}ms"
            f"{(dj - jj) / whole:>8.0%}"
        )
    views.render = real_render


if __name__ == "__main__":
    main()
