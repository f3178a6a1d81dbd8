"""Cached pages move only after the commit, so no reader caches what is going away."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from articles import services
from articles.choices import Status
from articles.models import Article, Category

from . import factories


def _by_service(article) -> None:
    services.unpublish(article=article)


def _by_plain_save(article) -> None:
    article.status = Status.DRAFT  # as a shell or a script would
    article.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("unpublish", [_by_service, _by_plain_save])
def test_an_unpublished_story_is_off_every_page_on_the_first_request_after_commit(
    unpublish,
):
    """A reader who asks while the unpublish is still uncommitted gets the old
    page, but nobody gets it once the COMMIT is done (SQLite with the local
    cache; PostgreSQL with Redis in CI)."""
    section = factories.category("Thời sự")
    article = factories.article("Bài sắp bị gỡ", category=section)
    urls = [
        article.get_absolute_url(),
        "/",
        "/thoi-su/",
        "/rss/",
        "/sitemap-bai-viet.xml",
    ]
    reader = Client()
    for url in urls:
        page = reader.get(url)
        assert page.status_code == 200 and article.slug in page.content.decode(), url

    inside, commit, failed = threading.Event(), threading.Event(), []

    def editor_unpublishes() -> None:
        try:
            with transaction.atomic():
                unpublish(article)
                inside.set()
                commit.wait(10)  # the transaction stays open while readers read
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            failed.append(exc)
            inside.set()
        finally:
            connection.close()

    writer = threading.Thread(target=editor_unpublishes)
    writer.start()
    try:
        assert inside.wait(10)
        for url in urls:  # still committed as published: readers see it, may cache it
            reader.get(url)
    finally:
        commit.set()
        writer.join(10)
    assert not failed, failed

    response = reader.get(article.get_absolute_url())
    assert response.status_code == 404
    for url in urls[1:]:
        assert article.slug not in reader.get(url).content.decode(), url


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_cached_pages_alone(django_assert_num_queries):
    factories.article("Bài giữ nguyên", category=factories.category("Thời sự"))
    reader = Client()
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "miss"
    with pytest.raises(RuntimeError), transaction.atomic():
        Category.objects.create(name="Chuyên mục bỏ dở")
        raise RuntimeError
    with django_assert_num_queries(0):
        assert reader.get("/thoi-su/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_page_first_asked_under_another_host_is_not_served_to_this_one(settings):
    """Without NEWSROOM_SITE_URL links follow the host: each host has its own entry."""
    settings.NEWSROOM_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["localhost", "tintuc.example.vn"]
    factories.article("Tin mới", category=factories.category("Thời sự"))
    reader = Client()
    poisoned = reader.get("/rss/", HTTP_HOST="localhost").content.decode()
    assert "http://localhost/" in poisoned
    feed = reader.get("/rss/", HTTP_HOST="tintuc.example.vn").content.decode()
    assert "http://localhost/" not in feed and "http://tintuc.example.vn/" in feed


@pytest.mark.django_db
def test_unknown_query_parameters_neither_miss_the_cache_nor_reach_the_page():
    factories.article("Tin mới", category=factories.category("Thời sự"))
    reader = Client()
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "miss"
    for i in range(20):
        response = reader.get(
            "/thoi-su/", {"utm_source": f"x{i}", "fbclid": i, "_": "<script>"}
        )
        assert response["X-Page-Cache"] == "hit"
        assert "<script>" not in response.content.decode()
    assert reader.get("/thoi-su/", {"trang": "1"})["X-Page-Cache"] == "miss"
    assert reader.get("/tim-kiem/", {"q": "tin"})["X-Page-Cache"] == "miss"
    assert reader.get("/tim-kiem/", {"q": "tin", "ref": "x"})["X-Page-Cache"] == "hit"


@pytest.mark.django_db
def test_a_made_up_session_cookie_is_served_from_the_cache_and_a_real_one_is_not(
    admin_client,
):
    factories.article("Tin mới", category=factories.category("Thời sự"))
    reader = Client()
    reader.get("/thoi-su/")
    reader.cookies["sessionid"] = "khong-phai-phien-that"
    assert reader.get("/thoi-su/")["X-Page-Cache"] == "hit"
    staff = admin_client.get("/thoi-su/")
    assert "X-Page-Cache" not in staff
    assert "private" in staff["Cache-Control"] and "no-cache" in staff["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_say_how_long_they_may_be_kept(settings, time_machine):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    # Inside one cache time slot: a miss and its hit never straddle a minute.
    time_machine.move_to("2026-12-01 10:00:05+07:00", tick=False)
    factories.article("Tin mới", category=factories.category("Thời sự"))
    assert Article.objects.published().filter(title="Tin mới").exists()
    for url in ("/", "/thoi-su/", "/rss/", "/sitemap.xml"):
        for attempt in ("miss", "hit"):
            response = Client().get(url)
            assert response["X-Page-Cache"] == attempt, url
            control = response["Cache-Control"]
            assert "public" in control and "max-age=60" in control, (url, control)
            assert "stale-while-revalidate=60" in control, (url, control)


@pytest.mark.django_db
def test_a_hit_runs_no_other_middleware_and_keeps_every_header(monkeypatch):
    from csp.middleware import CSPMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    factories.article("Tin mới", category=factories.category("Lớp đệm đầu"))
    miss = Client().get("/lop-dem-dau/")
    assert miss["X-Page-Cache"] == "miss"
    calls = []
    for middleware in (SessionMiddleware, CSPMiddleware):
        real = middleware.__call__
        monkeypatch.setattr(
            middleware,
            "__call__",
            lambda self, request, real=real: calls.append(self) or real(self, request),
        )
    hit = Client().get("/lop-dem-dau/")
    assert hit["X-Page-Cache"] == "hit" and calls == []
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert hit[header] == miss[header], header
    # The health check is never a cached answer.
    assert "X-Page-Cache" not in Client().get("/suc-khoe/")
