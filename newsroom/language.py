"""The language of a page: Vietnamese, unless the reader or editor chose English.

A browser's Accept-Language is not a choice: a Vietnamese newsroom's site
reads in Vietnamese whatever the browser prefers. English is chosen with the
language link (``/ngon-ngu/en/``), which sets Django's language cookie.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request) -> str:
    """Return the language the user chose, else the site's (``LANGUAGE_CODE``)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """Django's LocaleMiddleware without the browser's preference."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
