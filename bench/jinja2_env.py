"""The reader pages in Jinja2, for bench/template_bench.py only.

The site renders with Django's templates. This environment, and the
templates beside it in ``bench/jinja2/``, port the article, home and section
pages as closely as the two languages allow (the same filters, the same
translations, the menu kept as a fragment under the content generation), so
the two engines can be timed on the same contexts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import (
    get_language,
    get_language_info,
    gettext,
    ngettext,
)
from jinja2 import Environment
from markupsafe import Markup

from articles.templatetags import newsroom as tags


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def languages() -> list[dict]:
    return [get_language_info(code) for code, _ in settings.LANGUAGES]


def fragment(seconds, *parts, caller):
    """``{% cache %}``: the block's HTML kept under ``parts`` for ``seconds``."""
    key = "jinja-fragment:" + ":".join(str(p) for p in parts)
    html = cache.get(key)
    if html is None:
        html = str(caller())
        cache.set(key, html, seconds)
    return Markup(html)


def truncatechars(value, n: int) -> str:
    from django.template.defaultfilters import truncatechars as django_truncate

    return django_truncate(value, n)


def urlencode(value, safe=None) -> str:
    from django.template.defaultfilters import urlencode as django_urlencode

    return (
        django_urlencode(value, safe) if safe is not None else django_urlencode(value)
    )


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        static=static,
        url=url,
        languages=languages,
        get_language=get_language,
        fragment=fragment,
        pagination=tags.pagination,
    )
    env.filters.update(
        vn_datetime=tags.vn_datetime,
        iso=tags.iso,
        credit_line=tags.credit_line,
        picture=tags.picture,
        picture_eager=tags.picture_eager,
        jsonld=tags.jsonld,
        truncatechars=truncatechars,
        urlencode=urlencode,
        capfirst=capfirst,
    )
    return env
