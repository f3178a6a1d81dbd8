"""The reader site: pages, search, feeds, sitemaps, caching, query counts."""

import datetime as dt
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import body
from articles.models import Article, ArticlePhoto
from articles.text import VN_TZ

from . import factories

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).resolve().parent.parent
    / "samples"
    / "ben-tre-cai-cach-hanh-chinh.txt"
)
SAMPLE_TITLE = "Ban Chỉ đạo cải cách hành chính của Chính phủ kiểm tra tại Bến Tre"


@pytest.fixture
def sample(media):
    import io

    call_command(
        "import_articles", str(SAMPLE), status="published",
        published_at="2023-11-10T17:30:00+07:00", stdout=io.StringIO(),
    )  # fmt: skip
    return Article.objects.get(title=SAMPLE_TITLE)


def rich_article(n: int, **kwargs) -> Article:
    """A published story with ``n`` photos, authors, tags and related stories."""
    section = kwargs.pop("category", None) or factories.category()
    photos = [factories.photo(caption=f"Ảnh {i}.") for i in range(n)]
    markup = "".join(
        f"<p>Đoạn {i}.</p>" + body.photo_figure(p.pk, p.caption, p.credit)
        for i, p in enumerate(photos)
    )
    article = factories.article(
        category=section,
        body=markup,
        lead="Sapo bài nhiều phần.",
        authors=[factories.author() for _ in range(n)],
        featured_photo=photos[0],
        **kwargs,
    )
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo=p, order=i) for i, p in enumerate(photos)
    )
    article.tags.add(*[factories.tag() for _ in range(n)])
    article.related.add(*[factories.article(category=section) for _ in range(n)])
    return article


# --- pages -------------------------------------------------------------------


def test_sample_article_page_has_every_part(client, sample):
    html = client.get(sample.get_absolute_url()).content.decode()
    assert f"<h1>{SAMPLE_TITLE}</h1>" in html
    assert 'href="/chinh-phu-hanh-dong/">Chính phủ hành động</a>' in html  # breadcrumb
    assert "Thứ Sáu, 10/11/2023 17:30" in html
    assert '<span class="location">Bến Tre</span>' in html
    assert "Đoàn kiểm tra của Ban Chỉ đạo" in html
    assert html.count("(Ảnh: Công trí/TTXVN)") == 3
    assert 'href="/tac-gia/cong-tri/" rel="author">Công Trí</a>' in html
    assert '<span class="agency">TTXVN</span>' in html
    assert (
        '"@type": "NewsArticle"' in html
        and '"datePublished": "2023-11-10T17:30:00+07:00"' in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert (
        f'<link rel="canonical" href="http://testserver{sample.get_absolute_url()}">'
        in html
    )


def test_home_shows_lead_latest_and_a_block_per_menu_section(client):
    a, b = factories.category("Thời sự"), factories.category("Kinh tế")
    factories.category("Ẩn", show_in_menu=False)
    old = factories.article(
        "Tin cũ Thời sự", category=a, published_at=timezone.now() - timedelta(days=3)
    )
    newest = factories.article("Tin mới nhất Kinh tế", category=b)
    for i in range(15):  # more than the lead and the latest list hold
        factories.article(
            f"Tin Kinh tế {i}",
            category=b,
            published_at=timezone.now() - timedelta(hours=2 + i),
        )
    html = client.get("/").content.decode()
    lead = f'class="lead-title"><a href="{newest.get_absolute_url()}">'
    assert lead + "Tin mới nhất Kinh tế" in html
    assert f'id="cm-{a.pk}"' in html and f'id="cm-{b.pk}"' in html
    assert old.title in html


def test_category_lists_its_subsections_stories_and_paginates(client):
    top = factories.category("Chính phủ")
    sub = factories.category("Địa phương", parent=top)
    now = timezone.now()
    for i in range(25):
        factories.article(f"Tin số {i:02d}", category=sub if i % 2 else top,
                          published_at=now - timedelta(minutes=i))  # fmt: skip
    first = client.get("/chinh-phu/").content.decode()
    assert "Tin số 00" in first and "Tin số 01" in first and "Tin số 20" not in first
    assert "Trang 1/2" in first and 'href="/chinh-phu/dia-phuong/">Địa phương' in first
    second = client.get("/chinh-phu/?trang=2").content.decode()
    assert "Tin số 24" in second and "Tin số 00" not in second
    assert client.get("/chinh-phu/?trang=3").status_code == 404
    assert client.get("/chinh-phu/?trang=abc").status_code == 404
    assert "Tin số 01" in client.get("/chinh-phu/dia-phuong/").content.decode()


def test_related_are_editors_choice_filled_with_recent_of_the_section(client):
    section = factories.category()
    chosen = factories.article("Bài được chọn", category=factories.category())
    factories.article("Bài mới cùng mục", category=section)
    article = factories.article("Bài chính", category=section,
                                published_at=timezone.now() - timedelta(days=1))  # fmt: skip
    article.related.add(chosen)
    html = client.get(article.get_absolute_url()).content.decode()
    related = html.split('id="xem-them"')[1]
    assert related.index("Bài được chọn") < related.index("Bài mới cùng mục")


def test_changed_slug_or_section_answers_301(client):
    article = factories.article("Tên cũ")
    old = article.get_absolute_url()
    article.category = factories.category("Mục mới")
    article.slug = "ten-moi"
    article.save()
    response = client.get(old)
    assert (
        response.status_code == 301
        and response["Location"] == article.get_absolute_url()
    )


def test_error_pages_are_in_vietnamese_in_the_site_design(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html and 'class="site-header"' in html


def test_english_when_the_reader_switches(client):
    factories.article("Bến Tre")
    factories.article("Hà Nội")
    response = client.get("/ngon-ngu/en/", {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert "Latest news" in html and '<html lang="en">' in html
    from articles.text import WEEKDAYS_EN, WEEKDAYS_VI

    assert any(f">{day}, " in html for day in WEEKDAYS_EN)
    assert not any(f">{day}, " in html for day in WEEKDAYS_VI)


# --- the one rule, on every public surface ---------------------------------

HIDDEN = [
    ("draft", -1),
    ("review", -1),
    ("archived", -1),
    ("published", +1),  # scheduled
]


@pytest.mark.parametrize("status, hours", HIDDEN)
def test_unpublished_is_absent_everywhere(client, status, hours):
    section = factories.category("Thời sự")
    author = factories.author("Nguyễn Văn A")
    topic = factories.tag("Cải cách")
    hidden = factories.article(
        "Bài ẩn tuyệt mật", category=section, authors=[author], status=status,
        published_at=timezone.now() + timedelta(hours=hours),
    )  # fmt: skip
    hidden.tags.add(topic)
    visible = factories.article("Bài công khai", category=section, authors=[author])
    visible.tags.add(topic)
    visible.related.add(hidden)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in [
        "/", "/thoi-su/", "/tac-gia/nguyen-van-a/", "/chu-de/cai-cach/",
        "/tim-kiem/?q=bai", "/rss/", "/atom/", "/thoi-su/rss/", "/thoi-su/atom/",
        "/sitemap-bai-viet.xml", "/sitemap-news.xml", visible.get_absolute_url(),
    ]:  # fmt: skip
        html = client.get(url).content.decode()
        if url != visible.get_absolute_url():
            assert visible.get_absolute_url() in html, url
        assert "ẩn tuyệt mật" not in html, url
        assert f"-{hidden.pk}.htm" not in html, url


# --- search ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["cai cach hanh chinh ben tre", "Cải cách hành chính Bến Tre"]
)
def test_search_finds_the_sample_first_with_or_without_marks(client, sample, query):
    factories.article(
        "Hội nghị về chuyển đổi số", lead="Cải cách hành chính ở Bến Tre được nhắc tới."
    )
    html = client.get("/tim-kiem/", {"q": query}).content.decode()
    first = html.split('<article class="card')[1]
    assert "<mark>cải</mark>" in first.lower() or "<mark>Cải</mark>" in first
    assert "Ban Chỉ đạo" in first
    assert "2 kết quả" in html


def test_search_ranks_title_over_lead_over_body(client):
    now = timezone.now()
    in_body = factories.article(
        "Một", body="<p>Có từ khánh thành ở đây.</p>", published_at=now
    )
    in_lead = factories.article(
        "Hai", lead="Lễ khánh thành cầu.", published_at=now - timedelta(days=1)
    )
    in_title = factories.article(
        "Khánh thành cầu mới", published_at=now - timedelta(days=2)
    )
    html = client.get("/tim-kiem/", {"q": "khanh thanh"}).content.decode()
    positions = [html.index(f"-{a.pk}.htm") for a in (in_title, in_lead, in_body)]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "query",
    ["", "   ", "!!!", "<script>alert(1)</script>", "' OR 1=1 --", "%_%", "a" * 5000,
     "\x00\x01", "cải " * 200],
)  # fmt: skip
def test_search_handles_empty_long_and_hostile_queries(client, query):
    factories.article("Bài thường")
    response = client.get("/tim-kiem/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Traceback" not in html


# --- feeds and SEO -------------------------------------------------------------


def test_rss_and_atom_have_title_lead_link_date_author_and_image(client, media):
    from django.core.files.base import ContentFile

    photo = factories.photo()
    photo.image.save("a.jpg", ContentFile(b"\xff\xd8\xff" + b"0" * 100))
    article = factories.article(
        "Tin có ảnh", lead="Sapo tin.", featured_photo=photo, authors=[factories.author("Công Trí")],
        category=factories.category("Thời sự"),
    )  # fmt: skip
    rss = client.get("/rss/").content.decode()
    assert (
        "<title>Tin có ảnh</title>" in rss
        and "<description>Sapo tin.</description>" in rss
    )
    assert f"http://testserver{article.get_absolute_url()}" in rss
    assert "<pubDate>" in rss and "Công Trí" in rss
    enclosure = rss.split("<enclosure ")[1].split("/>")[0]
    assert (
        'url="http://testserver/media/' in enclosure
        and 'type="image/jpeg"' in enclosure
    )
    atom = client.get("/thoi-su/atom/").content.decode()
    assert 'xmlns="http://www.w3.org/2005/Atom"' in atom and "Tin có ảnh" in atom


def test_sitemaps_and_robots(client):
    article = factories.article("Tin mới", category=factories.category("Thời sự"))
    old = factories.article("Tin cũ", published_at=timezone.now() - timedelta(days=5))
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-bai-viet-1.xml" in index
    block = client.get("/sitemap-bai-viet-1.xml").content.decode()
    assert article.get_absolute_url() in block and old.get_absolute_url() in block
    assert "sitemap-chuyen-muc.xml" in index
    urls = client.get("/sitemap-bai-viet.xml").content.decode()
    assert article.get_absolute_url() in urls and old.get_absolute_url() in urls
    news = client.get("/sitemap-news.xml").content.decode()
    assert "<news:title>Tin mới</news:title>" in news and "Tin cũ" not in news
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Sitemap: http://testserver/sitemap-news.xml" in robots


# --- speed -------------------------------------------------------------------


def queries(client, url) -> int:
    client.get(url)  # warm what is cached across pages (the section tree)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_article_page_queries_do_not_grow_with_its_parts(client, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    one, twenty = rich_article(1), rich_article(20)
    counts = [queries(client, a.get_absolute_url()) for a in (one, twenty)]
    # The story, its byline, topics and photos together, its "Xem thêm".
    assert counts[0] == counts[1] <= 3, counts
    html = client.get(twenty.get_absolute_url()).content.decode()
    assert html.count('class="photo"') == 20 and html.count('rel="author"') == 20


@pytest.mark.parametrize(
    "url",
    ["/", "/{section}/", "/{section}/?trang=2", "/tac-gia/{author}/", "/chu-de/{tag}/",
     "/tim-kiem/?q=sapo", "/rss/", "/sitemap-bai-viet.xml"],
)  # fmt: skip
def test_every_page_costs_a_small_fixed_number_of_queries(client, settings, url):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = factories.category("Thời sự")
    counts = []
    for n in (1, 20):
        article = rich_article(n, category=section)
        for _ in range(25):
            factories.article(category=section, lead="sapo")
        page = url.format(
            section=section.slug,
            author=article.byline[0].slug,
            tag=article.tags.first().slug,
        )
        counts.append(queries(client, page))
    assert counts[0] == counts[1] <= 5, counts


def test_cached_page_costs_no_query_and_answers_304(client):
    factories.article("Bài được lưu đệm")
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit" and len(ctx.captured_queries) == 0
    assert second.content == first.content
    etag = second["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_article_page_answers_if_modified_since(client):
    article = factories.article()
    response = client.get(article.get_absolute_url())
    last_modified = response["Last-Modified"]
    again = client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=last_modified)
    assert again.status_code == 304


@pytest.mark.django_db(transaction=True)
def test_cache_is_dropped_on_edit_publish_and_unpublish(client):
    """Each committed change is on the next page asked for."""
    section = factories.category("Thời sự")
    article = factories.article("Tiêu đề đầu", category=section)
    assert "Tiêu đề đầu" in client.get("/thoi-su/").content.decode()
    article.title = "Tiêu đề đã sửa"
    article.save()
    assert "Tiêu đề đã sửa" in client.get("/thoi-su/").content.decode()  # edit
    draft = factories.article("Bài mới duyệt", category=section, status="draft")
    assert "Bài mới duyệt" not in client.get("/thoi-su/").content.decode()
    draft.status = "published"
    draft.published_at = timezone.now()
    draft.save()
    assert "Bài mới duyệt" in client.get("/thoi-su/").content.decode()  # publish
    draft.status = "archived"
    draft.save()
    assert "Bài mới duyệt" not in client.get("/thoi-su/").content.decode()  # unpublish
    photo = article.featured_photo or factories.photo(caption="Ảnh cũ")
    article.body = body.photo_figure(photo.pk, "Chú thích cũ", "TTXVN")
    article.save()
    ArticlePhoto.objects.create(article=article, photo=photo)
    assert "Chú thích cũ" in client.get(article.get_absolute_url()).content.decode()


def test_scheduled_story_appears_within_a_minute_of_its_time(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        factories.article("Bài hẹn giờ", category=factories.category("Thời sự"),
                          published_at=start + timedelta(minutes=5))  # fmt: skip
        assert "Bài hẹn giờ" not in client.get("/thoi-su/").content.decode()
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert "Bài hẹn giờ" not in client.get("/thoi-su/").content.decode()
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert "Bài hẹn giờ" in client.get("/thoi-su/").content.decode()


def test_staff_with_a_session_always_get_fresh_pages(admin_client):
    factories.article("Bài một")
    admin_client.get("/")
    assert "X-Page-Cache" not in admin_client.get("/")


def test_dates_in_reader_pages_are_vietnamese(client):
    factories.article(
        "Ngày giờ", published_at=dt.datetime(2023, 11, 10, 17, 30, tzinfo=VN_TZ)
    )
    assert "Thứ Sáu, 10/11/2023 17:30" in client.get("/").content.decode()


def test_sqlite_fallback_finds_what_the_index_finds(client):
    """Without FTS5 (or on other databases) the LIKE fallback gives the same order."""
    from articles import search

    now = timezone.now()
    factories.article("Một", body="<p>Có từ khánh thành ở đây.</p>", published_at=now)
    factories.article(
        "Hai", lead="Lễ khánh thành cầu.", published_at=now - timedelta(days=1)
    )
    factories.article("Khánh thành cầu mới", published_at=now - timedelta(days=2))
    factories.article("Không liên quan")
    words = search.words("Khánh Thành")
    main = [a.title for a in search.search(Article.objects.published(), words)]
    found, order = search._fallback(Article.objects.published(), words)
    fallback = [a.title for a in found.order_by(*order)]
    assert main == fallback == ["Khánh thành cầu mới", "Hai", "Một"]


def test_the_page_cache_generation_is_shared_through_redis_when_configured(settings):
    """With REDIS_URL (CI's PostgreSQL run) every app server sees the same generation."""
    import os

    from django.core.cache import cache

    from newsroom import pagecache

    backend = settings.CACHES["default"]["BACKEND"]
    if not os.environ.get("REDIS_URL"):
        assert "locmem" in backend
        pytest.skip("REDIS_URL is not set: the local-memory cache is in use")
    assert backend == "newsroom.cache.FailOpenRedisCache"  # Django's, failing open
    before = pagecache.generation()
    assert before is not None, "Redis did not answer"
    pagecache.bump()
    after = pagecache.generation()
    assert after != before and str(cache.get(pagecache.GENERATION_KEY)) == after


def test_a_new_section_is_seen_by_every_worker(client, settings):
    """Another worker's cache is not told about a save; the shared generation is."""
    from django.core.cache import cache

    from articles import sections
    from newsroom import pagecache

    assert sections.tree().find("moi") is None  # this worker caches the tree
    from articles.models import Category

    Category.objects.bulk_create(
        [Category(name="Mới", slug="moi", path="moi")]
    )  # no signal
    assert sections.tree().find("moi") is None  # still the cached tree
    pagecache.bump()  # what a save in any worker does
    assert sections.tree().find("moi") is not None
    cache.clear()


@pytest.mark.parametrize("number", ["²", "³", "①", "1.5", "-1", "0", "9999999"])
def test_a_page_number_that_is_not_one_answers_404(client, number):
    factories.article(category=factories.category("Thời sự"))
    assert client.get("/thoi-su/", {"trang": number}).status_code == 404


@pytest.mark.parametrize("target", ["abc", "https://evil.example/", "//evil.example/"])
def test_the_language_switch_goes_back_only_to_this_site(client, target):
    response = client.get("/ngon-ngu/en/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("status, hours", HIDDEN)
def test_an_author_or_topic_of_hidden_stories_only_has_no_public_page(
    client, status, hours
):
    author = factories.author("Người Chưa Đăng", bio="Tiểu sử chưa công bố.")
    topic = factories.tag("Chủ đề chưa công bố")
    hidden = factories.article(
        "Bài ẩn", authors=[author], status=status,
        published_at=timezone.now() + timedelta(hours=hours),
    )  # fmt: skip
    hidden.tags.add(topic)
    for url in (author.get_absolute_url(), topic.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "chưa công bố" not in response.content.decode().lower(), url
    factories.article("Bài đã đăng", authors=[author]).tags.add(topic)
    from django.core.cache import cache

    cache.clear()  # what the commit of that story does to cached pages
    assert (
        "Tiểu sử chưa công bố."
        in client.get(author.get_absolute_url()).content.decode()
    )
    assert client.get(topic.get_absolute_url()).status_code == 200


def test_an_article_page_keeps_the_bylines_order_and_sorts_its_topics(client):
    import re

    section = factories.category("Thời sự")
    names = ["Trần Thị Bình", "An Nguyễn", "Công Trí"]  # not alphabetical
    article = factories.article(
        "Bài có ba tác giả",
        category=section,
        authors=[factories.author(n) for n in names],
    )
    for name in ["Xuất khẩu", "Bến Tre", "Cải cách"]:
        article.tags.add(factories.tag(name))
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.findall(r'rel="author">([^<]+)<', html) == names
    assert re.findall(r'rel="tag">([^<]+)<', html) == [
        "Bến Tre",
        "Cải cách",
        "Xuất khẩu",
    ]
