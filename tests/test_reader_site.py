"""The reader site as a Vietnamese newsroom ships it: Vietnamese whatever the
browser prefers, no story twice on the home page, credits as published, the
largest photo loaded first."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from articles import body, services
from articles.models import Article

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def photo_with_file(**fields):
    photo = factories.photo(**fields)
    photo.image.save("anh.jpg", ContentFile(factories.image_bytes()))
    return photo


def test_a_browser_that_prefers_english_still_gets_vietnamese():
    author, tag = factories.author("Công Trí"), factories.tag("Cải cách")
    article = factories.article("Bến Tre cải cách hành chính", authors=[author])
    article.tags.add(tag)
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    pages = [
        "/",
        article.category.get_absolute_url(),
        article.get_absolute_url(),
        author.get_absolute_url(),
        tag.get_absolute_url(),
        "/tim-kiem/?q=ben+tre",
        "/khong-co-trang-nay/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert '<html lang="vi">' in html, url
        assert "Latest" not in html and "Search" not in html, url
    # The switch still gives English, and the page cache keeps the two apart.
    client.get("/ngon-ngu/en/", {"next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
    assert (
        '<html lang="vi">'
        in Client(HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    )


def test_the_home_page_never_shows_a_story_twice():
    sections = [factories.category(f"Mục {i}") for i in range(3)]
    for i in range(30):
        factories.article(f"Bài số {i:02d}", category=sections[i % 3])
    html = Client().get("/").content.decode()
    links = re.findall(r'<h[23][^>]*><a href="([^"]+\.htm)"', html)
    assert len(links) > 13 and len(links) == len(set(links)), links


def test_an_illustration_credit_is_printed_as_published(editor):
    photo = photo_with_file(caption="Người dân làm thủ tục.", credit="")
    article = factories.article()
    article.body = body.photo_figure(photo.pk, "Người dân làm thủ tục.", "Ảnh minh họa")
    services.save_article(article=article, user=editor)
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "(Ảnh minh họa)" in html and "Ảnh: Ảnh minh họa" not in html


def test_the_first_photo_of_the_body_loads_first_and_the_others_wait(editor):
    first, second = photo_with_file(caption="Một."), photo_with_file(caption="Hai.")
    article = factories.article()
    services.attach_photos(article=article, photos=[first, second])
    article = Article.objects.get(pk=article.pk)
    html = Client().get(article.get_absolute_url()).content.decode()
    images = re.findall(r"<img [^>]*>", html.split('class="body"', 1)[1])
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert 'loading="lazy"' in images[1]


def _structured(html: str) -> dict:
    import json

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block.group(1))


def test_a_story_without_a_photo_still_shares_an_image_and_the_publisher_a_logo():
    article = factories.article("Bài không ảnh")
    html = Client().get(article.get_absolute_url()).content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og.startswith("http://testserver/static/") and "share" in og
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta name="twitter:image" content="' + og + '">' in html
    data = _structured(html)
    assert data["image"] == [
        {"@type": "ImageObject", "url": og, "width": 1200, "height": 630}
    ]
    logo = data["publisher"]["logo"]
    assert logo["url"].endswith(".png") and (logo["width"], logo["height"]) == (600, 60)
    from django.contrib.staticfiles import finders

    assert finders.find(logo["url"].split("/static/", 1)[1])


def test_a_story_with_a_photo_shares_it_with_its_size(editor):
    photo = photo_with_file(caption="Một.")
    article = factories.article()
    services.attach_photos(article=article, photos=[photo])
    html = Client().get(article.get_absolute_url()).content.decode()
    photo.refresh_from_db()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', html).group(1)
    assert og == f"http://testserver{photo.image.url}"
    assert f'<meta property="og:image:width" content="{photo.width}">' in html
    assert _structured(html)["image"][0]["url"] == og


def test_every_page_has_a_favicon_and_a_share_image():
    html = Client().get("/").content.decode()
    assert 'rel="icon"' in html and 'rel="apple-touch-icon"' in html
    assert '<meta property="og:image" content="http://testserver/static/' in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".ico")


def test_the_sitemap_lists_each_storys_images(editor):
    photo = photo_with_file(caption="Một.")
    article = factories.article()
    services.attach_photos(article=article, photos=[photo])
    factories.article("Bài không ảnh")
    xml = Client().get("/sitemap-bai-viet.xml").content.decode()
    assert 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"' in xml
    assert xml.count("<image:image>") == 1
    assert f"<image:loc>http://testserver{photo.image.url}</image:loc>" in xml


def test_a_day_has_its_archive_page():
    import datetime as dt

    from articles.text import VN_TZ

    late = dt.datetime(2023, 11, 10, 23, 30, tzinfo=VN_TZ)  # 16:30 UTC, same day here
    factories.article("Tin tối 10/11", published_at=late)
    factories.article("Tin sáng 11/11", published_at=late + dt.timedelta(hours=2))
    html = Client().get("/2023/11/10/").content.decode()
    assert "Tin ngày Thứ Sáu, 10/11/2023" in html
    assert "Tin tối 10/11" in html and "Tin sáng 11/11" not in html
    assert 'href="/2023/11/11/"' in html and 'href="/2023/11/9/"' in html
    assert Client().get("/2023/02/30/").status_code == 404


def test_long_lists_show_page_numbers_with_gaps():
    section = factories.category("Thời sự")
    articles = [factories.article(category=section) for _ in range(20 * 12)]
    assert articles
    html = Client().get("/thoi-su/?trang=6").content.decode()
    nav = html.split('class="pagination"')[1].split("</nav>")[0]
    numbers = re.findall(r">(\d+|…)</(?:a|span)>", nav)
    assert numbers == ["1", "…", "4", "5", "6", "7", "8", "…", "12"]
    assert '<span aria-current="page" class="current">6</span>' in nav


def test_see_also_shows_cards_with_thumbnails(editor):
    section = factories.category("Thời sự")
    photo = photo_with_file(caption="Ảnh bài liên quan.")
    other = factories.article(
        "Bài liên quan có ảnh", category=section, featured_photo=photo
    )
    article = factories.article("Bài chính", category=section)
    article.related.add(other)
    html = Client().get(article.get_absolute_url()).content.decode()
    related = html.split('id="xem-them"')[1].split("</aside>")[0]
    assert '<article class="card' in related and "<img" in related
    assert ">Bài liên quan có ảnh</a></h3>" in related


def test_an_article_has_share_links():
    article = factories.article("Bến Tre cải cách")
    html = Client().get(article.get_absolute_url()).content.decode()
    share = html.split('class="share"')[1].split("</ul>")[0]
    url = "http%3A%2F%2Ftestserver" + article.get_absolute_url().replace("/", "%2F")
    assert f"facebook.com/sharer/sharer.php?u={url}" in share
    assert f"twitter.com/intent/tweet?url={url}" in share
    assert 'data-share="copy"' in share and 'data-share="print"' in share
    assert '<script src="/static/js/article.js' in html


def test_the_story_sitemap_written_from_rows_says_what_the_framework_says(
    settings, monkeypatch
):
    """``/sitemap-bai-viet.xml`` is written from plain rows; Django's sitemap
    view over :class:`ArticleSitemap` must give the same entries, page by page,
    with the same Last-Modified."""
    from django.contrib.sitemaps import views as sitemap_views
    from django.test import RequestFactory

    from articles import sitemaps

    settings.NEWSROOM_SITE_URL = "https://tintuc.example.vn"
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 3)
    section = factories.category("Chính phủ hành động")
    for i in range(7):
        story = factories.article(f"Bài & số {i}", category=section)
        for n in range(i % 3):
            services.attach_photos(
                article=story, photos=[photo_with_file(caption=f"Ảnh {i}-{n}.")]
            )
    edited = Article.objects.get(title="Bài & số 2")
    Article.objects.filter(pk=edited.pk).update(revised_at=timezone.now())

    def norm(content: bytes) -> str:
        """Whitespace between tags dropped, each entry's images in one order
        (the framework lists them in the library's order, ours in the story's)."""
        xml = re.sub(r">\s+<", "><", content.decode()).strip()
        return re.sub(
            r"(<image:image>.*?</image:image>)+",
            lambda m: "".join(
                sorted(re.findall(r"<image:image>.*?</image:image>", m[0]))
            ),
            xml,
        )

    seen = ""
    for page in ("1", "2", "3"):
        request = RequestFactory().get("/sitemap-bai-viet.xml", {"p": page})
        framework = sitemap_views.sitemap(
            request, sitemaps._sitemaps(request), section="bai-viet"
        )
        framework.render()
        ours = Client().get("/sitemap-bai-viet.xml", {"p": page})
        assert norm(ours.content) == norm(framework.content), page
        assert ours["Last-Modified"] == framework["Last-Modified"]
        assert ours["X-Robots-Tag"] == framework["X-Robots-Tag"]
        seen += norm(ours.content)
    assert seen.count("<url>") == 7 and seen.count("<image:image>") == 6
    assert "<image:loc>https://tintuc.example.vn/media/" in seen
    assert "Bài &amp; số" not in seen  # addresses only, no titles
    assert Client().get("/sitemap-bai-viet.xml", {"p": "4"}).status_code == 404
    assert Client().get("/sitemap-bai-viet.xml", {"p": "x"}).status_code == 404


def test_the_side_column_lists_the_section_s_newest_with_their_dates():
    """Beside a story: its section's newest others, each a link with its
    time, Hà Nội time, in the reader's language; titles printed as text."""
    import datetime as dt

    section = factories.category("Chính phủ hành động")
    at = dt.datetime(2023, 11, 10, 10, 30, tzinfo=dt.UTC)  # 17:30 in Hà Nội
    older = factories.article(
        'Họp "Tổ công tác" <b>đặc biệt</b>',
        category=section,
        published_at=at,
    )
    newer = factories.article(
        "Bến Tre cải cách", category=section, published_at=at + dt.timedelta(days=1)
    )
    for i in range(6):  # the newest fill "Xem thêm"; no story twice on a page
        factories.article(
            f"Tin mới {i}",
            category=section,
            published_at=at + dt.timedelta(days=2, hours=i),
        )
    shown = factories.article("Bài đang đọc", category=section)

    def side(client) -> str:
        html = client.get(shown.get_absolute_url()).content.decode()
        return html.split('id="ben-moi-nhat"')[1].split("</section>")[0]

    vietnamese = side(Client())
    assert vietnamese.index(newer.get_absolute_url()) < vietnamese.index(
        older.get_absolute_url()
    )
    assert (
        f'<li><a href="{older.get_absolute_url()}">Họp &quot;Tổ công tác&quot; '
        "&lt;b&gt;đặc biệt&lt;/b&gt;"
        '<time class="meta" datetime="2023-11-10T17:30:00+07:00">'
        "Thứ Sáu, 10/11/2023 17:30</time></a></li>"
    ) in vietnamese
    assert shown.get_absolute_url() not in vietnamese  # not the story itself
    english = Client()
    english.get("/ngon-ngu/en/", {"next": "/"})
    assert "Saturday, 11/11/2023 17:30</time>" in side(english)


def test_a_section_renamed_is_in_the_next_page_s_menu(
    django_capture_on_commit_callbacks,
):
    """The section tree each process keeps is the current generation's: a
    rename, once committed, is in the menu and breadcrumb of the next page."""
    section = factories.category("Thời sự", show_in_menu=True)
    story = factories.article("Tin trong ngày", category=section)
    client = Client()
    assert ">Thời sự</a>" in client.get(story.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "Thời sự trong nước"
        section.save()
    html = client.get(story.get_absolute_url()).content.decode()
    menu = html.split('class="main-nav"')[1].split("</nav>")[0]
    crumbs = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert ">Thời sự trong nước</a>" in menu and ">Thời sự trong nước</a>" in crumbs


def test_the_frame_s_links_follow_the_path_the_site_is_served_under():
    """Behind a proxy that mounts the site under a path (SCRIPT_NAME), the
    links every page repeats (home, search, feeds, language) carry it; a
    site at the root does not, whichever was asked first in the process."""
    from django.template import engines
    from django.urls import get_script_prefix, set_script_prefix

    frame = engines["django"].from_string(
        "{% load newsroom %}{% fixed_url 'articles:home' %} "
        "{% fixed_url 'articles:feed' %} {% fixed_url 'set_language' 'en' %}"
    )
    before = get_script_prefix()
    try:
        for prefix in ("/toa-soan/", "/", "/toa-soan/"):
            set_script_prefix(prefix)
            assert frame.render({}) == f"{prefix} {prefix}rss/ {prefix}ngon-ngu/en/"
    finally:
        set_script_prefix(before)
