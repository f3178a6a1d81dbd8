""" "Đọc nhiều": page views are counted in batches, never a write per view,
and what the list shows is what readers may read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import reads, services
from articles.models import ReadCount

from . import factories

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def nothing_waiting():
    reads.flush()
    yield
    reads._waiting.clear()


def beacon(client, article):
    return client.post(f"/luot-doc/{article.pk}/")


def test_a_read_is_counted_in_memory_and_written_in_one_batch(client, settings):
    settings.NEWSROOM_READS_FLUSH_SECONDS = 3600
    first, second = factories.article("Bài một"), factories.article("Bài hai")
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(5):
            assert beacon(client, first).status_code == 204
        beacon(client, second)
    writes = [q for q in ctx.captured_queries if "read" in q["sql"].lower()]
    assert writes == []  # nothing written on the request path
    assert reads.flush() == 2
    counts = dict(ReadCount.objects.values_list("article__title", "count"))
    assert counts == {"Bài một": 5, "Bài hai": 1}
    beacon(client, first)
    reads.flush()  # the same hour adds up
    assert ReadCount.objects.get(article=first).count == 6


def test_the_batch_is_written_when_due(client, settings):
    settings.NEWSROOM_READS_FLUSH_SECONDS = 0
    story = factories.article()
    beacon(client, story)
    assert ReadCount.objects.get(article=story).count == 1


def test_most_read_lists_only_what_readers_may_read(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = factories.category("Thời sự")
    popular = factories.article("Bài đọc nhiều nhất", category=section)
    second = factories.article("Bài đọc nhiều nhì", category=section)
    hidden = factories.article("Bài sắp gỡ", category=section)
    reader = factories.article("Bài đang đọc", category=factories.category())
    draft = factories.article("Bản nháp", status="draft")
    for story, n in ((popular, 9), (second, 5), (hidden, 7), (draft, 20)):
        for _ in range(n):
            beacon(client, story)
    reads.flush()
    assert not ReadCount.objects.filter(article=draft).exists()
    html = client.get(reader.get_absolute_url()).content.decode()
    side = html[html.index('id="doc-nhieu"') :]
    assert (
        side.index("Bài đọc nhiều nhất")
        < side.index("Bài sắp gỡ")
        < side.index("Bài đọc nhiều nhì")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=hidden)  # the content generation moves on
    html = client.get(reader.get_absolute_url()).content.decode()
    side = html[html.index('id="doc-nhieu"') :]
    assert "Bài sắp gỡ" not in side and "Bài đọc nhiều nhì" in side


def test_a_beacon_for_nothing_costs_nothing(client):
    assert client.post("/luot-doc/999999/").status_code == 204
    assert client.get("/luot-doc/1/").status_code == 405
    assert reads.flush() == 0
