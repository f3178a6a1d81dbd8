"""The editors' newsroom: roles, workflow, concurrent edits, revisions, uploads, list."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import body, services
from articles.models import Article, Photo

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(article: Article | None = None, **changes) -> dict:
    """The POST the article form sends: its fields and empty inlines."""
    category = article.category if article else factories.category()
    data = {
        "category": category.pk,
        "title": article.title if article else "Bài mới của phóng viên",
        "slug": article.slug if article else "",
        "lead": article.lead if article else "Sapo.",
        "body": article.body if article else "<p>Thân bài.</p>",
        "location": "",
        "agency": "",
        "external_id": "",
        "source_url": "",
        "version": article.version if article else "",
        "articleauthor_set-TOTAL_FORMS": "0",
        "articleauthor_set-INITIAL_FORMS": "0",
        "articlephoto_set-TOTAL_FORMS": "0",
        "articlephoto_set-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


ADD = "/admin/articles/article/add/"


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_reporter_writes_a_draft_and_submits_it_for_review(reporter):
    client = login(reporter)
    response = client.post(ADD, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert (article.status, article.created_by) == ("draft", reporter)
    response = client.post(change_url(article), form_data(article, _buoc="submit"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "review"


@pytest.mark.parametrize("step", ["publish", "archive", "schedule"])
def test_reporter_crafted_publish_post_is_refused(reporter, step):
    client = login(reporter)
    client.post(ADD, form_data())
    article = Article.objects.get()
    response = client.post(
        change_url(article), form_data(article, _buoc=step, status="published")
    )
    assert response.status_code == 200  # the form again, with an error
    assert "Bạn không có quyền xuất bản, hẹn giờ, gỡ hay trả bài." in (
        response.content.decode()
    )
    article.refresh_from_db()
    assert article.status == "draft"
    assert not Article.objects.published().exists()


def test_reporter_cannot_publish_through_a_bulk_action(reporter):
    client = login(reporter)
    client.post(ADD, form_data())
    article = Article.objects.get()
    client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == "draft"


def test_reporter_cannot_edit_someone_elses_or_a_published_story(reporter, editor):
    theirs = factories.article(status="draft", created_by=editor)
    mine = factories.article(status="published", created_by=reporter)
    client = login(reporter)
    for article in (theirs, mine):
        response = client.post(
            change_url(article), form_data(article, title="Sửa trộm")
        )
        assert response.status_code == 403
        article.refresh_from_db()
        assert article.title != "Sửa trộm"


def test_editor_publishes_and_schedules(editor):
    article = factories.article(status="review")
    client = login(editor)
    response = client.post(change_url(article), form_data(article, _buoc="publish"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None
    later = timezone.localtime() + timedelta(days=1)
    other = factories.article(status="review")
    client.post(
        change_url(other),
        form_data(
            other,
            _buoc="schedule",
            published_at_0=later.strftime("%d/%m/%Y"),
            published_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    other.refresh_from_db()
    assert other.status == "published" and other.published_at > timezone.now()
    listing = client.get("/admin/articles/article/").content.decode()
    assert "status-scheduled" in listing and "Hẹn giờ" in listing


def test_bulk_actions_report_what_they_did(editor):
    articles = [factories.article(status="review") for _ in range(3)]
    client = login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )
    assert "Đã xuất bản: 3 bài." in response.content.decode()
    assert Article.objects.published().count() == 3
    client.post(
        "/admin/articles/article/",
        {"action": "archive", "_selected_action": [articles[0].pk]},
    )
    assert Article.objects.published().count() == 2


def test_move_category_action(editor):
    articles = [factories.article() for _ in range(2)]
    target = factories.category("Địa phương")
    client = login(editor)
    response = client.post(
        "/admin/articles/article/",
        {"action": "move_category", "_selected_action": [a.pk for a in articles]},
    )
    assert "Chuyển chuyên mục" in response.content.decode()
    client.post(
        "/admin/articles/article/",
        {
            "action": "move_category",
            "apply": "1",
            "category": target.pk,
            "_selected_action": [a.pk for a in articles],
        },
    )
    assert set(Article.objects.values_list("category", flat=True)) == {target.pk}


def test_second_of_two_concurrent_saves_is_refused_and_text_is_kept(editor):
    article = factories.article(status="draft", body="<p>Bản gốc.</p>")
    services.save_article(article=article, user=editor)  # a revision to start from
    article.refresh_from_db()
    other = factories.member(
        "Biên tập viên", "bientap2", first_name="Minh", last_name="Châu"
    )
    first, second = login(other), login(editor)
    opened_at = article.version
    ok = first.post(
        change_url(article), form_data(article, body="<p>Bản của người một.</p>")
    )
    assert ok.status_code == 302
    stale_form = form_data(
        article, version=opened_at, title="Tiêu đề người hai", body=article.body
    )
    stale = second.post(change_url(article), stale_form)
    assert stale.status_code == 200
    page = stale.content.decode()
    assert "vừa được Minh Châu lưu" in page
    assert "Tiêu đề người hai" in page  # what they typed is still in the form
    # …next to what the other save changed, and a way to save over it.
    assert "<del>gốc.</del> <ins>của người một.</ins>" in page
    assert f'name="_ghi_len" value="{opened_at + 1}"' in page
    article.refresh_from_db()
    assert article.body == "<p>Bản của người một.</p>"
    # Saving "mine on top": the title they changed is theirs, the body they
    # left alone keeps the other's new text.
    applied = second.post(
        change_url(article), {**stale_form, "_ghi_len": str(opened_at + 1)}
    )
    assert applied.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề người hai"
    assert article.body == "<p>Bản của người một.</p>"


def test_saving_on_top_of_a_newer_version_is_refused_again_if_it_moved_on(editor):
    article = factories.article(status="draft", body="<p>Bản gốc.</p>")
    other = login(factories.member("Biên tập viên", "bientap2"))
    mine = login(editor)
    opened = article.version
    other.post(change_url(article), form_data(article, body="<p>Một.</p>"))
    article.refresh_from_db()
    other.post(change_url(article), form_data(article, body="<p>Hai.</p>"))
    response = mine.post(
        change_url(article),
        form_data(
            article, version=opened, body="<p>Của tôi.</p>", _ghi_len=str(opened + 1)
        ),
    )
    assert response.status_code == 200  # version 3 now: look again first
    article.refresh_from_db()
    assert article.body == "<p>Hai.</p>"


def test_every_save_keeps_a_revision_that_can_be_compared_and_restored(editor):
    client = login(editor)
    client.post(ADD, form_data(title="Tiêu đề đầu", body="<p>Văn bản đầu.</p>"))
    article = Article.objects.get()
    client.post(
        change_url(article),
        form_data(article, title="Tiêu đề sau", body="<p>Văn bản sau.</p>"),
    )
    page = client.get(
        f"/admin/articles/article/{article.pk}/phien-ban/"
    ).content.decode()
    assert page.count('name="a"') == 2 and "bientapvien" in page
    from reversion.models import Version

    old, new = sorted(Version.objects.get_for_object(article), key=lambda v: v.pk)
    diff = client.get(
        f"/admin/articles/article/{article.pk}/phien-ban/so-sanh/",
        {"a": old.pk, "b": new.pk},
    ).content.decode()
    assert "<del>đầu</del>" in diff and "<ins>sau</ins>" in diff
    response = client.post(
        f"/admin/articles/article/{article.pk}/phien-ban/{old.pk}/khoi-phuc/"
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.body) == ("Tiêu đề đầu", "<p>Văn bản đầu.</p>")
    assert Version.objects.get_for_object(article).count() == 3


def png_bytes(size=(40, 30)) -> bytes:
    return factories.image_bytes("PNG", size)


UPLOAD = "/toa-soan/anh/tai-len/"


def test_editor_upload_creates_a_photo_and_names_it_in_the_url(editor, media):
    client = login(editor)
    response = client.post(
        UPLOAD, {"upload": SimpleUploadedFile("Bến Tre.jpg", png_bytes())}
    )
    assert response.status_code == 200, response.content
    photo = Photo.objects.get()
    # A PNG named .jpg is stored as PNG, under its content hash.
    assert photo.image.name.endswith(f"{photo.image_hash}.png")
    assert (photo.width, photo.height) == (40, 30)
    assert response.json()["url"].endswith(f"?anh={photo.pk}")


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("tai-lieu.jpg", b"%PDF-1.4 not an image", "không phải tệp ảnh"),
        (
            "anh.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
            "không phải tệp ảnh",
        ),
        ("cut.png", png_bytes()[:60], "hỏng"),
    ],
)
def test_upload_refuses_what_is_not_an_image(editor, media, name, content, words):
    response = login(editor).post(UPLOAD, {"upload": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert words in response.json()["error"]["message"]
    assert not Photo.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_upload_refuses_too_large_and_decompression_bombs(editor, media, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = len(png_bytes()) - 1
    response = login(editor).post(
        UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes())}
    )
    assert (
        response.status_code == 400 and "quá lớn" in response.json()["error"]["message"]
    )
    settings.NEWSROOM_IMAGE_MAX_BYTES = 10_000_000
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1000
    response = login(editor).post(
        UPLOAD, {"upload": SimpleUploadedFile("bom.png", png_bytes((200, 200)))}
    )
    assert (
        response.status_code == 400
        and "điểm ảnh" in response.json()["error"]["message"]
    )
    assert not Photo.objects.exists()


def test_upload_needs_staff_permission_and_csrf(media, editor):
    assert (
        Client()
        .post(UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes())})
        .status_code
        == 403
    )
    outsider = User.objects.create_user("ngoai", password="x", is_staff=True)
    assert (
        login(outsider)
        .post(UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes())})
        .status_code
        == 403
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert (
        strict.post(
            UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes())}
        ).status_code
        == 403
    )
    assert not Photo.objects.exists()


def test_photo_in_the_editor_round_trips_to_the_stored_body(editor):
    photo = factories.photo(caption="Quang cảnh.", credit="Công trí/TTXVN")
    stored = "<p>Một.</p>" + body.photo_figure(
        photo.pk, "Quang cảnh.", "Công trí/TTXVN"
    )
    article = factories.article(body=stored, status="draft")
    article.photos.add(photo)
    client = login(editor)
    page = client.get(change_url(article)).content.decode()
    assert f"?anh={photo.pk}" in page and "thieu-anh.svg" in page
    assert "Quang cảnh. (Ảnh: Công trí/TTXVN)" in page
    editor_html = body.to_editor(stored, {photo.pk: photo})
    assert body.from_editor(editor_html)[0] == stored
    client.post(change_url(article), form_data(article, body=editor_html))
    article.refresh_from_db()
    assert article.body == stored


def test_wire_photo_without_image_is_flagged_and_filled_from_the_form(editor, media):
    photo = factories.photo(caption="Chưa có ảnh.")
    article = factories.article(
        body=body.photo_figure(photo.pk, "Chưa có ảnh.", ""), status="draft"
    )
    article.photos.add(photo)
    client = login(editor)
    listing = client.get(
        "/admin/articles/article/", {"thieu_anh": "1"}
    ).content.decode()
    assert "thiếu ảnh" in listing and article.title in listing
    link = article.articlephoto_set.get()
    data = form_data(
        article,
        **{
            "articlephoto_set-TOTAL_FORMS": "1",
            "articlephoto_set-INITIAL_FORMS": "1",
            "articlephoto_set-0-id": link.pk,
            "articlephoto_set-0-article": article.pk,
            "articlephoto_set-0-photo": photo.pk,
            "articlephoto_set-0-caption": "Chưa có ảnh.",
            "articlephoto_set-0-credit": "TTXVN",
            "articlephoto_set-0-order": "0",
            "articlephoto_set-0-image": SimpleUploadedFile("a.png", png_bytes()),
        },
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo.refresh_from_db()
    # The file arrives; the caption fields of a row already in the story are
    # the body's (read-only here), so the library's credit is untouched.
    assert photo.image and photo.credit == "Công trí/TTXVN"
    listing = client.get(
        "/admin/articles/article/", {"thieu_anh": "1"}
    ).content.decode()
    assert 'class="missing-photo"' not in listing
    assert "0 bài viết" in listing or f">{article.title}</a></th>" not in listing


def test_preview_shows_a_draft_to_staff_only_and_is_never_cached(editor):
    article = factories.article("Bản nháp để xem trước", status="draft")
    url = f"/admin/articles/article/{article.pk}/xem-truoc/"
    response = login(editor).get(url)
    assert response.status_code == 200
    assert "Bản nháp để xem trước" in response.content.decode()
    assert (
        "no-cache" in response["Cache-Control"]
        or "max-age=0" in response["Cache-Control"]
    )
    assert Client().get(url).status_code == 302  # to the login page
    assert Client().get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("rows", [10, 100])
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, rows, django_assert_max_num_queries
):
    authors = [factories.author(), factories.author()]
    section = factories.category()
    for _ in range(rows):
        a = factories.article(category=section, authors=authors)
        a.photos.add(factories.photo())
    with CaptureQueriesContext(connection) as ctx:
        response = admin_client.get("/admin/articles/article/")
    assert response.status_code == 200
    assert response.content.decode().count('class="action-select"') == min(rows, 50)
    # Same count for 10 and 100 rows: session, user, count, page, prefetch, filters.
    assert len(ctx.captured_queries) <= 12, [
        q["sql"][:80] for q in ctx.captured_queries
    ]


def test_changelist_queries_equal_for_10_and_100_rows(
    admin_client, django_capture_on_commit_callbacks
):
    def count(rows):
        with django_capture_on_commit_callbacks(execute=True):  # as if committed
            Article.objects.all().delete()
            section = factories.category()
            author = factories.author()
            for _ in range(rows):
                factories.article(category=section, authors=[author])
        with CaptureQueriesContext(connection) as ctx:
            admin_client.get("/admin/articles/article/?all=")  # every row on one page
        return len(ctx.captured_queries)

    assert count(10) == count(100)


def test_admin_speaks_vietnamese_by_default(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Tòa soạn" in page and "Bài viết" in page


def test_admin_speaks_english_only_when_the_user_chooses_it(admin_client):
    factories.article("Bến Tre", status="draft")
    preferred = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Tòa soạn" in preferred  # a browser's preference is not a choice
    admin_client.get("/ngon-ngu/en/?next=/admin/")
    page = admin_client.get("/admin/articles/article/").content.decode()
    assert "Newsroom" in page and "Tòa soạn" not in page
    assert "Draft" in page and "Publish the selected articles" in page
    index = admin_client.get("/admin/").content.decode()
    assert "Articles" in index and "Sections" in index


def test_date_hierarchy_lists_the_years_from_oldest_to_newest(admin_client):
    import datetime as dt

    from articles.text import VN_TZ

    factories.article(published_at=dt.datetime(2021, 5, 1, tzinfo=VN_TZ))
    factories.article(published_at=dt.datetime(2023, 11, 10, 17, 30, tzinfo=VN_TZ))
    page = admin_client.get("/admin/articles/article/").content.decode()
    for year in ("2021", "2022", "2023"):
        assert f"published_at__year={year}" in page
    page = admin_client.get(
        "/admin/articles/article/?published_at__year=2023"
    ).content.decode()
    assert "published_at__month=11" in page and "published_at__month=5" not in page


def test_date_hierarchy_lists_months_and_days_between_the_first_and_last_story(
    admin_client,
):
    """Periods come from the indexed first and last dates, not a scan of rows."""
    import datetime as dt
    import re

    from articles.text import VN_TZ

    for when in [(2023, 2, 3, 9), (2023, 11, 10, 17), (2023, 11, 12, 23)]:
        factories.article(published_at=dt.datetime(*when, 30, tzinfo=VN_TZ))
    # All in one year: the hierarchy opens at the months (Hà Nội time).
    page = admin_client.get("/admin/articles/article/").content.decode()
    months = re.findall(r"published_at__month=(\d+)", page)
    assert [int(m) for m in dict.fromkeys(months)] == list(range(2, 12))
    page = admin_client.get(
        "/admin/articles/article/?published_at__year=2023&published_at__month=11"
    ).content.decode()
    days = re.findall(r"published_at__day=(\d+)", page)
    assert [int(d) for d in dict.fromkeys(days)] == [10, 11, 12]


def test_keeping_the_photo_list_in_step_costs_the_same_for_2_and_12_photos():
    from articles.services import sync_photos

    def count(n):
        photos = [factories.photo() for _ in range(n)]
        article = factories.article(
            body="".join(body.photo_figure(p.pk, p.caption, p.credit) for p in photos)
        )
        sync_photos(article)
        article.body = "".join(
            body.photo_figure(p.pk, p.caption, p.credit) for p in reversed(photos)
        )
        with CaptureQueriesContext(connection) as ctx:
            sync_photos(article)
        orders = dict(article.articlephoto_set.values_list("photo_id", "order"))
        assert orders == {p.pk: n - 1 - i for i, p in enumerate(photos)}
        return len(ctx.captured_queries)

    assert count(2) == count(12)


def test_admin_lists_articles_for_staff_and_searches_without_marks(admin_client):
    factories.article("Kiểm tra tại Bến Tre", status="draft")
    factories.article("Hà Nội mùa thu")
    response = admin_client.get("/admin/articles/article/", {"q": "ben tre"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kiểm tra tại Bến Tre" in html
    assert "Hà Nội mùa thu" not in html
    assert "Tòa soạn" in html


@pytest.mark.parametrize(
    "url",
    [
        "/admin/articles/article/add/",
        "/admin/articles/category/",
        "/admin/articles/author/",
        "/admin/articles/photo/",
        "/admin/articles/tag/",
        "/admin/articles/pendingrelation/",
    ],
)
def test_admin_pages_open(admin_client, url):
    factories.article()
    assert admin_client.get(url).status_code == 200
