"""SEO and social fields, with their fallbacks, and the NewsArticle JSON-LD
checked against Google's rules for article rich results."""

import json
import re
from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from articles.models import Article

from . import factories
from .test_admin import change_url, form_data, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _head(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:name|property)="{name}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def _json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def _photo(name: str, caption: str):
    photo = factories.photo(caption=caption)
    photo.image.save(name, ContentFile(factories.image_bytes()))
    return photo


def test_the_page_falls_back_to_title_lead_and_photo(settings):
    featured = _photo("dai-dien.jpg", "Ảnh đại diện")
    article = factories.article(
        "Tiêu đề bài đầy đủ", lead="Sapo của bài.", featured_photo=featured
    )
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "<title>Tiêu đề bài đầy đủ – " in html
    assert _head(html, "description") == "Sapo của bài."
    assert _head(html, "og:title") == "Tiêu đề bài đầy đủ"
    assert "dai-dien" in _head(html, "og:image")


def test_seo_title_description_and_share_photo_win_when_set():
    featured = _photo("dai-dien.jpg", "Ảnh đại diện")
    share = _photo("chia-se.jpg", "Ảnh chia sẻ")
    article = factories.article(
        "Tiêu đề bài đầy đủ",
        lead="Sapo của bài.",
        featured_photo=featured,
        seo_title="Tiêu đề ngắn cho Google",
        seo_description="Mô tả viết riêng cho kết quả tìm kiếm.",
        share_photo=share,
    )
    html = Client().get(article.get_absolute_url()).content.decode()
    assert "<title>Tiêu đề ngắn cho Google – " in html
    assert _head(html, "description") == "Mô tả viết riêng cho kết quả tìm kiếm."
    assert _head(html, "og:title") == "Tiêu đề ngắn cho Google"
    assert _head(html, "twitter:description").startswith("Mô tả viết riêng")
    assert "chia-se" in _head(html, "og:image")
    assert "<h1>Tiêu đề bài đầy đủ</h1>" in html  # readers still read the title


def test_a_long_lead_is_cut_for_search_engines_and_shares():
    """300 characters for search engines and Facebook, 200 for X, each
    ending in "…"; a lead short enough is printed whole."""
    lead = "Bến Tre đẩy mạnh cải cách hành chính, " * 12  # 455 characters, stripped
    long = factories.article("Bài dài", lead=lead.strip())
    html = Client().get(long.get_absolute_url()).content.decode()
    for name, length in (
        ("description", 300),
        ("og:description", 300),
        ("twitter:description", 200),
    ):
        cut = _head(html, name)
        assert len(cut) == length and cut.endswith("…"), name
        assert lead.startswith(cut[:-1]), name
    short = factories.article("Bài ngắn", lead="Sapo vừa đủ 20 chữ.")
    html = Client().get(short.get_absolute_url()).content.decode()
    assert _head(html, "twitter:description") == "Sapo vừa đủ 20 chữ."


def test_the_admin_form_has_the_fields_the_preview_and_its_counter(editor):
    article = factories.article("Bài")
    client = login(editor)
    page = client.get(change_url(article)).content.decode()
    assert 'name="seo_title"' in page and 'name="seo_description"' in page
    assert 'class="seo-preview"' in page and "admin/seo.js" in page
    assert "ký tự" in page
    client.post(
        change_url(article),
        form_data(article, seo_title="Tiêu đề SEO", seo_description="Mô tả."),
    )
    article.refresh_from_db()
    assert (article.seo_title, article.seo_description) == ("Tiêu đề SEO", "Mô tả.")


def test_news_article_json_ld_meets_googles_article_rules():
    """Google's article structured data: no property is required; headline,
    image, datePublished, dateModified and author (name, and url or an
    Organization) are recommended; headline of at most 110 characters;
    ISO 8601 dates with an offset; images as absolute URLs."""
    author = factories.author("Công Trí")
    featured = _photo("anh.jpg", "Ảnh")
    article = factories.article(
        "Đ" * 150, lead="Sapo.", featured_photo=featured, authors=[author]
    )
    without_author = factories.article("Tin của hãng", agency="TTXVN")
    for story in (article, without_author):
        data = _json_ld(Client().get(story.get_absolute_url()).content.decode())
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "NewsArticle"
        assert 0 < len(data["headline"]) <= 110
        for key in ("datePublished", "dateModified"):
            assert datetime.fromisoformat(data[key]).utcoffset() is not None
        assert data["image"] and all(
            i["url"].startswith(("http://", "https://")) for i in data["image"]
        )
        for person in data["author"]:
            assert person["name"]
            assert person["@type"] == "Organization" or person["url"].startswith("http")
        assert data["publisher"]["name"] and data["publisher"]["logo"]["url"]
        assert data["mainEntityOfPage"] == data["url"]
    assert Article.objects.count() == 2


def test_a_share_photo_and_a_live_photo_are_public_with_their_story(settings):
    from django.utils import timezone

    from articles import services

    settings.NEWSROOM_SERVE_MEDIA = True
    share = _photo("chia-se.jpg", "Ảnh chia sẻ")
    entry_photo = _photo("truc-tiep.jpg", "Ảnh diễn biến")
    draft = factories.article("Nháp", status="draft", share_photo=share)
    reader = Client()
    assert reader.get(share.image.url).status_code == 404  # only a draft uses it
    story = factories.article(
        "Tường thuật", live_started_at=timezone.now(), share_photo=share
    )
    services.add_live_entry(article=story, kind="photo", photo=entry_photo)
    assert reader.get(share.image.url).status_code == 200
    assert reader.get(entry_photo.image.url).status_code == 200
    assert draft.status == "draft"
