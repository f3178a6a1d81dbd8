"""Edge caches: every public page names what it shows; a change purges
exactly the pages that show it, after the commit, through a background job
tried again when the edge does not answer. Varnish is a real one, with the
project's VCL; the other backends talk to a local fake."""

from __future__ import annotations

import http.server
import io
import json
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.choices import Status
from newsroom import edge

from . import factories
from .edge_servers import Varnish


class Recorder(edge.Backend):
    """A backend that keeps what it was asked to purge."""

    calls: list[set] = []

    def purge(self, tags):
        Recorder.calls.append(set(tags))


@pytest.fixture
def recorded(settings):
    settings.NEWSROOM_EDGE = {"rec": {"BACKEND": "tests.test_edge.Recorder"}}
    Recorder.calls = []
    yield Recorder.calls
    Recorder.calls = []


def _tags(response) -> set[str]:
    return set(response.get("xkey", "").split())


@pytest.fixture
def story(db):
    parent = factories.category("Thời sự")
    child = factories.category("Chính phủ hành động", parent=parent)
    author = factories.author("Minh Châu")
    topic = factories.tag("Cải cách hành chính")
    article = factories.article("Bến Tre cải cách", category=child, authors=[author])
    article.tags.add(topic)
    return article, parent, child, author, topic


# --- what pages say they show ---------------------------------------------------


def test_every_public_page_names_the_stories_and_lists_it_shows(story, client):
    article, parent, child, author, topic = story
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert {
        f"a{article.pk}", f"s{child.pk}", f"au{author.pk}", f"t{topic.pk}", "all"
    } <= _tags(page)  # fmt: skip
    assert f"a{article.pk}" in _tags(client.get("/"))
    assert "home" in _tags(client.get("/"))
    section_page = client.get(child.get_absolute_url())
    assert {f"s{child.pk}", f"a{article.pk}"} <= _tags(section_page)
    assert {f"s{parent.pk}", f"a{article.pk}"} <= _tags(
        client.get(parent.get_absolute_url())
    )
    assert "feeds" in _tags(client.get("/rss/"))
    assert "sitemaps" in _tags(client.get("/sitemap.xml"))
    assert f"au{author.pk}" in _tags(client.get(f"/tac-gia/{author.slug}/"))
    assert f"t{topic.pk}" in _tags(client.get(f"/chu-de/{topic.slug}/"))
    # A story not out yet: its "not found" is dropped when it goes out.
    later = factories.article(
        "Chưa đến giờ", category=child, published_at=timezone.now() + timedelta(hours=1)
    )
    missing = client.get(later.get_absolute_url())
    assert missing.status_code == 404 and f"a{later.pk}" in _tags(missing)


def test_staff_pages_carry_no_tags_and_stay_private(story, editor):
    article = story[0]
    staff = Client()
    staff.force_login(editor)
    page = staff.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "xkey" not in page
    assert "private" in page["Cache-Control"]


def test_an_edge_may_keep_public_pages_longer_than_readers(story, client, settings):
    settings.NEWSROOM_EDGE = {"rec": {"BACKEND": "tests.test_edge.Recorder"}}
    settings.NEWSROOM_EDGE_SECONDS = 3600
    page = client.get(story[0].get_absolute_url())
    assert "s-maxage=3600" in page["Cache-Control"]
    assert "public" in page["Cache-Control"]


# --- what a change purges -------------------------------------------------------


def test_publishing_purges_the_story_and_every_list_it_joins(
    story, recorded, django_capture_on_commit_callbacks
):
    article, parent, child, author, topic = story
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Status.DRAFT
        article.save()
    recorded.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=article)
    assert len(recorded) == 1, "one purge for the whole transaction"
    day = timezone.localtime(article.published_at).date().isoformat()
    assert {
        f"a{article.pk}", f"s{child.pk}", f"s{parent.pk}", f"au{author.pk}",
        f"t{topic.pk}", f"d{day}", "home", "feeds", "sitemaps",
    } <= recorded[0]  # fmt: skip


@pytest.mark.parametrize("change", ["unpublish", "archive", "later", "delete"])
def test_a_story_taken_away_purges_every_page_that_showed_it(
    change, story, recorded, client, settings, django_capture_on_commit_callbacks
):
    """Whatever page printed the story (lists, feeds, sitemaps, its day, its
    author's and topic's pages) is dropped when it is unpublished, archived,
    put back to a later time or deleted."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    article, parent, child, author, topic = story
    day = timezone.localdate(article.published_at)
    pages = [
        "/", parent.get_absolute_url(), child.get_absolute_url(), "/rss/", "/atom/",
        f"{child.get_absolute_url()}rss/", f"{parent.get_absolute_url()}atom/",
        f"/tac-gia/{author.slug}/", f"/chu-de/{topic.slug}/",
        f"/{day.year}/{day.month}/{day.day}/", "/sitemap-news.xml",
        "/sitemap-bai-viet.xml", "/sitemap-bai-viet-1.xml",
        article.get_absolute_url(),
    ]  # fmt: skip
    shown = {}
    for path in pages:
        page = client.get(path)
        assert page.status_code == 200, path
        assert (
            article.title in page.content.decode()
            or str(article.pk) in page.content.decode()
        ), path
        shown[path] = _tags(page)
    recorded.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "delete":
            article.delete()
        elif change == "later":
            services.schedule(article=article, at=timezone.now() + timedelta(days=1))
        else:
            getattr(services, change)(article=article)
    purged = set().union(*recorded)
    kept = [path for path, tags in shown.items() if not tags & purged]
    assert kept == [], f"still at the edge after {change}: {kept}"


def test_a_draft_edited_purges_only_itself_and_nothing_before_the_commit(
    story, recorded, django_capture_on_commit_callbacks
):
    article, _, child, *_ = story
    with django_capture_on_commit_callbacks(execute=True):
        draft = factories.article("Bản nháp", category=child, status=Status.DRAFT)
    recorded.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        draft.title = "Bản nháp sửa"
        services.save_article(article=draft)
    assert recorded == [], "nothing is purged before the commit"
    for callback in callbacks:
        callback()
    assert recorded == [{f"a{draft.pk}"}]


def test_a_section_renamed_purges_every_page(
    story, recorded, django_capture_on_commit_callbacks
):
    child = story[2]
    with django_capture_on_commit_callbacks(execute=True):
        child.name = "Chính phủ"
        child.save()
    assert recorded == [{"all"}]


def test_the_scheduler_purges_a_story_when_its_time_comes(
    story, recorded, django_capture_on_commit_callbacks
):
    from articles import schedule

    child = story[2]
    at = timezone.now() - timedelta(seconds=2)  # its time has just come
    with django_capture_on_commit_callbacks(execute=True):
        later = factories.article("Đúng giờ", category=child, published_at=at)
    recorded.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule.tick(at - timedelta(seconds=60), at - timedelta(seconds=30))
    assert recorded == [], "not before its time"
    with django_capture_on_commit_callbacks(execute=True):
        schedule.tick(at - timedelta(seconds=1), timezone.now())
    assert len(recorded) == 1
    assert {f"a{later.pk}", f"s{child.pk}", "home"} <= recorded[0]


# --- a real Varnish ---------------------------------------------------------------


@pytest.fixture
def varnish(live_server, settings):
    host, port = live_server.url.removeprefix("http://").split(":")
    edge_cache = Varnish([(host, int(port))]).start()
    settings.NEWSROOM_EDGE = {
        "varnish": {"BACKEND": "newsroom.edge.Varnish", "LOCATIONS": [edge_cache.url]}
    }
    settings.NEWSROOM_EDGE_SECONDS = 3600
    deadline = time.monotonic() + 10
    while edge_cache.get("/suc-khoe/")[0] != 200 and time.monotonic() < deadline:
        time.sleep(0.2)
    yield edge_cache
    edge_cache.stop()


def _eventually(check, seconds: float = 2.0):
    deadline = time.monotonic() + seconds
    while True:
        if check():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_varnish_serves_readers_and_drops_exactly_what_changed(varnish):
    home_section = factories.category("Thời sự")
    other = factories.category("Kinh tế")
    old = factories.article("Tin cũ thời sự", category=home_section)
    elsewhere = factories.article("Tin kinh tế", category=other)

    for path in ("/", "/thoi-su/", "/kinh-te/", old.get_absolute_url()):
        assert varnish.get(path)[0] == 200
        status, headers, _ = varnish.get(path)
        assert headers["x-edge"] == "hit", path
        assert "xkey" not in headers, "the tags stay inside the cache"

    # A new story: on the home page and its section within 2 s, and the
    # other section still served from the edge, untouched.
    new = factories.article(
        "Tin mới về Chính phủ", category=home_section, status=Status.DRAFT
    )
    new = services.publish(article=new)
    assert _eventually(lambda: "Tin mới về Chính phủ" in varnish.get("/")[2])
    assert "Tin mới về Chính phủ" in varnish.get("/thoi-su/")[2]
    assert varnish.get("/kinh-te/")[1]["x-edge"] == "hit"
    assert varnish.get(elsewhere.get_absolute_url())[0] == 200

    # Unpublished: gone from its own address and from every list that showed it.
    url = old.get_absolute_url()
    services.unpublish(article=old)
    assert _eventually(lambda: varnish.get(url)[0] == 404)
    for path in ("/", "/thoi-su/"):
        assert "Tin cũ thời sự" not in varnish.get(path)[2], path

    # An edit: the new headline wherever the story is printed.
    new.title = "Tin mới đã sửa"
    services.save_article(article=new)
    assert _eventually(lambda: "Tin mới đã sửa" in varnish.get("/")[2])
    assert "Tin mới đã sửa" in varnish.get(new.get_absolute_url())[2]


@pytest.mark.django_db(transaction=True)
def test_varnish_passes_staff_and_ignores_readers_other_cookies(varnish):
    article = factories.article("Bài cho mọi người")
    url = article.get_absolute_url()
    varnish.get(url)
    reader = {"Cookie": "_ga=GA1.2.3; csrftoken=abc"}
    assert varnish.get(url, reader)[1]["x-edge"] == "hit"
    staff = {"Cookie": "sessionid=anything"}
    assert varnish.get(url, staff)[1]["x-edge"] == "miss"
    assert varnish.get(url, staff)[1]["x-edge"] == "miss"
    # The chosen language is part of the key: English readers get English.
    english = {"Cookie": "django_language=en"}
    first = varnish.get(url, english)
    assert first[1]["x-edge"] == "miss"
    assert 'lang="en"' in first[2]
    assert 'lang="vi"' in varnish.get(url)[2]


# --- the other backends, against a local fake -------------------------------------


class _Fake(http.server.BaseHTTPRequestHandler):
    answers: list[tuple[int, bytes]] = []
    seen: list[tuple[str, str, dict, bytes]] = []

    def _any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        _Fake.seen.append((self.command, self.path, dict(self.headers), body))
        status, reply = (
            _Fake.answers.pop(0) if _Fake.answers else (200, b'{"success": true}')
        )
        self.send_response(status)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_PURGE = do_BAN = do_POST = _any

    def log_message(self, *args):
        pass


@pytest.fixture
def fake():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Fake.seen, _Fake.answers = [], []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_generic_ban_sends_the_tags_in_its_header(fake):
    backend = edge.HTTPPurge("cdn", url=f"{fake}/purge", method="BAN")
    backend.purge(["a1", "home"])
    method, path, headers, _ = _Fake.seen[0]
    assert (method, path, headers["Surrogate-Key"]) == ("BAN", "/purge", "a1 home")
    _Fake.answers = [(503, b"busy")]
    with pytest.raises(edge.PurgeError, match="503"):
        backend.purge(["a1"])


def test_cloudflare_purges_by_tag_thirty_at_a_time(fake):
    backend = edge.Cloudflare("cf", zone="z1", token="secret", api=fake)
    tags = [f"a{i}" for i in range(45)]
    backend.purge(tags)
    assert [s[1] for s in _Fake.seen] == ["/zones/z1/purge_cache"] * 2
    sent = [json.loads(s[3])["tags"] for s in _Fake.seen]
    assert [len(t) for t in sent] == [30, 15] and sent[0] + sent[1] == tags
    assert _Fake.seen[0][2]["Authorization"] == "Bearer secret"
    _Fake.answers = [(200, b'{"success": false, "errors": [{"code": 1134}]}')]
    with pytest.raises(edge.PurgeError, match="1134"):
        backend.purge(["a1"])


def test_pages_carry_the_header_each_configured_edge_reads(story, client, settings):
    settings.NEWSROOM_EDGE = {
        "cf": {"BACKEND": "newsroom.edge.Cloudflare", "ZONE": "z", "TOKEN": "t"},
        "cdn": {"BACKEND": "newsroom.edge.HTTPPurge", "URL": "http://127.0.0.1:9/"},
    }
    page = client.get(story[0].get_absolute_url())
    assert f"a{story[0].pk}," in page["Cache-Tag"]
    assert f"a{story[0].pk}" in page["Surrogate-Key"].split()


@pytest.mark.django_db(transaction=True)
def test_a_failed_purge_is_tried_again_and_visible_in_the_admin(
    fake, settings, editorial_roles
):
    from django.contrib.auth.models import User
    from django_tasks_db.models import DBTaskResult

    from newsroom.tasks import purge

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSROOM_EDGE = {
        "cdn": {"BACKEND": "newsroom.edge.HTTPPurge", "URL": f"{fake}/"}
    }
    _Fake.answers = [(502, b"down")]
    purge.enqueue(tags=["home"])
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "502" in failed.traceback
    again = DBTaskResult.objects.get(status="READY")
    assert again.run_after > timezone.now()  # waits before its next try

    # The admin shows both, in Vietnamese.
    admin = User.objects.create_superuser("quantri", "qt@example.vn", "x")
    browser = Client()
    browser.force_login(admin)
    listing = browser.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist")
    ).content.decode()
    assert "newsroom.tasks.purge" in listing and "Thất bại" in listing
    assert "Task" not in listing and "lần chạy công việc nền" in listing.lower()

    time.sleep((again.run_after - timezone.now()).total_seconds() + 0.2)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    again.refresh_from_db()
    assert again.status == "SUCCESSFUL"
    assert [s[0] for s in _Fake.seen] == ["PURGE", "PURGE"]


def test_the_scheduler_command_runs_one_tick_for_cron(
    story, recorded, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_FEED_POLL_SECONDS = 0
    child = story[2]
    with django_capture_on_commit_callbacks(execute=True):
        due = factories.article(
            "Vừa đến giờ",
            category=child,
            published_at=timezone.now() - timedelta(minutes=2),
        )
    recorded.clear()
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once", stdout=out)
    assert any(f"a{due.pk}" in call and "home" in call for call in recorded)
    assert "xoá" in out.getvalue()
