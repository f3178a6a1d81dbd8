"""RSS 2.0 and Atom feeds: a file, an address, and the feeds poll_feeds reads."""

import http.server
import threading
from email.utils import format_datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.choices import Status
from articles.importers import feed as feed_parser
from articles.models import Article, Feed

from .. import factories


def _item(n: int, image_url: str = "") -> str:
    enclosure = (
        f'<enclosure url="{image_url}" type="image/jpeg" length="1000"/>'
        if image_url
        else ""
    )
    published = format_datetime(timezone.now() - timezone.timedelta(hours=n))
    return f"""
    <item>
      <title>Tin số {n}: Thủ tướng &amp; các bộ trưởng</title>
      <link>https://doitac.example.vn/tin-{n}.htm</link>
      <guid isPermaLink="false">doitac-{n}</guid>
      <description><![CDATA[<p>Lời dẫn của <b>tin {n}</b>.</p>]]></description>
      <content:encoded><![CDATA[<p>Đoạn một của tin {n}.</p>
        <figure><img src="https://doitac.example.vn/a.jpg" alt="">
        <figcaption>Quang cảnh hội nghị. (Ảnh: TTXVN)</figcaption></figure>
        <h3>Tiêu đề phụ</h3><p>Đoạn hai <script>alert(1)</script>có chữ <em>nghiêng</em>.</p>]]></content:encoded>
      <author>bientap@doitac.example.vn (Nguyễn Văn An)</author>
      <category>Cải cách hành chính</category>
      <category>Bến Tre</category>
      <pubDate>{published}</pubDate>
      {enclosure}
    </item>"""


def rss(count: int, image_url: str = "") -> bytes:
    items = "".join(_item(n, image_url) for n in range(1, count + 1))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel><title>Đối tác</title><link>https://doitac.example.vn/</link>
  <description>Tin đối tác</description>{items}</channel></rss>""".encode()


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Đối tác Atom</title><id>urn:doitac</id><updated>2026-11-30T08:00:00Z</updated>
  <entry>
    <title type="html">Hội nghị &lt;b&gt;trực tuyến&lt;/b&gt; toàn quốc</title>
    <id>urn:doitac:1</id>
    <link href="https://doitac.example.vn/hoi-nghi.htm"/>
    <updated>2026-11-30T08:00:00Z</updated>
    <author><name>Trần Thị Bình</name></author>
    <summary>Hội nghị diễn ra sáng nay.</summary>
    <content type="html">&lt;p&gt;Nội dung hội nghị.&lt;/p&gt;</content>
    <category term="Chuyển đổi số"/>
  </entry>
</feed>""".encode()


def test_an_rss_item_gives_every_field():
    (draft,) = feed_parser.parse(rss(1), "doitac.rss")
    assert draft.title == "Tin số 1: Thủ tướng & các bộ trưởng"
    assert draft.lead == "Lời dẫn của tin 1."
    assert draft.external_id == "doitac-1"
    assert draft.source_url == "https://doitac.example.vn/tin-1.htm"
    assert draft.authors == ["Nguyễn Văn An"]
    assert draft.tags == ["Cải cách hành chính", "Bến Tre"]
    kinds = [b.type for b in draft.blocks]
    assert kinds == ["paragraph", "photo", "heading", "paragraph"]
    photo = draft.photos[0]
    assert (photo.caption, photo.credit) == ("Quang cảnh hội nghị.", "TTXVN")
    assert photo.url == "https://doitac.example.vn/a.jpg"
    assert (
        "script" not in draft.blocks[3].html
        and "<em>nghiêng</em>" in draft.blocks[3].html
    )
    assert draft.published_at is not None


def test_an_atom_entry_gives_every_field():
    (draft,) = feed_parser.parse(ATOM, "doitac.atom")
    assert draft.title == "Hội nghị trực tuyến toàn quốc"
    assert draft.lead == "Hội nghị diễn ra sáng nay."
    assert draft.external_id == "urn:doitac:1"
    assert draft.authors == ["Trần Thị Bình"] and draft.tags == ["Chuyển đổi số"]
    assert [b.html for b in draft.blocks] == ["Nội dung hội nghị."]


def test_a_file_that_is_not_a_feed_is_refused_in_one_line():
    from articles.importers.base import DraftError

    with pytest.raises(DraftError, match="không phải nguồn tin RSS/Atom"):
        feed_parser.parse(b"<html><body>Trang web</body></html>", "trang.rss")


class _Server:
    """A feed and its images on 127.0.0.1, with ETags, counting what it served."""

    def __init__(self, media):
        self.body = rss(2)
        self.requests: list[tuple[str, str]] = []
        self.image = factories.image_bytes()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                outer.requests.append(
                    (self.path, self.headers.get("If-None-Match", ""))
                )
                if self.path.endswith(".jpg"):
                    self._send(outer.image, "image/jpeg")
                    return
                if self.path.startswith(
                    "/chuyen/"
                ):  # a redirect to the address after it
                    self.send_response(302)
                    self.send_header("Location", self.path.removeprefix("/chuyen/"))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = f'"v{len(outer.body)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self._send(outer.body, "application/rss+xml", etag)

            def _send(self, body, kind, etag=None):
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(media):
    running = _Server(media)
    yield running
    running.close()


@pytest.mark.django_db
def test_poll_feeds_imports_then_costs_no_parse_then_adds_what_is_new(
    server, monkeypatch
):
    section = factories.category("Tin đối tác")
    server.body = rss(2, image_url=f"{server.url}/anh-bia.jpg")
    Feed.objects.create(
        name="Đối tác", url=f"{server.url}/rss", section=section, agency="Đối tác"
    )
    call_command("poll_feeds")
    stories = Article.objects.order_by("title")
    assert stories.count() == 2
    story = stories[0]
    assert story.status == Status.DRAFT and story.category == section
    assert story.agency == "Đối tác" and story.byline[0].name == "Nguyễn Văn An"
    assert {t.name for t in story.tags.all()} == {"Cải cách hành chính", "Bến Tre"}
    assert story.photos.filter(image__gt="").count() == 1  # the enclosure, fetched
    assert "<figure" in story.body and "script" not in story.body

    parses = []
    real_parse = feed_parser.feedparser.parse
    monkeypatch.setattr(
        feed_parser.feedparser,
        "parse",
        lambda *a, **k: parses.append(1) or real_parse(*a, **k),
    )
    server.requests.clear()
    call_command("poll_feeds")
    assert server.requests == [("/rss", f'"v{len(server.body)}"')]  # asked, 304
    assert parses == [] and Article.objects.count() == 2
    assert Feed.objects.get().last_result == "không đổi (304)"

    server.body = rss(3, image_url=f"{server.url}/anh-bia.jpg")
    server.requests.clear()
    call_command("poll_feeds")
    assert Article.objects.count() == 3
    assert Article.objects.filter(external_id="doitac-3", status=Status.DRAFT).exists()
    assert [p for p, _ in server.requests].count("/anh-bia.jpg") == 1  # new item only
    assert Feed.objects.get().last_result == "1 bài mới"


@pytest.mark.django_db
def test_a_feed_address_and_a_feed_file_import_once(server, tmp_path):
    factories.category("Tin đối tác")
    call_command("import_articles", "--category", "Tin đối tác", f"{server.url}/rss")
    assert Article.objects.count() == 2
    path = tmp_path / "doitac.rss"
    path.write_bytes(server.body)
    call_command("import_articles", "--category", "Tin đối tác", str(path))
    assert Article.objects.count() == 2  # the same items: nothing new


@pytest.mark.django_db
def test_an_unreachable_or_oversized_feed_is_one_line_and_the_others_still_read(
    server, settings, capsys
):
    from django.core.management.base import CommandError

    section = factories.category("Tin đối tác")
    Feed.objects.create(name="Hỏng", url="http://127.0.0.1:9/rss", section=section)
    Feed.objects.create(name="Đối tác", url=f"{server.url}/rss", section=section)
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("poll_feeds")
    assert Article.objects.count() == 2
    assert "không tải được" in capsys.readouterr().err
    settings.NEWSROOM_FEED_MAX_BYTES = 100
    Feed.objects.filter(name="Đối tác").update(etag="")
    with pytest.raises(CommandError):
        call_command("poll_feeds")
    assert "lớn quá" in Feed.objects.get(name="Đối tác").last_result


def test_redirects_are_followed_to_http_only(server):
    from articles.importers import http as fetching
    from articles.importers.base import DraftError

    answer = fetching.fetch(f"{server.url}/chuyen/{server.url}/rss")
    assert answer.status == 200 and b"<rss" in answer.body
    for target in ("ftp://127.0.0.1:9/tin.rss", "file:///etc/passwd"):
        with pytest.raises(DraftError) as caught:
            fetching.fetch(f"{server.url}/chuyen/{target}")
        assert "không phải địa chỉ http(s), không theo" in caught.value.reason
        assert target in caught.value.reason


@pytest.mark.django_db
def test_an_address_with_another_format_is_one_line_not_a_read_of_stdin(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 lỗi"):
        call_command(
            "import_articles", "--format", "jsonl", "http://127.0.0.1:9/bai.jsonl"
        )
    assert "chỉ đọc được nguồn tin RSS/Atom" in capsys.readouterr().err


@pytest.mark.django_db
def test_items_without_guid_or_link_are_told_apart_by_their_text(tmp_path):
    factories.category("Tin đối tác")
    feed = rss(2).replace(b'<guid isPermaLink="false">doitac-1</guid>', b"")
    feed = feed.replace(b'<guid isPermaLink="false">doitac-2</guid>', b"")
    feed = feed.replace(b"<link>https://doitac.example.vn/tin-1.htm</link>", b"")
    feed = feed.replace(b"<link>https://doitac.example.vn/tin-2.htm</link>", b"")
    path = tmp_path / "khong-guid.rss"
    path.write_bytes(feed)
    call_command("import_articles", "--category", "Tin đối tác", str(path))
    titles = sorted(Article.objects.values_list("title", flat=True))
    assert titles == [
        "Tin số 1: Thủ tướng & các bộ trưởng",
        "Tin số 2: Thủ tướng & các bộ trưởng",
    ]
    call_command("import_articles", "--category", "Tin đối tác", str(path))
    assert Article.objects.count() == 2  # and read again: nothing new
