"""Public pages go out compressed (Brotli, else gzip) from the page cache;
pages with a session or a form token never do."""

import gzip

import brotli
import pytest
from django.test import Client

from . import factories

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def story():
    return factories.article(
        "Bến Tre đẩy mạnh cải cách hành chính", body="<p>Đoạn.</p>" * 80
    )


@pytest.mark.parametrize("hit", [False, True])
def test_a_public_page_is_sent_in_the_best_encoding_the_reader_accepts(story, hit):
    url = story.get_absolute_url()
    plain = Client().get(url)
    if not hit:
        from django.core.cache import cache

        cache.clear()  # the first request for the page stores and compresses it
    br = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    gz = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert br["Content-Encoding"] == "br" and gz["Content-Encoding"] == "gzip"
    assert brotli.decompress(br.content) == plain.content
    assert gzip.decompress(gz.content) == plain.content
    assert len(br.content) < len(plain.content) / 3
    assert int(br["Content-Length"]) == len(br.content)
    for response in (plain, br, gz):
        assert "Accept-Encoding" in response["Vary"]
    assert len({plain["ETag"], br["ETag"], gz["ETag"]}) == 3
    again = Client().get(url, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=br["ETag"])
    assert again.status_code == 304


def test_an_encoding_refused_with_q0_is_not_used(story):
    url = story.get_absolute_url()
    Client().get(url)
    response = Client().get(url, HTTP_ACCEPT_ENCODING="br;q=0, gzip")
    assert response["Content-Encoding"] == "gzip"


def test_pages_with_a_session_or_a_form_token_are_never_compressed(story, admin_client):
    for url in (story.get_absolute_url(), "/admin/", "/admin/articles/article/"):
        response = admin_client.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
        assert "Content-Encoding" not in response, url
    login = Client().get("/admin/login/", HTTP_ACCEPT_ENCODING="br, gzip")
    assert "csrfmiddlewaretoken" in login.content.decode()
    assert "Content-Encoding" not in login
