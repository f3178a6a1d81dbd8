"""``Article.objects.published()``: the one rule for what readers may see."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article

from . import factories

pytestmark = pytest.mark.django_db

PAST = timedelta(minutes=5)


@pytest.mark.parametrize(
    "status",
    [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED],
)
@pytest.mark.parametrize("offset", [-PAST, PAST])
def test_unpublished_statuses_are_hidden_whatever_the_time(status, offset):
    """Drafts, stories in review and archived ones never show, past or future."""
    factories.article(status=status, published_at=timezone.now() + offset)
    assert not Article.objects.published().exists()


def test_published_in_the_past_is_visible():
    article = factories.article(published_at=timezone.now() - PAST)
    assert list(Article.objects.published()) == [article]


def test_published_without_a_time_is_hidden():
    factories.article(status=Article.Status.PUBLISHED, published_at=None)
    Article.objects.update(published_at=None)
    assert not Article.objects.published().exists()


def test_scheduled_story_appears_when_its_time_comes():
    """A published story dated in the future shows by itself once the clock passes it."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        article = factories.article(published_at=start + timedelta(hours=2))
        assert not Article.objects.published().exists()
    with time_machine.travel(
        start + timedelta(hours=2) - timedelta(seconds=1), tick=False
    ):
        assert not Article.objects.published().exists()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert list(Article.objects.published()) == [article]


def test_default_manager_is_unfiltered_for_the_admin():
    factories.article(status=Article.Status.DRAFT)
    factories.article()
    assert Article.objects.count() == 2
    assert Article.objects.published().count() == 1
