"""What a reader sees, on a phone and on a desktop, in Debian's Chromium."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SAMPLE = (
    Path(__file__).resolve().parents[2] / "samples" / "ben-tre-cai-cach-hanh-chinh.txt"
)
TITLE = "Ban Chỉ đạo cải cách hành chính của Chính phủ kiểm tra tại Bến Tre"
SIZES = {"dien-thoai": (360, 740), "may-tinh": (1440, 900)}


@pytest.mark.parametrize("device", SIZES)
def test_reader_sees_home_section_article_and_search(
    browser, live_server, shot, media, device
):
    call_command(
        "import_articles", str(SAMPLE), status="published",
        published_at="2023-11-10T17:30:00+07:00", stdout=io.StringIO(),
    )  # fmt: skip
    article = Article.objects.get()
    width, height = SIZES[device]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN"
    )
    page = context.new_page()
    base = live_server.url

    page.goto(f"{base}/")
    assert page.locator(".lead-title").inner_text() == TITLE
    assert (
        page.locator("nav.menu, .menu").first.inner_text().strip()
        == "Chính phủ hành động"
    )
    shot(page, f"ban-doc-{device}-1-trang-chu")

    page.goto(f"{base}/chinh-phu-hanh-dong/")
    assert page.locator("h1").inner_text() == "Chính phủ hành động"
    assert TITLE in page.locator(".list").inner_text()
    shot(page, f"ban-doc-{device}-2-chuyen-muc")

    page.goto(f"{base}{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == TITLE
    assert (
        page.locator(".lead")
        .first.inner_text()
        .startswith("Đoàn kiểm tra của Ban Chỉ đạo")
    )
    captions = page.locator(".body figure.photo figcaption").all_inner_texts()
    assert len(captions) == 3
    assert all(c.endswith("(Ảnh: Công trí/TTXVN)") for c in captions)
    assert page.locator(".byline").inner_text() == "Công Trí – TTXVN"
    assert page.locator("time").first.inner_text() == "Thứ Sáu, 10/11/2023 17:30"
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"ban-doc-{device}-3-bai-viet")

    page.fill("#q-top", "cai cach hanh chinh ben tre")
    page.press("#q-top", "Enter")
    page.wait_for_url("**/tim-kiem/**")
    first = page.locator(".list .card").first
    assert TITLE == first.locator("h2").inner_text()
    assert first.locator("mark").count() >= 4
    shot(page, f"ban-doc-{device}-4-tim-kiem")
    context.close()


def test_an_open_live_page_shows_a_second_editors_entry_without_reload(
    browser, live_server, media, editorial_roles
):
    from datetime import timedelta

    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from articles import services

    from .. import factories

    story = factories.article(
        "Tường thuật: kỳ họp Quốc hội",
        live_started_at=timezone.now() - timedelta(minutes=30),
    )
    services.add_live_entry(
        article=story, user=None, kind="text", text_value="Khai mạc kỳ họp."
    )
    page = browser.new_context(locale="vi-VN").new_page()
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    assert page.locator(".live-entry").count() == 1
    marker = page.evaluate("() => (window.__same_page = 42)")
    second = User.objects.create_user("bt-hai", is_staff=True)
    second.groups.add(Group.objects.get(name="Biên tập viên"))
    services.add_live_entry(
        article=story, user=second, kind="text", text_value="Quốc hội biểu quyết."
    )
    page.locator(".live-entry", has_text="Quốc hội biểu quyết.").wait_for(
        timeout=10_000
    )
    assert (
        page.locator(".live-entry").first.inner_text().endswith("Quốc hội biểu quyết.")
    )
    assert page.evaluate("() => window.__same_page") == marker  # no reload
