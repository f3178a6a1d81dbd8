"""Every reader page type on a phone and a desktop, screenshot and measured.

A small newspaper of its own (not the demo): six sections in the editors'
order, 24 stories in one of them, photos, authors, tags, reads. Each page
is saved to artifacts/screenshots/ and checked for what a reader notices:
no card wider than its column, a section page that is a list and not a wall
of pictures, no story twice on the home page, the menu in the editors'
order, nothing wider than a phone.
"""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from articles import reads
from articles.models import Category
from articles.photos.intake import store_photo_file

from .. import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media"),
]

SIZES = {"dien-thoai": (360, 740), "may-tinh": (1440, 900)}
# The editors' order, deliberately not alphabetical.
MENU = ["Thời sự", "Chính phủ hành động", "Kinh tế", "Xã hội", "Quốc tế", "Ảnh"]
COLOURS = [(165, 14, 14), (20, 90, 160), (40, 130, 70), (200, 140, 20)]


@pytest.fixture
def newspaper():
    sections = {
        name: Category.objects.create(name=name, order=i)
        for i, name in enumerate(reversed(MENU))
    }
    for i, name in enumerate(MENU):
        Category.objects.filter(pk=sections[name].pk).update(order=i)
    author = factories.author("Công Trí")
    tag = factories.tag("Cải cách hành chính")
    now = timezone.now() - dt.timedelta(minutes=1)
    stories = []
    for i in range(40):
        section = sections["Chính phủ hành động"] if i < 24 else sections[MENU[i % 6]]
        photo = factories.photo(caption=f"Quang cảnh buổi làm việc số {i}.")
        data = factories.image_bytes(size=(1200, 800), color=COLOURS[i % 4])
        store_photo_file(photo, ContentFile(data, name=f"anh-{i}.jpg"), f"anh-{i}.jpg")
        photo.save()
        story = factories.article(
            f"Bến Tre đẩy mạnh cải cách hành chính, giai đoạn {i + 1} của đề án",
            category=section,
            lead="Đoàn kiểm tra của Ban Chỉ đạo làm việc với tỉnh về kết quả "
            "cải cách thủ tục, chuyển đổi số và phục vụ người dân, doanh nghiệp.",
            body="<p>TTXVN - Sáng 10/11, đoàn kiểm tra làm việc với tỉnh.</p>" * 6,
            authors=[author],
            featured_photo=photo,
            published_at=now - dt.timedelta(minutes=37 * i),
        )
        story.tags.add(tag)
        stories.append(story)
    for i, story in enumerate(stories[:8]):
        for _ in range(8 - i):
            reads.count(story.pk)
    reads.flush()
    return {"stories": stories, "author": author, "tag": tag}


def widest_card_overflow(page) -> float:
    """How far the widest card sticks out of its list or column (px)."""
    return page.evaluate(
        """() => Math.max(0, ...[...document.querySelectorAll('.card')].map(card => {
            const column = card.parentElement.getBoundingClientRect();
            return card.getBoundingClientRect().width - column.width;
        }))"""
    )


@pytest.mark.parametrize("device", SIZES)
def test_every_page_type_is_laid_out_for_readers(
    browser, live_server, shot, newspaper, device
):
    width, height = SIZES[device]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN"
    )
    page = context.new_page()
    base = live_server.url
    story = newspaper["stories"][0]
    day = timezone.localtime(story.published_at)
    pages = {
        "trang-chu": "/",
        "chuyen-muc": "/chinh-phu-hanh-dong/",
        "chuyen-muc-trang-2": "/chinh-phu-hanh-dong/?trang=2",
        "bai-viet": story.get_absolute_url(),
        "tac-gia": newspaper["author"].get_absolute_url(),
        "chu-de": newspaper["tag"].get_absolute_url(),
        "tim-kiem": "/tim-kiem/?q=cải+cách+hành+chính",
        "ngay": f"/{day:%Y/%m/%d}/",
    }
    heights = {}
    for name, path in pages.items():
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        shot(page, f"bo-cuc-{device}-{name}")
        assert widest_card_overflow(page) <= 1, path
        # Nothing sticks out sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        heights[name] = page.evaluate("document.documentElement.scrollHeight")

        if name == "trang-chu":
            links = page.eval_on_selector_all(
                "main a[href$='.htm']:not([tabindex='-1'])",
                "links => links.map(a => new URL(a.href).pathname)",
            )
            assert len(links) >= 12
            assert len(links) == len(set(links)), "a story shows twice"
            if device == "may-tinh":
                menu = page.locator(".menu li").all_inner_texts()
            else:
                menu = page.locator(".menu li:visible").all_inner_texts()
                assert len(menu) == 3
                page.click(".menu-more summary")
                menu += page.locator(".menu-more li:visible").all_inner_texts()
                shot(page, f"bo-cuc-{device}-menu-them")
            assert [m.strip() for m in menu] == MENU

        if name == "chuyen-muc":
            assert page.locator(".list .card").count() == 20
            # A thumbnail is small, and a browser that has not seen the
            # photo larger (a fresh one) picks the small rendition for it.
            thumb = page.locator(".list .card .thumb img").first
            assert thumb.bounding_box()["width"] <= 241
            fresh = browser.new_context(viewport={"width": width, "height": height})
            other = fresh.new_page()
            other.goto(f"{base}{path}")
            first = other.locator(".list .card .thumb img").first
            first.scroll_into_view_if_needed()
            other.wait_for_function(
                "() => document.querySelector('.list .card .thumb img').complete"
            )
            # The 320 px rendition (a card's is its 16:9 crop: "-the-320-c.webp").
            assert re.search(r"-320[.-]", first.evaluate("img => img.currentSrc"))
            fresh.close()
            headline = page.locator(".list .card-title").first
            summary = page.locator(".list .summary").first
            assert float(
                headline.evaluate("e => getComputedStyle(e).fontSize")[:-2]
            ) > float(summary.evaluate("e => getComputedStyle(e).fontSize")[:-2])

        if name == "bai-viet":
            side = page.locator("aside.side")
            assert "Đọc nhiều" in side.inner_text()
            assert "Mới nhất: Chính phủ hành động" in side.inner_text()
            if device == "may-tinh":
                # The side column stands beside the story, not under it.
                story_box = page.locator("article.story").bounding_box()
                side_box = side.bounding_box()
                assert side_box["x"] > story_box["x"] + story_box["width"]
            assert page.locator(".related .card img").count() >= 3
            # The page's beacon counted the read (in memory, for the next batch).
            page.wait_for_function(
                "() => performance.getEntriesByName("
                f"'{base}/luot-doc/{story.pk}/').length > 0"
            )

    if device == "may-tinh":
        assert heights["chuyen-muc"] < 3000, heights
    context.close()
