"""Honest dates: "Cập nhật", dateModified, Atom updated and sitemap lastmod say
when the text changed after publication, never when a row was imported."""

import json
import re

import pytest

from articles import services
from articles.models import Article

from . import factories
from .test_import_export import SAMPLE, export, run

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PUBLISHED = "2023-11-10T17:30:00+07:00"


def structured(page: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block.group(1))


def test_an_imported_2023_story_says_nothing_was_updated(client):
    code, _, err = run(SAMPLE, status="published", published_at=PUBLISHED)
    assert code == 0, err
    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Cập nhật" not in page
    assert structured(page)["dateModified"] == PUBLISHED
    assert f'<meta property="article:modified_time" content="{PUBLISHED}">' in page
    atom = client.get("/atom/").content.decode()
    assert "<updated>2023-11-10T10:30:00+00:00</updated>" in atom
    sitemap = client.get("/sitemap-bai-viet.xml").content.decode()
    assert "<lastmod>2023-11-10</lastmod>" in sitemap
    assert export()[0]["updated_at"] == PUBLISHED


def test_editing_the_text_after_publishing_sets_both(client, editor):
    run(SAMPLE, status="published", published_at=PUBLISHED)
    article = Article.objects.get()
    article.body += "<p>Thông tin bổ sung.</p>"
    services.save_article(article=article, user=editor)
    article.refresh_from_db()
    assert article.revised_at is not None
    page = client.get(article.get_absolute_url()).content.decode()
    revised = article.revised_at.astimezone(
        __import__("articles.text", fromlist=["VN_TZ"]).VN_TZ
    ).isoformat(timespec="seconds")
    assert "Cập nhật" in page and f'datetime="{revised}"' in page
    assert structured(page)["dateModified"] == revised
    assert structured(page)["datePublished"] == PUBLISHED


def test_a_draft_edited_or_a_caption_changed_is_not_an_update(editor):
    draft = factories.article(status="draft")
    draft.body = "<p>Sửa bản nháp.</p>"
    services.save_article(article=draft, user=editor)
    draft.refresh_from_db()
    assert draft.revised_at is None
    live = factories.article(title="Tít", lead="Sapo.", body="<p>Thân.</p>")
    live.location = "Hà Nội"  # not the text readers read
    services.save_article(article=live, user=editor)
    live.refresh_from_db()
    assert live.revised_at is None


def test_times_in_pages_carry_no_microseconds(client):
    factories.article(title="Bài có giờ lẻ")
    for url in ("/", Article.objects.get().get_absolute_url()):
        page = client.get(url).content.decode()
        stamps = re.findall(r'datetime="([^"]+)"', page)
        assert stamps and all(re.fullmatch(r"[\d-]+T[\d:]+\+07:00", s) for s in stamps)


def test_an_import_keeps_the_sources_later_update_time(tmp_path):
    record = {
        "title": "Bài có cập nhật từ nguồn",
        "category": "Thời sự",
        "lead": "Sapo.",
        "body": [{"type": "paragraph", "text": "Thân bài."}],
        "status": "published",
        "published_at": PUBLISHED,
        "updated_at": "2023-11-10T19:00:00+07:00",
    }
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    code, _, err = run(path)
    assert code == 0, err
    (again,) = export()
    assert again["updated_at"] == "2023-11-10T19:00:00+07:00"
