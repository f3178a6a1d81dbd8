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


def test_the_index_lists_the_blocks_of_stories_newest_first(monkeypatch):
    monkeypatch.setattr(sitemaps, "BLOCK", 2)
    stories = [
        factories.article(f"Tin {i}", published_at=_at(8, 9 + i)) for i in range(5)
    ]
    factories.article("Bản nháp sau cùng", status="draft")
    index = Client().get("/sitemap.xml").content.decode()
    assert "sitemap-chuyen-muc.xml" in index
    top = (stories[-1].pk - 1) // 2 + 1
    expected = [f"/sitemap-bai-viet-{n}.xml" for n in range(top, 0, -1)]
    assert [p for p in _listed(index) if "bai-viet" in p] == expected
    assert Client().get("/sitemap-bai-viet-1.xml?p=2").status_code == 404
    assert Client().get(f"/sitemap-bai-viet-{2**64}.xml").status_code == 404


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


def _listed(index: str) -> list[str]:
    """The addresses of the sitemaps an index lists, as paths."""
    import re

    return [
        re.sub(r"^https?://[^/]+", "", loc)
        for loc in re.findall(r"<loc>([^<]+)</loc>", index)
    ]


def test_every_published_story_is_in_exactly_one_listed_sitemap(monkeypatch, settings):
    """However many stories share a day, a crawler that reads the index and
    the sitemaps it lists finds each published story once, and no other."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(sitemaps, "BLOCK", 3)
    busy = [
        factories.article(f"Ngày bận {m}", published_at=_at(10, 8, m)) for m in range(7)
    ]
    quiet = [factories.article("Ngày vắng", published_at=_at(3, 8))]
    draft = factories.article("Bản nháp", status="draft")
    later = factories.article(
        "Hẹn giờ", published_at=dt.datetime(2999, 1, 1, tzinfo=VN_TZ)
    )
    found = []
    for path in _listed(Client().get("/sitemap.xml").content.decode()):
        if "chuyen-muc" in path:
            continue
        page = Client().get(path)
        assert page.status_code == 200, path
        body = page.content.decode()
        assert body.count("<url>") <= 3, path
        found += [s.pk for s in busy + quiet if s.get_absolute_url() in body]
        assert draft.get_absolute_url() not in body
        assert later.get_absolute_url() not in body
    assert sorted(found) == sorted(s.pk for s in busy + quiet)
