"""The curated front page ("Sắp xếp trang chủ"): pins, their ends, the fallbacks."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from reversion.models import Revision

from articles import services
from articles.choices import Status
from articles.models import FrontPin

from . import factories
from .test_admin import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture(autouse=True)
def _fresh_pages(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0


def _titles(html: str, block: str) -> list[str]:
    """The story titles of one part of the home page, in order."""
    part = {
        "lead": r'<section class="lead-story".*?</section>',
        "latest": r'<section aria-labelledby="moi-nhat">.*?</section>',
    }[block]
    found = re.search(part, html, re.S).group(0)
    return re.findall(r'<a href="[^"]+">([^<]+)</a></h\d', found)


def _stories(section, n, start=0):
    return [
        factories.article(
            f"Bài {i}",
            category=section,
            published_at=timezone.now() - timedelta(minutes=i),
        )
        for i in range(start, start + n)
    ]


def _pin(editor, place, article, **fields):
    return services.save_pin(
        pin=FrontPin(place=place, article=article, **fields), user=editor
    )


def test_the_home_page_follows_the_pins_and_the_rest_is_newest(
    editor, django_capture_on_commit_callbacks
):
    news = factories.category("Thời sự")
    economy = factories.category("Kinh tế")
    stories = _stories(news, 16)
    old = factories.article(
        "Bài cũ được chọn làm tin chính",
        category=news,
        published_at=timezone.now() - timedelta(days=3),
    )
    eco = _stories(economy, 6, start=100)
    with django_capture_on_commit_callbacks(execute=True):
        _pin(editor, FrontPin.Place.LEAD, old)
        _pin(editor, FrontPin.Place.TOP, stories[15], position=1)
        _pin(editor, FrontPin.Place.TOP, stories[14], position=2)
        _pin(editor, FrontPin.Place.SECTION, eco[5], category=economy)
    html = Client().get("/").content.decode()
    assert _titles(html, "lead") == ["Bài cũ được chọn làm tin chính"]
    latest = _titles(html, "latest")
    assert latest[:3] == ["Bài 15", "Bài 14", "Bài 0"]  # pinned, then newest
    assert "Bài 0" in latest and len(latest) == 12
    block = html.split(f'id="cm-{economy.pk}"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<a href="[^"]+">(Bài \d+)</a></h', block)[0] == "Bài 105"
    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)<', html)
    assert len(titles) == len(set(titles))  # no story twice
    # The section's own page opens with its pinned story, not listed again.
    page = Client().get(economy.get_absolute_url()).content.decode()
    top, rest = page.split('<div class="section-top">', 1)[1].split(
        '<div class="list">'
    )
    assert "Bài 105" in top and "Bài 105" not in rest.split("</div>")[0]


def test_a_place_falls_back_when_its_pin_ends_or_its_story_goes(
    editor, django_capture_on_commit_callbacks
):
    news = factories.category("Thời sự")
    _stories(news, 3)
    chosen = factories.article(
        "Tin chọn", category=news, published_at=timezone.now() - timedelta(days=1)
    )
    until = timezone.now() + timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        pin = _pin(editor, FrontPin.Place.LEAD, chosen, pinned_until=until)
    assert _titles(Client().get("/").content.decode(), "lead") == ["Tin chọn"]
    with time_machine.travel(until + timedelta(seconds=1)):
        assert _titles(Client().get("/").content.decode(), "lead") == ["Bài 0"]
    with django_capture_on_commit_callbacks(execute=True):
        pin.pinned_until = None
        services.save_pin(pin=pin, user=editor)
    assert _titles(Client().get("/").content.decode(), "lead") == ["Tin chọn"]
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(article=chosen, user=editor)
    assert _titles(Client().get("/").content.decode(), "lead") == ["Bài 0"]


def test_arranging_is_a_revision_of_its_own_and_only_for_editors(editor, reporter):
    story = factories.article("Tin chính hôm nay")
    client = login(editor)
    response = client.post(
        "/admin/articles/frontpin/add/",
        {"place": "lead", "position": "1", "article": story.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert FrontPin.objects.get().article == story
    assert Revision.objects.filter(
        comment__startswith="Sắp xếp trang chủ: Tin chính trang chủ – Tin chính hôm nay"
    ).exists()
    # A section's place needs its section; others take none.
    response = client.post(
        "/admin/articles/frontpin/add/",
        {"place": "section", "position": "1", "article": story.pk},
    )
    assert response.status_code == 200 and "cần một" in response.content.decode()
    assert login(reporter).get("/admin/articles/frontpin/").status_code == 403
    with pytest.raises(services.PermissionRefused):
        _pin(reporter, FrontPin.Place.LEAD, story)
    assert FrontPin.objects.count() == 1 and story.status == Status.PUBLISHED
