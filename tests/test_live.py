"""Live coverage ("Tường thuật trực tiếp"): entries from several editors at once,
newest first on the page, the small answer its open pages poll, LiveBlogPosting."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from articles import services
from articles.choices import Status
from articles.models import LiveEntry

from . import factories
from .test_admin import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _live_story(**fields):
    return factories.article(
        "Bão số 9: tường thuật trực tiếp",
        live_started_at=timezone.now() - timedelta(hours=1),
        **fields,
    )


def test_two_editors_add_entries_at_once_and_readers_see_them_newest_first(
    editor, django_capture_on_commit_callbacks, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 300
    story = _live_story()
    second = factories.member("Biên tập viên", "bt2")
    reader = Client()
    assert reader.get(f"/truc-tiep/{story.pk}.json").json()["entries"] == []
    url = f"/admin/articles/article/{story.pk}/truc-tiep/"
    with django_capture_on_commit_callbacks(execute=True):
        login(editor).post(url, {"kind": "text", "text": "Bão đã vào bờ biển Đà Nẵng."})
    with django_capture_on_commit_callbacks(execute=True):
        response = login(second).post(
            url,
            {
                "kind": "quote",
                "text": "Mọi người ở yên trong nhà.",
                "quote_by": "Chủ tịch tỉnh",
            },
        )
    assert response.status_code == 302
    assert LiveEntry.objects.count() == 2
    page = reader.get(story.get_absolute_url()).content.decode()
    first, later = page.index("Mọi người ở yên"), page.index("Bão đã vào bờ")
    assert first < later  # newest first
    assert "— Chủ tịch tỉnh" in page and "js/live.js" in page
    answer = reader.get(f"/truc-tiep/{story.pk}.json").json()
    assert [e["html"].count("live-entry") for e in answer["entries"]] == [1, 1]
    assert "Mọi người ở yên" in answer["entries"][0]["html"]


def test_live_json_ld_is_a_live_blog_posting_with_its_updates():
    """Google's live coverage: LiveBlogPosting with coverageStartTime and
    coverageEndTime, each update a BlogPosting with headline, datePublished
    and articleBody."""
    story = _live_story()
    photo = factories.photo(caption="Sóng lớn", credit="TTXVN")
    photo.image.save("song.jpg", ContentFile(factories.image_bytes()))
    for kind, fields in (
        ("text", {"text_value": "Gió giật cấp 12."}),
        ("photo", {"photo": photo}),
        (
            "embed",
            {
                "url": "https://www.facebook.com/baochinhphu/posts/1",
                "text_value": "Cập nhật của Báo Chính phủ",
            },
        ),
    ):
        services.add_live_entry(article=story, user=None, kind=kind, **fields)
    page = Client().get(story.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] < data["coverageEndTime"]
    assert len(data["liveBlogUpdate"]) == 3
    for update in data["liveBlogUpdate"]:
        assert update["@type"] == "BlogPosting"
        assert update["headline"] and update["articleBody"] and update["datePublished"]
        assert len(update["headline"]) <= 110
    assert (
        'class="link-card" href="https://www.facebook.com/baochinhphu/posts/1"' in page
    )
    assert "<picture>" in page or 'src="/media/' in page
    assert "facebook.net" not in page  # a link card, not the network's script


def test_what_cannot_be_an_entry_is_refused(reporter, editor):
    plain = factories.article("Bài thường")
    with pytest.raises(services.ServiceError):
        services.add_live_entry(article=plain, user=editor, kind="text", text_value="x")
    story = _live_story()
    with pytest.raises(services.PermissionRefused):
        services.add_live_entry(
            article=story, user=reporter, kind="text", text_value="x"
        )
    for kind, fields in (
        ("text", {}),
        ("embed", {"url": "javascript:alert(1)"}),
        ("photo", {}),
    ):
        with pytest.raises(services.ServiceError):
            services.add_live_entry(article=story, user=editor, kind=kind, **fields)
    page = login(editor).post(
        f"/admin/articles/article/{story.pk}/truc-tiep/", {"kind": "text", "text": " "}
    )
    assert "Hãy viết nội dung diễn biến." in page.content.decode()
    draft = factories.article(
        "Nháp", status=Status.DRAFT, live_started_at=timezone.now()
    )
    assert Client().get(f"/truc-tiep/{draft.pk}.json").status_code == 404
    assert not LiveEntry.objects.exists()
