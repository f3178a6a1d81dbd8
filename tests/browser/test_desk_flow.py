"""A day at the desk in Chromium: nothing typed is lost, and the desk talks.

A reporter's session expires mid-edit and the text is offered back after
logging in; two editors open one story, the second sees the first, takes
over, and the first's text lands in their working copy; the story goes to
review with a note, back to the reporter with a reason, shows in the
reporter's inbox, goes back and is published; a library photo goes into a
second story with its own caption; a used photo's deletion is refused, then
done as removal from both stories, which still save. Every admin page on
the way is checked for Django's English defaults.
"""

import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile

from articles import body, services
from articles.choices import Status
from articles.models import Article, Category, EditLock, Photo, WorkingCopy

from .. import factories
from ..english import english_in, visible_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("editorial_roles", "media"),
]

PASSWORD = "mat-khau-thu-nghiem-2026"


def staff(username: str, full_name: str, role: str) -> User:
    user = User.objects.create_user(
        username, password=PASSWORD, is_staff=True, first_name=full_name
    )
    user.groups.add(Group.objects.get(name=role))
    return user


class Desk:
    """One person's browser, and the admin pages it saw."""

    def __init__(self, browser, base: str, username: str, seen: dict) -> None:
        self.context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="vi-VN"
        )
        self.page = self.context.new_page()
        # Leaving a form with changes asks first; the test answers "leave".
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.base, self.username, self.seen = base, username, seen
        self.log_in()

    def log_in(self) -> None:
        if "/login/" not in self.page.url:
            self.page.goto(f"{self.base}/admin/login/")
        self.page.fill("#id_username", self.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_url(re.compile(r"/admin/(?!login)"))

    def go(self, path: str) -> None:
        self.page.goto(f"{self.base}{path}")
        self.note()

    def note(self) -> None:
        """Keep the page as shown (scripts done) for the language check.

        Not "networkidle": the lock's heartbeat and the autosave keep an
        edit page talking, so on a slow machine the network is never idle.
        The page's own scripts have run at "load"; the body editor is the
        one part that comes up later.
        """
        self.page.wait_for_load_state("load")
        if self.page.locator("#id_body").count():
            self.page.locator(".ck-editor__editable").first.wait_for()
        url = self.page.url.replace(self.base, "")
        self.seen[f"{len(self.seen):02d} {self.username} {url}"] = (
            visible_text(self.page.content()) + "\n" + self.page.inner_text("body")
        )

    def type_in_body(self, words: str) -> None:
        editable = self.page.locator(".ck-editor__editable")
        editable.click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.press("Enter")
        self.page.keyboard.type(words)

    def step(self, name: str, note: str = "") -> None:
        if note:
            self.page.fill("#id_ghi_chu", note)
        self.page.click(f"button[name=_buoc][value={name}]")
        self.page.wait_for_selector(".messagelist .success")
        self.note()


def change(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def wait_until(check, seconds: float = 10.0) -> None:
    end = time.monotonic() + seconds
    while not check():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.2)


def test_a_day_at_the_desk(browser, live_server, shot, settings):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    settings.NEWSROOM_LOCK_SECONDS = 8  # a heartbeat every 2 s
    section = Category.objects.create(name="Chính phủ hành động")
    staff("phongvien", "Trần Thị Lan", "Phóng viên")
    staff("bientap_a", "Nguyễn Văn A", "Biên tập viên")
    staff("bientap_b", "Lê Văn B", "Biên tập viên")
    photo = factories.photo(
        caption="Quang cảnh buổi làm việc.", credit="Công trí/TTXVN"
    )
    photo.image.save("quang-canh.jpg", ContentFile(factories.image_bytes()))
    first = Article.objects.create(
        category=section, title="Bài đã đăng có ảnh", lead="Sapo.", body="<p>Một.</p>"
    )
    services.attach_photos(article=first, photos=[photo])
    services.publish(article=first)
    base, seen = live_server.url, {}

    # --- the reporter writes; the session expires; nothing is lost ----------------
    reporter = Desk(browser, base, "phongvien", seen)
    reporter.go("/admin/articles/article/add/")
    page = reporter.page
    page.click(".field-category .select2-selection")
    page.fill(".select2-search__field", "Chính phủ")
    page.locator(".select2-results__option", has_text="Chính phủ hành động").click()
    page.fill("#id_title", "Bến Tre rút ngắn thời gian giải quyết thủ tục")
    page.fill("#id_lead", "Tỉnh cắt giảm một nửa thời gian xử lý hồ sơ.")
    reporter.type_in_body("TTXVN - Sáng 10/11, tỉnh Bến Tre công bố kết quả.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    story = Article.objects.get(title__startswith="Bến Tre")
    reporter.type_in_body("Đoạn viết trước khi hết phiên.")
    page.wait_for_selector("#desk-autosave:has-text('Đã tự lưu lúc')")
    shot(page, "desk-01-tu-luu")
    Session.objects.all().delete()  # the session expires
    page.click("input[name=_continue]")
    page.wait_for_url(re.compile(r"/admin/login/"))
    assert "Phiên đăng nhập đã hết hạn" in page.inner_text("body")
    reporter.note()
    reporter.log_in()
    assert page.url.endswith(change(story))
    banner = page.locator(".desk-copy")
    assert "Có bản tự lưu mới hơn lúc" in banner.inner_text()
    reporter.note()
    banner.get_by_role("link", name="Khôi phục").click()
    page.wait_for_selector(".ck-editor__editable")
    assert (
        "Đoạn viết trước khi hết phiên."
        in page.locator(".ck-editor__editable").inner_text()
    )
    shot(page, "desk-02-khoi-phuc-sau-dang-nhap")
    reporter.note()
    reporter.step("submit", "Nhờ anh chị xem giúp tít")
    story.refresh_from_db()
    assert story.status == Status.REVIEW
    assert "Đoạn viết trước khi hết phiên." in story.body
    assert not WorkingCopy.objects.filter(article=story).exists()

    # --- two editors on one story: presence, take-over, nothing lost ----------------
    a = Desk(browser, base, "bientap_a", seen)
    a.go(change(story))
    b = Desk(browser, base, "bientap_b", seen)
    b.go(change(story))
    lock_line = b.page.locator("#desk-lock .desk-lock-message").inner_text()
    assert re.fullmatch(r"Nguyễn Văn A đang sửa bài này \(từ \d\d:\d\d\)\.", lock_line)
    shot(b.page, "desk-03-dang-co-nguoi-sua")
    a.type_in_body("Phần A đang viết dở.")
    b.page.fill("#id_ghi_chu_gianh", "Cần sửa gấp tít trước 10 giờ")
    b.page.click("button[name=_gianh]")
    b.page.wait_for_selector(".messagelist .success")
    b.note()
    taken = a.page.locator("#desk-lock .desk-lock-message")
    # A's next heartbeat (every 2 s here) brings the news; A's window is in
    # front, as the person reading it would be (no throttled timers).
    a.page.bring_to_front()
    a.page.wait_for_function(
        "() => document.querySelector('#desk-lock .desk-lock-message')"
        ".textContent.includes('giành quyền')",
        timeout=30000,
    )
    taken.wait_for(state="visible")
    assert "Lê Văn B đã giành quyền sửa bài này" in taken.inner_text()
    assert "Cần sửa gấp tít trước 10 giờ" in taken.inner_text()
    assert a.page.locator("input[name=_save]").is_disabled()
    shot(a.page, "desk-04-bi-gianh-quyen")
    a.note()

    def kept_in_working_copy() -> bool:
        copy = WorkingCopy.objects.filter(user__username="bientap_a", article=story)
        data = copy.values_list("data", flat=True).first() or {"body": [""]}
        return "Phần A đang viết dở." in data["body"][0]

    wait_until(kept_in_working_copy)
    a.context.close()

    # --- review with notes, the reporter's inbox ----------------------------------------
    b.step("return", "Thiếu nguồn ảnh, bổ sung giúp")
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    wait_until(
        lambda: (
            not EditLock.objects.filter(
                article=story, user__username="bientap_b"
            ).exists()
        )
    )
    reporter.go("/admin/")
    inbox_link = reporter.page.locator("a.desk-inbox")
    assert inbox_link.text_content() == "Hộp thư (1)"
    inbox_link.click()
    reporter.note()
    row = reporter.page.locator("#desk-inbox tbody tr").first
    assert (
        "Bị trả lại" in row.inner_text()
        and "Thiếu nguồn ảnh, bổ sung giúp" in row.inner_text()
    )
    shot(reporter.page, "desk-05-hop-thu")
    row.get_by_role("link").click()
    reporter.note()
    assert (
        "Thiếu nguồn ảnh, bổ sung giúp"
        in reporter.page.locator(".desk-thread").inner_text()
    )
    reporter.step("submit", "Đã bổ sung nguồn")
    b.go(change(story))
    b.step("publish")
    story.refresh_from_db()
    assert story.status == Status.PUBLISHED
    assert list(story.desk_notes.values_list("step", flat=True)) == [
        "submit", "takeover", "return", "submit", "publish",
    ]  # fmt: skip

    # --- a library photo in a second story, with a caption of its own ----------------
    b.go(change(story))
    b.page.click("button.desk-library-open")
    b.page.fill(".desk-library-search", "cong tri")
    b.page.locator(
        ".desk-library-results li", has_text="Quang cảnh buổi làm việc."
    ).get_by_role("button", name="Chèn").click()
    caption = b.page.locator(".ck-editor__editable figure.image figcaption")
    caption.wait_for()
    caption.click()
    b.page.keyboard.press("End")
    b.page.keyboard.type(" Ảnh riêng của bài hai.")
    shot(b.page, "desk-06-chen-anh-thu-vien")
    b.note()
    b.page.click("input[name=_continue]")
    b.page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    first.refresh_from_db()
    photo.refresh_from_db()
    ours = body.figure_captions(story.body)[photo.pk]
    assert "Ảnh riêng của bài hai." in ours[0] + ours[1]
    assert body.figure_captions(first.body)[photo.pk] == (
        "Quang cảnh buổi làm việc.",
        "Công trí/TTXVN",
    )
    assert photo.caption == "Quang cảnh buổi làm việc."

    # --- a used photo: deletion refused, then done as removal from both stories -------
    b.go(f"/admin/articles/photo/{photo.pk}/delete/")
    refusal = b.page.locator(".errornote").inner_text()
    assert "đang được dùng trong 2 bài" in refusal and "2 bài đã xuất bản" in refusal
    shot(b.page, "desk-07-anh-dang-dung")
    b.page.click("input.deletelink")
    b.page.wait_for_selector(".messagelist .success")
    b.note()
    assert not Photo.objects.filter(pk=photo.pk).exists()
    for article in (first, story):
        b.go(change(article))
        b.page.click("input[name=_continue]")
        b.page.wait_for_selector(".messagelist .success")
        article.refresh_from_db()
        assert body.photo_ids(article.body) == []

    # --- every page on the way spoke Vietnamese ------------------------------------------
    english = {url: english_in(text) for url, text in seen.items()}
    assert {url: words for url, words in english.items() if words} == {}
    assert len(seen) >= 15
    for desk in (reporter, b):
        desk.context.close()


def test_the_browser_keeps_a_copy_when_the_server_cannot_be_reached(
    browser, live_server, shot, settings
):
    settings.NEWSROOM_AUTOSAVE_SECONDS = 1
    reporter = staff("phongvien", "Trần Thị Lan", "Phóng viên")
    story = factories.article(
        status=Status.DRAFT, created_by=reporter, body="<p>Đầu.</p>"
    )
    desk = Desk(browser, live_server.url, "phongvien", {})
    dialogs = []
    desk.page.on("dialog", lambda dialog: dialogs.append(dialog.type))
    desk.page.route("**/tu-luu/", lambda route: route.abort())  # the server is away
    desk.go(change(story))
    desk.type_in_body("Đoạn chỉ có trong trình duyệt.")
    desk.page.wait_for_selector("#desk-autosave.is-warning")
    assert "giữ trong trình duyệt" in desk.page.locator("#desk-autosave").inner_text()
    desk.page.wait_for_function(
        "() => (localStorage.getItem(document.getElementById('desk').dataset.localKey)"
        " || '').includes('Đoạn chỉ có trong trình duyệt.')"
    )
    # Leaving with changes not saved asks first.
    desk.page.goto(f"{live_server.url}/admin/")
    assert "beforeunload" in dialogs
    desk.page.unroute("**/tu-luu/")
    desk.go(change(story))
    banner = desk.page.locator(".desk-local")
    assert "Trình duyệt này còn giữ một bản bạn viết lúc" in banner.inner_text()
    shot(desk.page, "desk-08-ban-trong-trinh-duyet")
    banner.get_by_role("button", name="Khôi phục").click()
    editable = desk.page.locator(".ck-editor__editable")
    assert "Đoạn chỉ có trong trình duyệt." in editable.inner_text()
    desk.page.click("input[name=_continue]")
    desk.page.wait_for_selector(".messagelist .success")
    story.refresh_from_db()
    assert "Đoạn chỉ có trong trình duyệt." in story.body
    desk.context.close()
