"""Story cards are cached per content generation: fast, and never out of date."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.text import WEEKDAYS_EN

from . import factories


def _pages(story: Article, other: Article) -> dict[str, str]:
    """Every list the story's card appears in, as a reader gets it."""
    reader = Client()
    urls = {
        "home": "/",
        "section": story.category.get_absolute_url(),
        "related": other.get_absolute_url(),
        "day": timezone.localtime(story.published_at).strftime("/%Y/%m/%d/"),
    }
    return {name: reader.get(url).content.decode() for name, url in urls.items()}


@pytest.mark.django_db(transaction=True)
def test_a_card_shows_the_story_as_it_is_after_each_commit(
    settings, media, editorial_roles
):
    """Title, section name and photo change on every list at the next request,
    though the cards were cached and the page cache is off."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    editor = factories.member("Biên tập viên", "bientapvien")
    section = factories.category("Thời sự")
    story = factories.article("Tiêu đề cũ", category=section, lead="Lời dẫn cũ.")
    other = factories.article("Bài bên cạnh", category=section)
    for name, html in _pages(story, other).items():
        assert "Tiêu đề cũ" in html, name

    article = Article.objects.get(pk=story.pk)
    article.title = "Tiêu đề mới"
    services.save_article(article=article, user=editor)
    pages = _pages(article, other)
    for name, html in pages.items():
        assert "Tiêu đề mới" in html and "Tiêu đề cũ" not in html, name

    section.name = "Thời sự trong nước"
    section.save()
    assert "Thời sự trong nước</a> ·" in _pages(article, other)["day"]

    photo = factories.photo(caption="Ảnh hiện trường", alt_text="Cầu mới thông xe")
    photo.image.save("cau.jpg", ContentFile(factories.image_bytes()))
    article = Article.objects.get(pk=story.pk)
    article.featured_photo = photo
    services.save_article(article=article, user=editor)
    for name, html in _pages(article, other).items():
        assert 'alt="Cầu mới thông xe"' in html, name
    photo.alt_text = "Cầu Rạch Miễu 2"
    photo.save()
    for name, html in _pages(article, other).items():
        assert 'alt="Cầu Rạch Miễu 2"' in html and "Cầu mới thông xe" not in html, name


@pytest.mark.django_db
def test_a_card_cached_in_vietnamese_is_not_shown_to_an_english_reader(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    factories.article("Bến Tre", category=factories.category("Thời sự"))
    assert "Thứ " in Client().get("/thoi-su/").content.decode()
    english = Client()
    english.get("/ngon-ngu/en/", {"next": "/"})
    html = english.get("/thoi-su/").content.decode()
    assert any(f">{day}, " in html for day in WEEKDAYS_EN)


@pytest.mark.django_db
def test_search_cards_mark_the_words_of_each_search(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    factories.article("Cải cách hành chính ở Bến Tre")
    reader = Client()
    first = reader.get("/tim-kiem/", {"q": "ben tre"}).content.decode()
    second = reader.get("/tim-kiem/", {"q": "cai cach"}).content.decode()
    assert "<mark>Bến</mark> <mark>Tre</mark>" in first and "<mark>Cải" not in first
    assert "<mark>Cải</mark> <mark>cách</mark>" in second and "<mark>Bến" not in second


@pytest.mark.django_db
def test_queries_compiled_once_still_read_the_time_of_each_request(
    settings, time_machine
):
    """The "Xem thêm" query is compiled on the first request; a story scheduled for
    later joins it when its time comes, and its byline and topics show."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    time_machine.move_to(timezone.now(), tick=False)
    section = factories.category("Thời sự")
    story = factories.article(
        "Bài đang đọc",
        category=section,
        authors=[factories.author("Trần Thị Bình"), factories.author("Lê Văn An")],
    )
    story.tags.add(factories.tag("Cải cách hành chính"))
    later = factories.article(
        "Bài hẹn giờ",
        category=section,
        published_at=timezone.now() + timezone.timedelta(hours=1),
    )
    reader = Client()
    before = reader.get(story.get_absolute_url()).content.decode()
    assert later.title not in before
    assert "Trần Thị Bình</a>, <a" in before and before.index("Trần Thị Bình") < (
        before.index("Lê Văn An")
    )
    assert 'rel="tag">Cải cách hành chính</a>' in before
    time_machine.move_to(timezone.now() + timezone.timedelta(hours=2), tick=False)
    after = reader.get(story.get_absolute_url()).content.decode()
    assert later.title in after


@pytest.mark.django_db(transaction=True)
def test_the_menu_kept_as_a_fragment_follows_a_renamed_section(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = factories.category("Thời sự", show_in_menu=True)
    factories.article("Bến Tre", category=section)
    reader = Client()

    def menu() -> str:
        html = reader.get("/").content.decode()
        return html[html.index('<nav class="main-nav"') : html.index("</nav>")]

    assert '<a href="/thoi-su/">Thời sự</a>' in menu()
    section.name = "Thời sự trong nước"
    section.save()
    assert '<a href="/thoi-su/">Thời sự trong nước</a>' in menu()


@pytest.mark.django_db
def test_a_page_reads_the_content_generation_once(settings, monkeypatch):
    """With Redis each read is a round trip: one per request, however many
    cards, fragments and lists the page has."""
    from newsroom import pagecache

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    for name in ("Thời sự", "Kinh tế", "Xã hội"):
        factories.article(
            f"Bài {name}", category=factories.category(name, show_in_menu=True)
        )
    reads = []
    real = pagecache._read_generation
    monkeypatch.setattr(
        pagecache, "_read_generation", lambda: reads.append(1) or real()
    )
    assert Client().get("/").status_code == 200
    assert len(reads) == 1


@pytest.mark.django_db
def test_a_narrow_search_counts_its_matches_once(
    settings, django_assert_max_num_queries
):
    """The probe that tells a broad search from a narrow one gives the count
    (on SQLite a probe of the text index alone may come first)."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    for i in range(3):
        factories.article(f"Cải cách hành chính số {i}")
    reader = Client()
    reader.get("/tim-kiem/", {"q": "cai cach"})
    with django_assert_max_num_queries(4) as ctx:
        html = reader.get("/tim-kiem/", {"q": "cai cach"}).content.decode()
    assert "3 kết quả" in html
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if "count(" in q["sql"].lower()
        and 'from "articles_article"' in q["sql"].lower()
    ]
    assert len(counts) == 1, counts


@pytest.mark.django_db
def test_a_remembered_list_page_costs_no_query_deep_or_not(
    settings, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = factories.category("Thời sự")
    for i in range(45):
        factories.article(f"Bài số {i}", category=section)
    reader = Client()
    for page in ("1", "3"):
        first = reader.get("/thoi-su/", {"trang": page}).content.decode()
        with django_assert_num_queries(0):
            again = reader.get("/thoi-su/", {"trang": page}).content.decode()
        assert again == first
    assert again.count('<article class="card') == 5  # page 3 of 45


@pytest.mark.django_db(transaction=True)
def test_a_remembered_list_shows_a_new_story_at_once_and_a_scheduled_one_in_time(
    settings, time_machine, editorial_roles
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_LIST_SECONDS = 30
    time_machine.move_to(timezone.now(), tick=False)
    section = factories.category("Thời sự")
    factories.article("Bài cũ", category=section)
    later = factories.article(
        "Bài hẹn giờ",
        category=section,
        published_at=timezone.now() + timezone.timedelta(seconds=20),
    )
    reader = Client()
    assert "Bài cũ" in reader.get("/thoi-su/").content.decode()
    editor = factories.member("Biên tập viên", "bientapvien")
    services.save_article(
        article=Article(title="Bài mới đăng", category=section, lead="Lời dẫn."),
        user=editor,
    )
    fresh = Article.objects.get(title="Bài mới đăng")
    services.publish(article=fresh, user=editor)
    assert "Bài mới đăng" in reader.get("/thoi-su/").content.decode()  # committed
    assert later.title not in reader.get("/thoi-su/").content.decode()
    time_machine.move_to(timezone.now() + timezone.timedelta(seconds=31), tick=False)
    assert later.title in reader.get("/thoi-su/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_home_page_is_remembered_new_stories_at_once_scheduled_in_time(
    settings, time_machine, editorial_roles, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_LIST_SECONDS = 30
    time_machine.move_to(timezone.now(), tick=False)
    section = factories.category("Thời sự")
    factories.article("Bài cũ", category=section)
    later = factories.article(
        "Bài hẹn giờ",
        category=section,
        published_at=timezone.now() + timezone.timedelta(seconds=20),
    )
    reader = Client()
    first = reader.get("/").content.decode()
    assert "Bài cũ" in first
    with django_assert_num_queries(0):  # its lists, cards and side remembered
        assert reader.get("/").content.decode() == first
    editor = factories.member("Biên tập viên", "bientapvien")
    services.save_article(
        article=Article(title="Bài mới đăng", category=section, lead="Lời dẫn."),
        user=editor,
    )
    services.publish(article=Article.objects.get(title="Bài mới đăng"), user=editor)
    assert "Bài mới đăng" in reader.get("/").content.decode()  # committed: at once
    assert later.title not in reader.get("/").content.decode()
    time_machine.move_to(timezone.now() + timezone.timedelta(seconds=31), tick=False)
    assert later.title in reader.get("/").content.decode()
