"""The planning board ("Lịch biên tập"): planned is not scheduled."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.choices import Status
from articles.models import Article, DeskNote, PlannedItem

from . import factories
from .test_admin import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

BOARD = "/admin/articles/planneditem/bang/"


def _monday(day: dt.date) -> dt.date:
    return day - timedelta(days=day.weekday())


def test_the_board_shows_planned_items_and_scheduled_stories_apart(editor):
    section = factories.category("Thời sự")
    when = timezone.now() + timedelta(days=1)
    PlannedItem.objects.create(
        slugline="Bão số 9",
        category=section,
        planned_at=when,
        notes="Gọi trạm khí tượng",
    )
    factories.article(
        "Bài hẹn giờ ngày mai", category=section, published_at=when + timedelta(hours=1)
    )
    week = _monday(timezone.localdate(when)).isoformat()
    page = login(editor).get(BOARD, {"tuan": week}).content.decode()
    assert "Bão số 9" in page and "Bài hẹn giờ ngày mai" in page
    assert page.index("plan-entry plan") < page.index("plan-entry scheduled")
    assert "Dự kiến" in page and "Hẹn giờ" in page and "Bắt đầu viết" in page
    day = login(editor).get(BOARD, {"ngay": timezone.localdate(when).isoformat()})
    assert "Bão số 9" in day.content.decode()
    # Moving a planned item publishes nothing.
    item = PlannedItem.objects.get()
    item.planned_at = timezone.now() - timedelta(hours=1)
    item.save()
    assert Article.objects.published().count() == 0


def test_a_planned_item_becomes_its_reporters_draft_in_one_click(editor, reporter):
    section = factories.category("Thời sự")
    item = PlannedItem.objects.create(
        slugline="Kỳ họp Quốc hội",
        category=section,
        assignee=reporter,
        planned_at=timezone.now(),
        notes="Phỏng vấn hai đại biểu.",
    )
    response = login(reporter).post(f"/admin/articles/planneditem/{item.pk}/viet/")
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert (article.title, article.status, article.category) == (
        "Kỳ họp Quốc hội",
        Status.DRAFT,
        section,
    )
    assert article.created_by == reporter  # the reporter edits it as their own
    assert DeskNote.objects.filter(
        article=article, text="Phỏng vấn hai đại biểu."
    ).exists()
    item.refresh_from_db()
    assert item.article == article
    with pytest.raises(services.ServiceError):
        services.start_from_plan(item=item, user=editor)  # only once
    board = login(editor).get(BOARD).content.decode()
    assert "Bản nháp" in board and "Bắt đầu viết" not in board


def test_an_item_given_to_someone_else_or_without_section_is_refused(reporter):
    other = factories.member("Phóng viên", "pv2")
    theirs = PlannedItem.objects.create(
        slugline="Của người khác",
        category=factories.category("Xã hội"),
        assignee=other,
        planned_at=timezone.now(),
    )
    with pytest.raises(services.PermissionRefused):
        services.start_from_plan(item=theirs, user=reporter)
    loose = PlannedItem.objects.create(
        slugline="Chưa có mục", planned_at=timezone.now()
    )
    with pytest.raises(services.ServiceError):
        services.start_from_plan(item=loose, user=reporter)
    assert not Article.objects.exists()
    # Reporters see the board; only editors plan.
    assert login(reporter).get(BOARD).status_code == 200
    assert login(reporter).get("/admin/articles/planneditem/add/").status_code == 403
