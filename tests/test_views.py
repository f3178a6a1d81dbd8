"""Reader pages: what is published shows, nothing else does."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article

from . import factories

pytestmark = pytest.mark.django_db


def test_home_shows_published_and_hides_drafts(client):
    factories.article("Bến Tre đẩy mạnh cải cách")
    factories.article("Bản nháp bí mật", status=Article.Status.DRAFT)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bến Tre đẩy mạnh cải cách" in html
    assert "Bản nháp bí mật" not in html


def test_article_page_shows_title_date_lead_and_byline(client):
    when = timezone.now().replace(
        year=2023, month=11, day=10, hour=10, minute=30, second=0
    )
    author = factories.author("Công Trí")
    article = factories.article(
        "Đoàn kiểm tra làm việc tại Bến Tre",
        lead="Sapo của bài.",
        body="<p>Đoạn một.</p>",
        location="Bến Tre",
        agency="TTXVN",
        published_at=when,
        authors=[author],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h1>Đoàn kiểm tra làm việc tại Bến Tre</h1>" in html
    assert "Sapo của bài." in html
    assert "<p>Đoạn một.</p>" in html
    assert 'href="/tac-gia/cong-tri/"' in html
    assert "TTXVN" in html


@pytest.mark.parametrize(
    "status, offset",
    [
        (Article.Status.DRAFT, -1),
        (Article.Status.REVIEW, -1),
        (Article.Status.ARCHIVED, -1),
        (Article.Status.PUBLISHED, +1),
    ],
)
def test_unpublished_article_answers_404(client, status, offset):
    article = factories.article(
        status=status, published_at=timezone.now() + timedelta(hours=offset)
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_old_slug_redirects_permanently(client):
    article = factories.article("Tên cũ")
    old = article.get_absolute_url()
    article.slug = "ten-moi"
    article.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_category_author_and_tag_pages_list_only_published(client):
    section = factories.category("Chính phủ hành động")
    author = factories.author("Công Trí")
    topic = factories.tag("Cải cách hành chính")
    shown = factories.article("Bài đã đăng", category=section, authors=[author])
    hidden = factories.article(
        "Bài chờ duyệt", category=section, status="review", authors=[author]
    )
    shown.tags.add(topic)
    hidden.tags.add(topic)
    for url in (
        "/chinh-phu-hanh-dong/",
        "/tac-gia/cong-tri/",
        "/chu-de/cai-cach-hanh-chinh/",
    ):
        html = client.get(url).content.decode()
        assert "Bài đã đăng" in html, url
        assert "Bài chờ duyệt" not in html, url


def test_admin_lists_articles_for_staff_and_searches_without_marks(admin_client):
    factories.article("Kiểm tra tại Bến Tre", status=Article.Status.DRAFT)
    factories.article("Hà Nội mùa thu")
    response = admin_client.get("/admin/articles/article/", {"q": "ben tre"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kiểm tra tại Bến Tre" in html
    assert "Hà Nội mùa thu" not in html
    assert "Tòa soạn" in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/add/",
        "/admin/articles/category/",
        "/admin/articles/author/",
        "/admin/articles/photo/",
        "/admin/articles/tag/",
        "/admin/articles/pendingrelation/",
    ],
)
def test_admin_pages_open(admin_client, url):
    factories.article()
    assert admin_client.get(url).status_code == 200
