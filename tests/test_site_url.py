"""One function builds absolute URLs: pages, JSON-LD, feeds, sitemaps, robots."""

import io
import re

import pytest

from articles.photos.intake import store_photo_file

from . import factories

pytestmark = pytest.mark.django_db

ABSOLUTE = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def story(media):
    photo = factories.photo()
    store_photo_file(photo, io.BytesIO(factories.image_bytes()), "quang-canh.jpg")
    photo.save()
    author = factories.author("Công Trí")
    article = factories.article(
        "Tin có ảnh",
        category=factories.category("Thời sự"),
        featured_photo=photo,
        authors=[author],
    )
    article.tags.add(factories.tag("Cải cách"))
    return article


def _pages(article) -> list[str]:
    return [
        "/",
        article.get_absolute_url(),
        "/thoi-su/",
        "/tac-gia/cong-tri/",
        "/chu-de/cai-cach/",
        "/rss/",
        "/atom/",
        "/thoi-su/rss/",
        "/sitemap.xml",
        "/sitemap-bai-viet.xml",
        "/sitemap-chuyen-muc.xml",
        "/sitemap-news.xml",
        "/robots.txt",
    ]


def _links(client, url: str, host: str) -> set[str]:
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200, (url, host)
    found = set(ABSOLUTE.findall(response.content.decode()))
    # Namespaces of XML and JSON-LD's context, and the share links to social
    # networks, are not links of ours.
    return {u for u in found if "schema.org" not in u and "w3.org" not in u
            and "sitemaps.org" not in u and "google.com" not in u
            and "purl.org" not in u and "facebook.com" not in u
            and "twitter.com" not in u}  # fmt: skip


def test_with_a_site_url_every_absolute_link_is_the_same_under_any_host(
    client, settings, story
):
    settings.NEWSROOM_SITE_URL = "https://tintuc.example.vn"
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # each host gets its own rendering
    settings.ALLOWED_HOSTS = ["mot.example", "hai.example"]
    for url in _pages(story):
        first = _links(client, url, "mot.example")
        second = _links(client, url, "hai.example")
        assert first == second, url
        assert first, url
        assert all(u.startswith("https://tintuc.example.vn/") for u in first), (
            url,
            first,
        )


def test_without_a_site_url_links_follow_the_request(client, settings, story):
    settings.NEWSROOM_SITE_URL = ""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["mot.example"]
    for url in ("/rss/", "/sitemap.xml", "/robots.txt", story.get_absolute_url()):
        links = _links(client, url, "mot.example")
        assert links and all(u.startswith("http://mot.example/") for u in links), url


def test_feed_enclosures_give_the_stored_byte_size_without_asking_storage(
    client, story, monkeypatch
):
    photo = story.featured_photo
    assert photo.file_size == photo.image.size > 0
    from django.core.files.storage import FileSystemStorage

    def no_storage(*args, **kwargs):
        raise AssertionError("the feed asked storage for a size")

    monkeypatch.setattr(FileSystemStorage, "size", no_storage)
    rss = client.get("/rss/").content.decode()
    assert f'length="{photo.file_size}"' in rss


def test_an_address_that_is_already_absolute_is_kept(rf, settings):
    from newsroom.site import site_url

    settings.NEWSROOM_SITE_URL = "https://tintuc.example.vn/"
    request = rf.get("/")
    assert site_url(request, "/rss/") == "https://tintuc.example.vn/rss/"
    assert (
        site_url(request, "https://anh.example.vn/a.jpg")
        == "https://anh.example.vn/a.jpg"
    )
    assert site_url(request, "//anh.example.vn/a.jpg") == "https://anh.example.vn/a.jpg"
    settings.NEWSROOM_SITE_URL = ""
    assert site_url(request, "/rss/") == "http://testserver/rss/"


@pytest.mark.parametrize(
    "media_url", ["/media/", "https://anh.example.vn/m/", "//cdn.example.vn/", ""]
)
def test_a_stored_files_address_is_what_the_storage_says(settings, media_url):
    from django.core.files.storage import default_storage

    from newsroom.site import media_url as address

    settings.MEDIA_URL = media_url
    names = [
        "anh/2023/11/quang-canh.jpg",
        "/anh/dau-gach.jpg",
        "kho/ảnh có dấu cách.jpg",
        "kho/a#b?c;d:e&f'g(h).jpg",
        "kho/./a.jpg",
        "kho/../a.jpg",
        "kho/.an/a.jpg",
        "kho//a.jpg",
        "renditions/ab/abcdef-960.webp",
        "a.",
        "kho/a b\\c.jpg",
        "kho/(1)~x!y*z'.jpg",
    ]
    for name in names:
        assert address(name) == default_storage.url(name), name


def test_a_storage_with_its_own_addresses_is_asked(settings):
    from django.core.files.storage import default_storage

    from newsroom.site import media_url

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_site_url.SignedStorage"},
    }
    assert media_url("kho/a.jpg") == "https://ky.example.vn/kho/a.jpg?sig=1"
    assert default_storage.url("kho/a.jpg") == media_url("kho/a.jpg")


class SignedStorage:
    """A storage that writes its own URLs (object storage signs them)."""

    def url(self, name):
        return f"https://ky.example.vn/{name}?sig=1"
