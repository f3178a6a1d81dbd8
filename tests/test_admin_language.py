"""Every admin page is Vietnamese for a browser that prefers English or
Vietnamese: none of Django's English defaults shows (text, buttons, titles)."""

import pytest
from django.test import Client

from articles import services
from articles.choices import Status

from . import factories
from .english import english_in, visible_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.mark.parametrize("accept", ["vi-VN,vi;q=0.9", "en-US,en;q=0.9"])
def test_no_english_default_on_the_admin_pages_an_editor_visits(accept):
    chief = factories.member("Tổng biên tập", "tbt", first_name="Lan", last_name="Trần")
    reporter = factories.member("Phóng viên", "pv")
    photo = factories.photo(caption="Ảnh dùng chung.")
    article = factories.article(status=Status.REVIEW, created_by=reporter)
    services.attach_photos(article=article, photos=[photo])
    services.save_article(article=article, user=chief, comment="Sửa tít")
    versions = list(
        __import__("reversion").models.Version.objects.get_for_object(article)
    )
    client = Client(HTTP_ACCEPT_LANGUAGE=accept)
    login_page = client.get("/admin/login/").content.decode()
    pages = {"/admin/login/": login_page}
    client.force_login(chief)
    a = f"/admin/articles/article/{article.pk}"
    urls = [
        "/admin/",
        "/admin/articles/",
        "/admin/articles/article/",
        "/admin/articles/article/?trang_thai=review&q=b%C3%A0i",
        "/admin/articles/article/add/",
        f"{a}/change/",
        f"{a}/phien-ban/",
        f"{a}/phien-ban/so-sanh/?a={versions[-1].pk}&b={versions[0].pk}",
        f"{a}/phien-ban/{versions[-1].pk}/khoi-phuc/",
        "/admin/articles/article/hop-thu/",
        "/admin/articles/photo/",
        f"/admin/articles/photo/{photo.pk}/change/",
        f"/admin/articles/photo/{photo.pk}/delete/",
        "/admin/articles/category/",
        "/admin/articles/author/",
        "/admin/auth/user/",
        f"/admin/auth/user/{reporter.pk}/change/",
        "/admin/auth/group/",
        "/admin/password_change/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    # A form sent back with errors.
    refused = client.post(f"{a}/change/", {"title": ""})
    pages["(biểu mẫu có lỗi)"] = refused.content.decode()
    # A refused form token.
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=accept)
    strict.force_login(chief)
    pages["(mã biểu mẫu cũ)"] = strict.post(
        f"{a}/change/", {"title": "x"}
    ).content.decode()
    found = {url: english_in(visible_text(html)) for url, html in pages.items()}
    assert {url: words for url, words in found.items() if words} == {}
    for html in pages.values():
        assert '<html lang="vi"' in html
