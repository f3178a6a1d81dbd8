"""The desk: autosave, expired sessions and stale tokens, edit locks, review
with notes, the inbox and e-mail, one caption per use, photos in use."""

import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import body, services
from articles.choices import Status
from articles.models import Article, DeskNote, EditLock, Photo, WorkingCopy

from . import factories
from .test_admin import change_url, form_data, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PASSWORD = "mat-khau-dai-2026"


def autosave_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/tu-luu/"


def revisions(article) -> int:
    return Version.objects.get_for_object(article).count()


# --- autosave -------------------------------------------------------------------


def test_an_hour_of_autosave_adds_no_revision(reporter):
    client = login(reporter)
    client.post("/admin/articles/article/add/", form_data())
    article = Article.objects.get()
    saves = 1
    for minute in range(60):
        for tick in range(0, 60, 20):  # every 20 s of typing for an hour
            response = client.post(
                autosave_url(article),
                form_data(article, body=f"<p>Phút {minute}, giây {tick}.</p>"),
            )
            assert response.status_code == 200 and response.json()["ok"]
        if minute % 20 == 19:
            client.post(
                change_url(article),
                form_data(article, body=f"<p>Lưu ở phút {minute}.</p>"),
            )
            article.refresh_from_db()
            saves += 1
    assert revisions(article) == saves == 4
    assert "Đã tự lưu lúc" in response.json()["message"]


def test_the_working_copy_is_offered_on_reopening_and_removed_by_a_save(reporter):
    client = login(reporter)
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    client.post(autosave_url(article), form_data(article, body="<p>Đoạn chưa lưu.</p>"))
    page = client.get(change_url(article)).content.decode()
    assert "Có bản tự lưu mới hơn lúc" in page
    restored = client.get(change_url(article) + "?ban-tu-luu=1").content.decode()
    assert "Đoạn chưa lưu." in restored
    article.refresh_from_db()
    assert "Đoạn chưa lưu." not in article.body  # restoring is not saving
    client.post(change_url(article), form_data(article, body="<p>Đã lưu.</p>"))
    assert not WorkingCopy.objects.exists()
    assert "Có bản tự lưu" not in client.get(change_url(article)).content.decode()


def test_old_working_copies_expire(reporter, settings):
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    WorkingCopy.objects.create(
        user=reporter,
        article=article,
        data={"title": ["Cũ"]},
        saved_at=timezone.now()
        - dt.timedelta(days=settings.NEWSROOM_WORKING_COPY_DAYS + 1),
    )
    login(reporter).get(change_url(article))
    assert not WorkingCopy.objects.exists()


def test_someone_elses_story_cannot_be_autosaved(reporter, editor):
    article = factories.article(status=Status.DRAFT, created_by=editor)
    response = login(reporter).post(autosave_url(article), form_data(article))
    assert response.status_code == 403
    assert not WorkingCopy.objects.exists()


# --- an expired session, a stale token -----------------------------------------------


def test_a_save_after_the_session_expired_is_given_back_after_logging_in(reporter):
    reporter.set_password(PASSWORD)
    reporter.save()
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    client = Client()  # the session has expired: its cookie names nothing now
    client.cookies["sessionid"] = "ab" * 16
    typed = form_data(article, body="<p>Đoạn viết trước khi hết phiên.</p>")
    response = client.post(change_url(article), typed)
    assert response.status_code == 302 and "/login/" in response["Location"]
    login_page = client.get(response["Location"]).content.decode()
    assert "Phiên đăng nhập đã hết hạn" in login_page
    response = client.post(
        response["Location"],
        {
            "username": reporter.username,
            "password": PASSWORD,
            "next": change_url(article),
        },
    )
    assert response.status_code == 302
    page = client.get(change_url(article)).content.decode()
    assert "Có bản tự lưu mới hơn lúc" in page
    restored = client.get(change_url(article) + "?ban-tu-luu=1").content.decode()
    assert "Đoạn viết trước khi hết phiên." in restored


def test_a_save_after_the_browser_dropped_the_session_cookie_is_kept_too(reporter):
    """A session cookie lives as long as the session: when the session ends,
    the browser drops its cookie, and any request after the end (a heartbeat)
    makes Django delete it as well. The save after that is still kept."""
    reporter.set_password(PASSWORD)
    reporter.save()
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    client = Client()
    client.post("/admin/login/", {"username": reporter.username, "password": PASSWORD})
    client.get(change_url(article))  # a day at the desk in this browser
    del client.cookies["sessionid"]  # the session ended; its cookie went with it
    typed = form_data(article, body="<p>Viết sau khi phiên hết.</p>")
    response = client.post(change_url(article), typed)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert (
        "Phiên đăng nhập đã hết hạn"
        in client.get(response["Location"]).content.decode()
    )
    client.post(
        response["Location"],
        {
            "username": reporter.username,
            "password": PASSWORD,
            "next": change_url(article),
        },
    )
    restored = client.get(change_url(article) + "?ban-tu-luu=1").content.decode()
    assert "Viết sau khi phiên hết." in restored


def test_a_refused_token_gives_the_admins_page_in_vietnamese_and_keeps_the_text(
    reporter,
):
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    typed = form_data(article, body="<p>Viết trong thẻ cũ.</p>")
    response = client.post(change_url(article), typed, HTTP_ORIGIN="http://testserver")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Biểu mẫu này đã cũ" in page and "CSRF" not in page
    assert "?ban-tu-luu=1" in page
    restored = client.get(change_url(article) + "?ban-tu-luu=1").content.decode()
    assert "Viết trong thẻ cũ." in restored


def test_a_refused_token_from_another_site_keeps_nothing(reporter):
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    client.post(
        change_url(article),
        form_data(article, body="<p>Của kẻ lạ.</p>"),
        HTTP_ORIGIN="https://ke-la.example",
    )
    assert not WorkingCopy.objects.exists()


# --- edit locks ------------------------------------------------------------------


def test_the_second_editor_sees_who_is_editing_and_can_take_over(editor):
    first = factories.member(
        "Biên tập viên", "bt1", first_name="Văn A", last_name="Nguyễn"
    )
    first.last_name, first.first_name = "Nguyễn", "Văn A"
    first.save()
    article = factories.article(status=Status.REVIEW)
    a, b = login(first), login(editor)
    a.get(change_url(article))
    page = b.get(change_url(article)).content.decode()
    assert "Văn A Nguyễn đang sửa bài này (từ" in page
    # Saving under someone else's live lock is refused, and the text is kept.
    refused = b.post(change_url(article), form_data(article, body="<p>Của B.</p>"))
    assert refused.status_code == 200
    assert "đang sửa bài này" in refused.content.decode()
    assert WorkingCopy.objects.get(user=editor).data["body"] == ["<p>Của B.</p>"]
    # B takes over with a note; A's next heartbeat is told at once.
    b.post(
        f"/admin/articles/article/{article.pk}/khoa/gianh/",
        {"ghi_chu_gianh": "Cần sửa gấp tít"},
    )
    state = a.post(f"/admin/articles/article/{article.pk}/khoa/").json()
    assert state["taken"] and not state["mine"]
    assert (
        "đã giành quyền sửa" in state["message"]
        and "Cần sửa gấp tít" in state["message"]
    )
    assert DeskNote.objects.filter(step="takeover", text="Cần sửa gấp tít").exists()
    # A's autosave still keeps A's text; A's save is refused.
    a.post(autosave_url(article), form_data(article, body="<p>Của A.</p>"))
    assert WorkingCopy.objects.get(user=first).data["body"] == ["<p>Của A.</p>"]
    assert a.post(change_url(article), form_data(article)).status_code == 200
    assert b.post(change_url(article), form_data(article)).status_code == 302


def test_the_page_left_behind_by_a_take_over_does_not_let_the_story_go(editor):
    """Clicking "Giành quyền sửa" leaves the page that showed the other's
    lock: its last heartbeat may come after the take-over (and be told the
    story is now ours), then its release beacon as it unloads. The new page
    holds the story; the old page's release must not free it, or the
    editor it was taken from gets it back silently."""
    first = factories.member("Biên tập viên", "bt1")
    article = factories.article(status=Status.REVIEW)
    a, b = login(first), login(editor)
    a.get(change_url(article))
    old_page = b.get(change_url(article)).content.decode()
    b.post(
        f"/admin/articles/article/{article.pk}/khoa/gianh/", {"ghi_chu_gianh": "Gấp"}
    )
    new_page = b.get(change_url(article)).content.decode()
    beat = f"/admin/articles/article/{article.pk}/khoa/"
    gone = f"/admin/articles/article/{article.pk}/khoa/tha/"
    old_token, new_token = (lock_page(p) for p in (old_page, new_page))
    assert old_token and new_token and old_token != new_token
    assert b.post(beat, {"page": old_token}).json()["mine"]  # the old page's last beat
    b.post(gone, {"page": old_token})  # and its beacon as it unloads
    state = a.post(beat, {"page": "a"}).json()
    assert state["taken"] and not state["mine"]
    assert EditLock.objects.get().user == editor
    # The page that holds the story lets it go when it is left.
    b.post(gone, {"page": new_token})
    assert not EditLock.objects.exists()


def lock_page(html: str) -> str:
    import re

    found = re.search(r'data-lock-page="([^"]*)"', html)
    return found.group(1) if found else ""


def test_a_lock_lapses_when_its_heartbeat_stops(editor, settings):
    other = factories.member("Biên tập viên", "bt1")
    article = factories.article(status=Status.REVIEW)
    login(other).get(change_url(article))
    EditLock.objects.update(
        seen_at=timezone.now()
        - dt.timedelta(seconds=settings.NEWSROOM_LOCK_SECONDS + 1)
    )
    page = login(editor).get(change_url(article)).content.decode()
    assert "đang sửa bài này" not in page
    assert EditLock.objects.get().user == editor


# --- review with notes, inbox, e-mail ------------------------------------------------


def test_submit_return_resubmit_publish_with_notes_inbox_and_mail(
    reporter, editor, django_capture_on_commit_callbacks
):
    reporter.email, editor.email = "pv@toasoan.vn", "bt@toasoan.vn"
    reporter.save()
    editor.save()
    pv, bt = login(reporter), login(editor)

    def post(client, url, data):
        # E-mails leave once a step has committed.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    post(
        pv,
        "/admin/articles/article/add/",
        form_data(_buoc="submit", ghi_chu="Nhờ anh xem tít"),
    )
    article = Article.objects.get()
    assert article.status == Status.REVIEW
    assert [m.to for m in mail.outbox] == [["bt@toasoan.vn"]]
    assert (
        "gửi duyệt" in mail.outbox[0].subject
        and "Nhờ anh xem tít" in mail.outbox[0].body
    )
    assert "Hộp thư (1)" in bt.get("/admin/").content.decode()

    post(
        bt,
        change_url(article),
        form_data(article, _buoc="return", ghi_chu="Thiếu nguồn"),
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert (
        mail.outbox[-1].to == ["pv@toasoan.vn"]
        and "Thiếu nguồn" in mail.outbox[-1].body
    )
    inbox = pv.get("/admin/articles/article/hop-thu/").content.decode()
    assert article.title in inbox and "Bị trả lại" in inbox and "Thiếu nguồn" in inbox
    assert "Hộp thư (1)" in inbox

    post(
        pv,
        change_url(article),
        form_data(article, _buoc="submit", ghi_chu="Đã bổ sung"),
    )
    article.refresh_from_db()
    post(bt, change_url(article), form_data(article, _buoc="publish"))
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    thread = list(article.desk_notes.values_list("step", "text"))
    assert thread == [
        ("submit", "Nhờ anh xem tít"),
        ("return", "Thiếu nguồn"),
        ("submit", "Đã bổ sung"),
        ("publish", ""),
    ]
    comments = [
        v.revision.comment
        for v in Version.objects.get_for_object(article).order_by("pk")
    ]
    assert "Trả lại phóng viên: Thiếu nguồn" in comments
    assert "Gửi duyệt: Đã bổ sung" in comments
    page = bt.get(change_url(article)).content.decode()
    assert "Thiếu nguồn" in page  # the thread is on the story
    assert "Hộp thư (0)" in pv.get("/admin/").content.decode()


def test_a_reporter_is_offered_only_submitting(reporter):
    client = login(reporter)
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    page = client.get(change_url(article)).content.decode()
    assert 'value="submit"' in page
    for step in ("publish", "schedule", "return", "unpublish"):
        assert f'name="_buoc" value="{step}"' not in page


def test_assigning_a_story_puts_it_in_the_assignees_inbox(
    editor, django_capture_on_commit_callbacks
):
    other = factories.member("Biên tập viên", "bt2", email="bt2@toasoan.vn")
    article = factories.article(status=Status.REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        login(editor).post(change_url(article), form_data(article, giao_cho=other.pk))
    article.refresh_from_db()
    assert article.assigned_to == other
    assert mail.outbox[-1].to == ["bt2@toasoan.vn"]
    inbox = login(other).get("/admin/articles/article/hop-thu/").content.decode()
    assert article.title in inbox and "Giao cho tôi" in inbox


def test_a_save_names_what_changed_in_the_history(editor):
    article = factories.article(status=Status.DRAFT)
    login(editor).post(change_url(article), form_data(article, title="Tít mới"))
    comment = Version.objects.get_for_object(article).latest("pk").revision.comment
    assert comment == "Sửa tiêu đề"


# --- one caption per use ---------------------------------------------------------------


def test_a_photo_keeps_each_storys_caption(editor):
    photo = factories.photo(caption="Chú thích mặc định.", credit="TTXVN")
    first = factories.article(status=Status.DRAFT)
    services.attach_photos(article=first, photos=[photo], user=editor)
    first.refresh_from_db()
    second = factories.article(status=Status.DRAFT)
    client = login(editor)
    editor_body = (
        f'<p>Bài hai.</p><figure class="image"><img src="{body.editor_src(photo)}">'
        "<figcaption>Chú thích riêng của bài hai. (Ảnh: TTXVN)</figcaption></figure>"
    )
    client.post(change_url(second), form_data(second, body=editor_body))
    second.refresh_from_db()
    first.refresh_from_db()
    photo.refresh_from_db()
    assert (
        body.figure_captions(second.body)[photo.pk][0] == "Chú thích riêng của bài hai."
    )
    assert body.figure_captions(first.body)[photo.pk][0] == "Chú thích mặc định."
    assert photo.caption == "Chú thích mặc định."
    # The photo row shows this story's caption, read-only (edited under the image).
    page = client.get(change_url(second)).content.decode()
    assert 'value="Chú thích riêng của bài hai."' in page
    row = page[page.index('name="articlephoto_set-0-caption"') - 300 :][:600]
    assert "disabled" in row


def test_the_photo_picker_finds_photos_without_diacritics(editor):
    from django.core.files.base import ContentFile

    photo = factories.photo(caption="Công trí tại Bến Tre.")
    photo.image.save("a.jpg", ContentFile(factories.image_bytes()))
    factories.photo(caption="Ảnh khác.", credit="TTXVN").image.save(
        "b.jpg", ContentFile(factories.image_bytes())
    )
    found = (
        login(editor).get("/admin/articles/article/anh/tim/", {"q": "cong tri"}).json()
    )
    assert [p["caption"] for p in found["photos"]] == ["Công trí tại Bến Tre."]
    assert "?anh=" in found["photos"][0]["src"]


def test_deleting_a_photo_in_use_is_refused_then_done_as_removal(editor, media):
    chief = factories.member("Tổng biên tập", "tbt")
    photo = factories.photo(caption="Ảnh dùng chung.")
    stories = [
        factories.article(status=Status.PUBLISHED, title="Bài đã đăng"),
        factories.article(status=Status.DRAFT, title="Bài nháp"),
    ]
    for story in stories:
        services.attach_photos(article=story, photos=[photo])
    client = login(chief)
    url = f"/admin/articles/photo/{photo.pk}/delete/"
    page = client.get(url).content.decode()
    assert "đang được dùng trong 2 bài" in page
    assert 'Bài đã đăng</a> <strong class="is-published">(đã xuất bản)' in page
    client.post(url, {"post": "yes"})  # Django's own confirmation: still refused
    assert Photo.objects.filter(pk=photo.pk).exists()
    client.post(url, {"go_khoi_bai": "1"})
    assert not Photo.objects.filter(pk=photo.pk).exists()
    for story in stories:
        story.refresh_from_db()
        assert body.photo_ids(story.body) == [] and "Ảnh dùng chung." not in story.body
        response = client.post(change_url(story), form_data(story))
        assert response.status_code == 302


def test_a_figure_of_a_deleted_photo_never_blocks_saving(editor):
    article = factories.article(status=Status.DRAFT)
    gone = (
        '<p>Đoạn.</p><figure class="image"><img src="/media/x.jpg?anh=987654">'
        "<figcaption>Ảnh đã xóa.</figcaption></figure>"
    )
    response = login(editor).post(
        change_url(article), form_data(article, body=gone), follow=True
    )
    assert (
        "Đã bỏ khỏi nội dung 1 ảnh không còn trong thư viện"
        in response.content.decode()
    )
    article.refresh_from_db()
    assert article.body == "<p>Đoạn.</p>"


# --- finding stories ---------------------------------------------------------------------


def test_admin_search_covers_body_and_authors_without_diacritics(editor):
    factories.article(title="Một", body="<p>Đoàn công tác tại Cà Mau.</p>")
    by_author = factories.article(title="Hai")
    by_author.articleauthor_set.create(author=factories.author("Minh Châu"))
    factories.article(title="Ba")
    client = login(editor)
    page = client.get("/admin/articles/article/", {"q": "ca mau"}).content.decode()
    assert ">Một</a>" in page and ">Ba</a>" not in page
    page = client.get("/admin/articles/article/", {"q": "minh chau"}).content.decode()
    assert ">Hai</a>" in page and ">Một</a>" not in page
    page = client.get("/admin/articles/article/", {"q": "cong ta"}).content.decode()
    assert ">Một</a>" in page  # the start of a word is enough
    for odd in ("c++ & | ! :*", "'\"", "10/11"):
        assert client.get("/admin/articles/article/", {"q": odd}).status_code == 200


def test_a_new_story_not_saved_yet_is_autosaved_and_offered_back(reporter):
    client = login(reporter)
    response = client.post(
        "/admin/articles/article/tu-luu/",
        form_data(title="Bài chưa lưu lần nào", body="<p>Mới gõ.</p>"),
    )
    assert response.json()["ok"]
    page = client.get("/admin/articles/article/add/").content.decode()
    assert "Có bản tự lưu mới hơn lúc" in page
    restored = client.get("/admin/articles/article/add/?ban-tu-luu=1").content.decode()
    assert "Bài chưa lưu lần nào" in restored and "Mới gõ." in restored
    client.post("/admin/articles/article/add/", form_data(title="Bài chưa lưu lần nào"))
    assert Article.objects.filter(title="Bài chưa lưu lần nào").exists()
    assert not WorkingCopy.objects.exists()


def test_a_step_that_does_not_fit_the_status_says_why(editor):
    article = factories.article(status=Status.PUBLISHED)
    response = login(editor).post(
        change_url(article), form_data(article, _buoc="submit")
    )
    assert "Bài đang ở trạng thái “Đã xuất bản” nên không thể “Gửi duyệt”." in (
        response.content.decode()
    )


def test_the_change_form_has_one_preview_and_one_history_button(editor):
    article = factories.article(status=Status.DRAFT)
    page = login(editor).get(change_url(article)).content.decode()
    assert page.count(">Xem trước<") == 1 and page.count(">Các phiên bản<") == 1
    assert "Xem trên trang web" not in page and "/history/" not in page


def test_a_post_without_any_session_keeps_nothing_in_a_new_one(reporter):
    article = factories.article(status=Status.DRAFT, created_by=reporter)
    client = Client()
    client.post(change_url(article), form_data(article, body="<p>Lạ.</p>"))
    assert "sessionid" not in client.cookies or not client.session.get(
        "toa_soan_ban_cuu"
    )


def test_a_refused_save_shows_the_users_text_without_offering_a_copy(editor):
    article = factories.article(status=Status.DRAFT)
    other = login(factories.member("Biên tập viên", "bt2"))
    opened = article.version
    other.post(change_url(article), form_data(article, body="<p>Của người khác.</p>"))
    page = (
        login(editor)
        .post(
            change_url(article),
            form_data(article, version=opened, body="<p>Của tôi.</p>"),
        )
        .content.decode()
    )
    assert "Của tôi." in page and "Có bản tự lưu mới hơn" not in page
