"""Embargoes ("cấm đăng trước") and corrections ("Đính chính", "Cập nhật"):
written by the services, refused whoever asks, shown to readers with their time."""

import json
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from articles import services
from articles.choices import Status
from articles.models import Article, Correction
from articles.text import format_datetime_vi

from . import factories
from .test_admin import change_url, form_data, login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def chief(db):
    return factories.member("Tổng biên tập", "tbt")


def _until_fields(until) -> dict:
    """The admin's two boxes of the embargo time, in Hà Nội time."""
    local = timezone.localtime(until)
    return {
        "embargo_until_0": local.strftime("%d/%m/%Y"),
        "embargo_until_1": local.strftime("%H:%M:%S"),
    }


def _embargoed(hours=2, **fields):
    until = (timezone.now() + timedelta(hours=hours)).replace(microsecond=0)
    return factories.article(
        "Tin cấm đăng", status=Status.DRAFT, embargo_until=until, **fields
    ), until


# --- embargo ---------------------------------------------------------------


def test_nobody_publishes_before_the_embargo_and_the_message_says_when(chief):
    article, until = _embargoed()
    with pytest.raises(services.ServiceError) as refused:
        services.publish(article=article, user=chief)
    assert format_datetime_vi(until) in refused.value.message
    with pytest.raises(services.ServiceError):
        services.schedule(article=article, user=chief, at=until - timedelta(minutes=1))
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    # Through the admin: the form says the same, and nothing moves.
    client = login(chief)
    response = client.post(
        change_url(article),
        form_data(article, _buoc="publish", **_until_fields(until)),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert format_datetime_vi(until) in page and "không ai được xuất bản" in page
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_one_click_schedules_it_for_its_embargo_and_it_goes_out_by_itself(chief):
    article, until = _embargoed()
    client = login(chief)
    page = client.get(change_url(article)).content.decode()
    assert 'value="schedule_embargo"' in page and "Hẹn giờ lúc hết cấm đăng" in page
    listing = client.get("/admin/articles/article/?cam_dang=con").content.decode()
    assert "Tin cấm đăng" in listing and "embargo-countdown" in listing
    assert re.search(r"còn 1 giờ 5\d phút", listing)

    client.post(
        change_url(article),
        form_data(article, _buoc="schedule_embargo", **_until_fields(until)),
    )
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.published_at == until
    assert not Article.objects.published().filter(pk=article.pk).exists()
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 404
    with time_machine.travel(until + timedelta(seconds=1)):
        assert Article.objects.published().filter(pk=article.pk).exists()
        assert reader.get(article.get_absolute_url()).status_code == 200


def test_a_published_story_cannot_be_given_an_embargo_still_ahead(chief):
    article = factories.article("Đã đăng")
    article.embargo_until = timezone.now() + timedelta(hours=1)
    with pytest.raises(services.ServiceError):
        services.save_article(article=article, user=chief)
    assert Article.objects.get(pk=article.pk).embargo_until is None


def test_after_the_embargo_a_publish_goes_out_now_not_at_the_agencys_time(chief):
    long_ago = timezone.now() - timedelta(days=1)
    article = factories.article(
        "Tin hết cấm đăng",
        status=Status.DRAFT,
        published_at=long_ago,
        embargo_until=timezone.now() - timedelta(minutes=5),
    )
    services.publish(article=article, user=chief)
    article.refresh_from_db()
    assert article.published_at > timezone.now() - timedelta(minutes=1)


def test_an_import_reads_the_embargo_and_schedules_for_it(tmp_path):
    from .test_import_export import export, run

    until = "2099-01-02T10:00:00+07:00"
    path = tmp_path / "tin.txt"
    path.write_text(
        f"---\nembargo_until: {until}\nstatus: published\n---\n"
        "Thời sự\n\nTin của hãng cấm đăng\n\nSapo.\n\nThân bài.\n",
        encoding="utf-8",
    )
    code, _, err = run(path)
    assert code == 0, err
    (record,) = export()
    assert record["embargo_until"] == until
    assert record["published_at"] == until  # scheduled for it, not out now
    assert not Article.objects.published().exists()


def test_an_embargoed_storys_photos_are_not_public(chief):
    photo = factories.photo(caption="Ảnh")
    from django.core.files.base import ContentFile

    photo.image.save("anh.jpg", ContentFile(factories.image_bytes()))
    article, until = _embargoed(featured_photo=photo)
    services.schedule(article=article, user=chief, at=until)
    url = photo.image.url
    assert Client().get(url).status_code == 404
    with time_machine.travel(until + timedelta(seconds=1)):
        assert Client().get(url).status_code == 200


# --- corrections -------------------------------------------------------------


def test_a_correction_is_shown_with_its_time_everywhere_readers_look(editor):
    article = factories.article("Bài có sai sót", lead="Sapo của bài.")
    version = article.version
    client = login(editor)
    response = client.post(
        change_url(article),
        form_data(
            article,
            _buoc="correction",
            dinh_chinh_loai="correction",
            dinh_chinh="Bài viết trước đây ghi nhầm số xã là 12; đúng là 21.",
        ),
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    article.refresh_from_db()
    assert article.version == version + 2  # the save, then the correction
    assert article.revised_at == correction.created_at
    when = format_datetime_vi(correction.created_at)

    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Đính chính" in page and when in page and "đúng là 21" in page
    data = json.loads(
        re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["correction"][0]["@type"] == "CorrectionComment"
    assert "đúng là 21" in data["correction"][0]["text"]
    assert data["dateModified"] == data["correction"][0]["datePublished"]

    listing = Client().get("/dinh-chinh/").content.decode()
    assert "Bài có sai sót" in listing and "đúng là 21" in listing and when in listing
    feed = Client().get("/rss/").content.decode()
    assert f"Đính chính ({when}): Bài viết trước đây ghi nhầm" in feed

    # The history says what happened, and the text itself was not rewritten.
    from reversion.models import Version

    comments = [v.revision.comment for v in Version.objects.get_for_object(article)]
    assert any(c.startswith("Đính chính: Bài viết trước đây") for c in comments)
    assert article.lead == "Sapo của bài."


def test_an_update_is_no_correction_in_json_ld_and_drafts_take_none(editor):
    article = factories.article("Bài có tin mới")
    services.add_correction(
        article=article, user=editor, kind="update", note="Thêm số liệu mới nhất."
    )
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "Cập nhật" in page and "Thêm số liệu mới nhất." in page
    assert '"correction"' not in page
    draft = factories.article("Bản nháp", status=Status.DRAFT)
    with pytest.raises(services.ServiceError):
        services.add_correction(article=draft, user=editor, kind="correction", note="x")
    with pytest.raises(services.ServiceError):
        services.add_correction(
            article=article, user=editor, kind="correction", note=" "
        )


def test_reporters_cannot_add_corrections(reporter):
    article = factories.article("Bài")
    with pytest.raises(services.PermissionRefused):
        services.add_correction(
            article=article, user=reporter, kind="correction", note="Sửa."
        )
    assert not Correction.objects.exists()


# --- breaking news -------------------------------------------------------------


def test_the_breaking_banner_comes_and_goes_with_its_time_past_cached_pages(
    settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    reader = Client()
    home = reader.get("/").content.decode()
    assert 'id="tin-nong"' in home and "js/breaking.js" in home
    assert reader.get("/tin-nong.json").json() == {}

    factories.article(
        "Bản nháp nóng",
        status=Status.DRAFT,
        breaking_until=timezone.now() + timedelta(hours=1),
    )
    story = factories.article("Bão số 9 đổ bộ")
    until = timezone.now() + timedelta(minutes=10)
    story.breaking_until = until
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=story)
    answer = reader.get("/tin-nong.json")
    assert answer.json()["title"] == "Bão số 9 đổ bộ"
    assert answer.json()["url"] == story.get_absolute_url()
    assert "max-age=2" in answer["Cache-Control"]
    # The banner is not part of a page: a page cached before shows it all the same.
    assert '<a href="/"></a>' in home
    with time_machine.travel(until + timedelta(seconds=1)):
        assert reader.get("/tin-nong.json").json() == {}


def test_a_scheduled_story_is_on_cached_pages_at_its_time_not_at_their_expiry(
    settings,
):
    import datetime as dt

    settings.NEWSROOM_PAGE_CACHE_SECONDS = 3600
    # Both moments inside one hour of the page cache's clock.
    start = (int(time.time()) // 3600 + 1) * 3600 + 60
    at = dt.datetime.fromtimestamp(start + 600, tz=dt.UTC)
    factories.article("Tin đã đăng")
    factories.article("Tin hẹn giờ đúng lúc", published_at=at)
    reader = Client()
    with time_machine.travel(start, tick=False):
        assert "Tin hẹn giờ đúng lúc" not in reader.get("/").content.decode()
        assert reader.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(start + 599, tick=False):
        assert reader.get("/")["X-Page-Cache"] == "hit"
    with time_machine.travel(start + 601, tick=False):
        page = reader.get("/")
        assert page["X-Page-Cache"] == "miss"
        assert "Tin hẹn giờ đúng lúc" in page.content.decode()
