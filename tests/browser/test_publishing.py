"""What a newsroom publishes besides stories, in a browser: corrections, an
embargo, breaking news on a cached page, the curated front page, live
coverage from a second editor, and the planning board."""

import json
import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from articles.choices import Status
from articles.models import Article, FrontPin, PlannedItem

from .. import factories
from .test_newsroom_flow import log_in, user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("editorial_roles", "media"),
]


def reader(browser):
    return browser.new_context(locale="vi-VN").new_page()


def test_an_editor_corrects_a_story_and_readers_see_it_everywhere(browser, live_server):
    base = live_server.url
    story = factories.article("Bài có một con số sai", lead="Sapo.")
    user("bientap", "Biên tập viên")
    page = log_in(browser, base, "bientap")
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    page.select_option("#id_dinh_chinh_loai", "correction")
    page.fill("#id_dinh_chinh", "Bài trước ghi 12 xã; đúng là 21 xã.")
    page.click("button[name=_buoc][value=correction]")
    page.wait_for_selector(".messagelist .success")
    page.context.close()

    visitor = reader(browser)
    visitor.goto(f"{base}{story.get_absolute_url()}")
    note = visitor.locator(".corrections .correction").inner_text()
    assert note.startswith("Đính chính") and "đúng là 21 xã" in note
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", note)  # with its time
    data = json.loads(
        visitor.locator("script[type='application/ld+json']").inner_text()
    )
    assert "đúng là 21 xã" in data["correction"][0]["text"]
    visitor.goto(f"{base}/rss/")
    assert "Đính chính (" in visitor.content() and "đúng là 21 xã" in visitor.content()


def test_the_chief_editor_cannot_beat_the_embargo_and_it_goes_out_by_itself(
    browser, live_server
):
    base = live_server.url
    until = (timezone.now() + timedelta(seconds=12)).replace(microsecond=0)
    story = factories.article(
        "Tin của hãng cấm đăng", status=Status.DRAFT, embargo_until=until
    )
    user("tongbientap", "Tổng biên tập")
    page = log_in(browser, base, "tongbientap")
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    page.click("button[name=_buoc][value=publish]")
    error = page.locator(".errorlist").first.inner_text()
    assert (
        "cấm đăng trước" in error
        and timezone.localtime(until).strftime("%H:%M") in error
    )
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    page.click("button[name=_buoc][value=schedule_embargo]")
    page.wait_for_selector(".messagelist .success")
    page.context.close()
    visitor = reader(browser)
    assert visitor.goto(f"{base}{story.get_absolute_url()}").status == 404
    time.sleep(max(0, (until - timezone.now()).total_seconds()) + 1)
    # Another reader, just after its time: the page cache held the 404, and
    # moved on at the embargo's time by itself (no worker, no purge).
    assert reader(browser).goto(f"{base}{story.get_absolute_url()}").status == 200


def test_the_breaking_banner_comes_and_goes_on_a_cached_page(
    browser, live_server, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    base = live_server.url
    story = factories.article("Động đất ở Kon Tum")
    visitor = reader(browser)
    first = visitor.goto(f"{base}/")
    assert first.headers.get("x-page-cache") == "miss"  # now cached, for minutes
    banner = visitor.locator("#tin-nong")
    assert banner.is_hidden()
    story.breaking_until = timezone.now() + timedelta(seconds=9)
    services.save_article(article=story)
    set_at = time.monotonic()
    banner.wait_for(state="visible", timeout=6_000)
    assert time.monotonic() - set_at <= 5.5
    assert banner.locator("a").inner_text() == "Động đất ở Kon Tum"
    banner.wait_for(state="hidden", timeout=15_000)  # after its time


def test_the_front_page_follows_the_pins_and_falls_back_when_one_ends(
    browser, live_server, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 1
    settings.NEWSROOM_LIST_SECONDS = 1
    base = live_server.url
    factories.article("Tin mới nhất hôm nay")
    chosen = factories.article(
        "Tin ban biên tập chọn", published_at=timezone.now() - timedelta(days=1)
    )
    editor = user("bientap", "Biên tập viên")
    until = timezone.now() + timedelta(seconds=6)
    services.save_pin(
        pin=FrontPin(place=FrontPin.Place.LEAD, article=chosen, pinned_until=until),
        user=editor,
    )
    visitor = reader(browser)
    visitor.goto(f"{base}/")
    assert visitor.locator(".lead-title").inner_text() == "Tin ban biên tập chọn"
    time.sleep(max(0, (until - timezone.now()).total_seconds()) + 2)
    visitor.goto(f"{base}/")
    assert visitor.locator(".lead-title").inner_text() == "Tin mới nhất hôm nay"


def test_a_second_editor_adds_a_live_entry_and_an_open_page_shows_it(
    browser, live_server
):
    base = live_server.url
    story = factories.article(
        "Tường thuật: bầu cử", live_started_at=timezone.now() - timedelta(minutes=5)
    )
    user("bientap", "Biên tập viên")
    user("bientap2", "Biên tập viên")
    first = log_in(browser, base, "bientap")
    first.goto(f"{base}/admin/articles/article/{story.pk}/change/")  # holds the story
    visitor = reader(browser)
    visitor.goto(f"{base}{story.get_absolute_url()}")
    second = log_in(browser, base, "bientap2")
    second.goto(f"{base}/admin/articles/article/{story.pk}/truc-tiep/")
    second.fill("#id_text", "Điểm bỏ phiếu đầu tiên mở cửa.")
    second.click("#live-form input[type=submit]")
    second.wait_for_selector(".messagelist .success")
    added = time.monotonic()
    visitor.locator(".live-entry", has_text="Điểm bỏ phiếu đầu tiên").wait_for(
        timeout=10_000
    )
    assert time.monotonic() - added <= 10


def test_a_planned_item_on_the_board_becomes_a_draft(browser, live_server):
    base = live_server.url
    section = factories.category("Thời sự")
    reporter = user("phongvien", "Phóng viên")
    PlannedItem.objects.create(
        slugline="Họp báo Chính phủ thường kỳ",
        category=section,
        assignee=reporter,
        planned_at=timezone.now() + timedelta(hours=2),
    )
    page = log_in(browser, base, "phongvien")
    page.goto(f"{base}/admin/articles/planneditem/bang/")
    entry = page.locator(".plan-entry.plan", has_text="Họp báo Chính phủ thường kỳ")
    entry.locator("button", has_text="Bắt đầu viết").click()
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/"))
    article = Article.objects.get()
    assert article.title == "Họp báo Chính phủ thường kỳ"
    assert article.status == Status.DRAFT and article.created_by == reporter
    assert page.locator("#id_title").input_value() == article.title


def test_seo_counters_count_characters_and_a_click_sets_the_focal_point(
    browser, live_server
):
    import io

    from PIL import Image

    from articles.models import Photo
    from articles.photos import intake

    base = live_server.url
    story = factories.article("Bão vào Đà Nẵng", lead="Sapo của bài.")
    buf = io.BytesIO()
    Image.new("RGB", (800, 450), (90, 120, 160)).save(buf, "JPEG")
    photo = Photo(caption="Ảnh")
    intake.store_photo_file(photo, io.BytesIO(buf.getvalue()), "anh.jpg")
    photo.save()
    user("bientap", "Biên tập viên")
    page = log_in(browser, base, "bientap")
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    page.fill("#id_seo_title", "Đà Nẵng")
    counter = page.locator("#id_seo_title + .seo-count")
    assert counter.inner_text().startswith("7/60")  # characters, not 11 bytes
    assert page.locator(".seo-google .seo-title").inner_text() == "Đà Nẵng"
    assert page.locator(".seo-card .seo-description").inner_text() == "Sapo của bài."

    page.goto(f"{base}/admin/articles/photo/{photo.pk}/change/")
    img = page.locator(".focal-picker img")
    box = img.bounding_box()
    img.click(position={"x": box["width"] * 0.1, "y": box["height"] * 0.5})
    assert abs(float(page.locator("#id_focal_x").input_value()) - 0.1) < 0.02
    assert page.locator(".focal-mark").is_visible()
