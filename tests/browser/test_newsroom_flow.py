"""The newsroom's real flow in a browser: reporter → editor → reader."""

import re

import pytest
from django.contrib.auth.models import Group, User
from PIL import Image

from articles.models import Article, Category

# Real commits (the live server is another thread).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("editorial_roles"),
]

PASSWORD = "mat-khau-thu-nghiem-2026"
CAPTION = "Quang cảnh buổi làm việc."
CREDIT = "Công trí/TTXVN"


def user(name: str, role: str) -> User:
    u = User.objects.create_user(name, password=PASSWORD, is_staff=True)
    u.groups.add(Group.objects.get(name=role))
    return u


def log_in(browser, base: str, username: str):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}/admin/")
    return page


def photo_file(tmp_path):
    path = tmp_path / "quang-canh.jpg"
    img = Image.new("RGB", (1200, 800), (30, 90, 160))
    for x in range(0, 1200, 40):
        for y in range(0, 800, 40):
            if (x + y) // 40 % 2:
                img.paste((230, 180, 40), (x, y, x + 40, y + 40))
    img.save(path, "JPEG", quality=85)
    return path


def test_reporter_writes_editor_publishes_reader_reads(
    browser, live_server, shot, media, tmp_path
):
    Category.objects.create(name="Chính phủ hành động")
    user("phongvien", "Phóng viên")
    user("bientap", "Biên tập viên")
    base = live_server.url

    # A reporter logs in and writes a story.
    page = log_in(browser, base, "phongvien")
    shot(page, "01-phong-vien-dang-nhap")
    page.goto(f"{base}/admin/articles/article/add/")
    page.click(".field-category .select2-selection")
    page.fill(".select2-search__field", "Chính phủ")
    page.locator(".select2-results__option", has_text="Chính phủ hành động").click()
    page.fill("#id_title", "Bến Tre đẩy mạnh cải cách hành chính")
    page.fill("#id_lead", "Đoàn kiểm tra làm việc với tỉnh Bến Tre.")
    editable = page.locator(".ck-editor__editable")
    editable.click()
    page.keyboard.type("TTXVN - Chiều 10/11, đoàn kiểm tra đã làm việc tại Bến Tre.")
    page.keyboard.press("Enter")

    # …uploads a photo through the editor and writes its caption.
    page.locator(".ck-file-dialog-button input[type=file]").first.set_input_files(
        str(photo_file(tmp_path))
    )
    image = editable.locator("figure.image img[src*='?anh=']")
    image.wait_for(timeout=15000)
    image.click()
    page.get_by_role("button", name=re.compile("chú thích|caption", re.I)).first.click()
    editable.locator("figcaption").click()
    page.keyboard.type(f"{CAPTION} (Ảnh: {CREDIT})")
    shot(page, "02-phong-vien-soan-bai")

    # …saves a draft, then submits it for review: publishing is not offered.
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    steps = page.locator(".desk-steps button").all_inner_texts()
    assert "Gửi duyệt" in steps and "Xuất bản" not in steps and "Hẹn giờ" not in steps
    page.click("button[name=_buoc][value=submit]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "03-phong-vien-gui-duyet")
    article = Article.objects.get()
    assert article.status == "review"
    assert f'data-photo-id="{article.photos.get().pk}"' in article.body
    page.goto(f"{base}/admin/articles/article/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert not any("Xuất bản" in a for a in actions)
    page.context.close()

    # An editor opens it and publishes it.
    page = log_in(browser, base, "bientap")
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    page.click("button[name=_buoc][value=publish]")
    page.wait_for_selector(".messagelist .success")
    shot(page, "04-bien-tap-xuat-ban")
    page.context.close()
    article.refresh_from_db()
    assert article.status == "published"

    # An anonymous reader sees the story, its photo and the caption with credit.
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN"
    )
    page = context.new_page()
    page.goto(f"{base}{article.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Bến Tre đẩy mạnh cải cách hành chính"
    assert "đoàn kiểm tra đã làm việc tại Bến Tre" in page.locator(".body").inner_text()
    figure = page.locator(".body figure.photo")
    img = figure.locator("img")
    assert img.evaluate("img => img.complete && img.naturalWidth > 0")
    # A phone gets a small WebP rendition, not the 1200-pixel original.
    source = img.evaluate("img => img.currentSrc")
    assert "/media/renditions/" in source and source.endswith(".webp"), source
    assert figure.locator("figcaption").inner_text() == f"{CAPTION} (Ảnh: {CREDIT})"
    shot(page, "05-ban-doc-xem-bai")
    context.close()


def test_editor_restores_an_earlier_version_and_readers_see_it(
    browser, live_server, shot
):
    from articles import body, services
    from articles.models import Author, Photo, Tag

    user("bientap", "Biên tập viên")
    section = Category.objects.create(name="Chính phủ hành động")
    photos = [
        Photo.objects.create(caption=f"Ảnh {i}.", credit="TTXVN") for i in range(3)
    ]
    authors = [
        Author.objects.create(name="Công Trí"),
        Author.objects.create(name="Minh Châu"),
    ]
    other = Article(
        category=section, title="Bài liên quan", status="published", lead="Sapo."
    )
    services.save_article(article=other)
    article = Article(
        category=section,
        title="Bến Tre đẩy mạnh cải cách hành chính",
        lead="Sapo bản đầu.",
        body="<p>Đoạn đầu.</p>"
        + "".join(body.photo_figure(p.pk, p.caption, p.credit) for p in photos),
        featured_photo=photos[0],
        status="published",
    )
    services.save_article(
        article=article,
        byline=authors,
        tags=[Tag.objects.create(name="Cải cách")],
        related=[other],
    )
    article.title = "Tiêu đề sửa nhầm"
    article.body = "<p>Bản sửa nhầm.</p>"
    services.save_article(article=article, byline=[authors[1]], tags=[], related=[])

    base = live_server.url
    page = log_in(browser, base, "bientap")
    page.goto(f"{base}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("link", name="Các phiên bản").click()
    page.get_by_role("link", name="Khôi phục").first.click()
    changes = page.locator("#restore-changes")
    assert "Bến Tre đẩy mạnh cải cách hành chính" in changes.inner_text()
    shot(page, "06-bien-tap-khoi-phuc")
    page.get_by_role("button", name="Khôi phục phiên bản này").click()
    page.wait_for_selector(".messagelist .success")
    assert (
        page.locator("#id_title").input_value()
        == "Bến Tre đẩy mạnh cải cách hành chính"
    )
    page.context.close()

    article.refresh_from_db()
    reader = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    reader.goto(f"{base}{article.get_absolute_url()}")
    assert reader.locator("h1").inner_text() == "Bến Tre đẩy mạnh cải cách hành chính"
    assert reader.locator(".byline").inner_text().startswith("Công Trí, Minh Châu")
    assert reader.locator(".body figure.photo").count() == 3
    assert "Bài liên quan" in reader.locator(".related").inner_text()
    assert "Cải cách" in reader.locator(".tags").inner_text()
    shot(reader, "07-ban-doc-xem-ban-khoi-phuc")
    reader.context.close()
