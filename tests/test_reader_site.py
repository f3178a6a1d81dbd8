"""The reader site as a Vietnamese newsroom ships it: Vietnamese whatever the
browser prefers, no story twice on the home page, credits as published, the
largest photo loaded first."""

import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client

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
