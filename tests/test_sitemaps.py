"""Sitemaps that scale: one per day of stories, each a range on the index."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles import sitemaps
from articles.text import VN_TZ

from . import factories

pytestmark = pytest.mark.django_db


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2023, 11, day, hour, minute, tzinfo=VN_TZ)


def test_the_index_lists_a_sitemap_per_day_newest_first():
    factories.article("Đầu tiên", published_at=_at(8, 9))
    factories.article("Cuối cùng", published_at=_at(10, 17, 30))
    index = Client().get("/sitemap.xml").content.decode()
    days = [d for d in index.split("sitemap-bai-viet-")[1:]]
    assert [d[:10] for d in days] == ["2023-11-10", "2023-11-09", "2023-11-08"]
    assert "sitemap-chuyen-muc.xml" in index


def test_a_days_sitemap_holds_that_hanoi_day_and_no_other():
    late = factories.article("Khuya ngày 10", published_at=_at(10, 23, 50))
    early = factories.article("Sáng sớm ngày 11", published_at=_at(11, 0, 10))
    other = factories.article("Ngày 9", published_at=_at(9, 12))
    page = Client().get("/sitemap-bai-viet-2023-11-10.xml")
    body = page.content.decode()
    assert page.status_code == 200 and body.startswith("<?xml")
    assert late.get_absolute_url() in body
    assert early.get_absolute_url() not in body and other.get_absolute_url() not in body
    empty = Client().get("/sitemap-bai-viet-2023-11-05.xml").content.decode()
    assert "<urlset" in empty and "<url>" not in empty
    assert Client().get("/sitemap-bai-viet-2023-02-30.xml").status_code == 404


def test_a_day_with_more_than_a_page_is_paged_and_costs_the_same_queries(
    monkeypatch, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 3)
    for minute in range(5):
        factories.article(f"Tin {minute}", published_at=_at(10, 8, minute))
    counts = []
    for day_page in ("1", "2"):
        with CaptureQueriesContext(connection) as ctx:
            body = (
                Client()
                .get("/sitemap-bai-viet-2023-11-10.xml", {"p": day_page})
                .content.decode()
            )
        counts.append(len(ctx.captured_queries))
        assert body.count("<url>") == (3 if day_page == "1" else 2)
    # More stories on other days change nothing for this day's sitemap.
    for day in range(1, 9):
        factories.article(f"Ngày {day}", published_at=_at(day, 8))
    with CaptureQueriesContext(connection) as ctx:
        Client().get("/sitemap-bai-viet-2023-11-10.xml")
    assert counts[0] == counts[1] == len(ctx.captured_queries) <= 4, counts
