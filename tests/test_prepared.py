"""Reader queries compiled once (articles/prepared.py) read what Django reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import views
from articles.models import Article

from . import factories


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


@pytest.mark.django_db
def test_an_article_page_story_is_the_one_django_reads_photos_and_section_joined():
    section = factories.category("Thời sự")
    story = factories.article("Bài có ảnh", category=section)
    photo = factories.photo(caption="Ảnh đầu")
    Article.objects.filter(pk=story.pk).update(featured_photo=photo)
    for _ in range(2):  # the first compiles, the second reuses
        with CaptureQueriesContext(connection) as ctx:
            (got,) = views._ARTICLE.objects(pk=story.pk)
        assert len(ctx.captured_queries) == 1
    want = views.with_page_parts(Article.objects.published()).get(pk=story.pk)
    assert _fields(got) == _fields(want)
    assert got.get_deferred_fields() == want.get_deferred_fields() != set()
    with CaptureQueriesContext(connection) as ctx:
        assert _fields(got.category) == _fields(want.category)
        assert got.featured_photo.caption == "Ảnh đầu"
        assert got.share_photo is None
    assert not ctx.captured_queries, "the joined rows came with the story"
    assert got._state.adding is False and got._state.db == want._state.db


@pytest.mark.django_db
def test_a_story_not_yet_published_or_not_there_is_not_found_by_it(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    later = factories.article(
        "Bài hẹn giờ", published_at=timezone.now() + timezone.timedelta(minutes=5)
    )
    assert views._ARTICLE.objects(pk=later.pk) == []
    assert views._ARTICLE.objects(pk=later.pk + 1000) == []
    time_machine.move_to(timezone.now() + timezone.timedelta(minutes=6), tick=False)
    assert [a.pk for a in views._ARTICLE.objects(pk=later.pk)] == [later.pk]


@pytest.mark.django_db
def test_on_postgresql_a_page_run_often_is_planned_once_per_connection(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's prepared statements")
    from django.test import Client

    story = factories.article("Bài đọc nhiều lần")
    reader = Client()
    for _ in range(6):  # psycopg prepares a statement on its fifth run
        assert reader.get(story.get_absolute_url()).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [s for (s,) in cursor.fetchall()]
    assert any('FROM "articles_article"' in s for s in statements), statements
