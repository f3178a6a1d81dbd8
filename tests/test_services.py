"""The write services: the one path for every change to an article."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles import body, services
from articles.choices import Status
from articles.models import Article, ArticleAuthor

from . import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_publishing_without_a_time_means_now_and_keeps_a_set_time(editor):
    article = factories.article(status=Status.REVIEW)
    before = timezone.now()
    services.publish(article=article, user=editor)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.published_at >= before
    set_time = timezone.now() - timedelta(days=3)
    old = factories.article(status=Status.DRAFT, published_at=set_time)
    services.publish(article=old, user=editor)
    old.refresh_from_db()
    assert old.published_at == set_time


def test_a_reporter_cannot_publish_schedule_unpublish_or_archive(reporter):
    own = factories.article(status=Status.REVIEW, created_by=reporter)
    later = timezone.now() + timedelta(hours=2)
    for change in (
        lambda: services.publish(article=own, user=reporter),
        lambda: services.schedule(article=own, user=reporter, at=later),
        lambda: services.unpublish(article=own, user=reporter),
        lambda: services.archive(article=own, user=reporter),
        lambda: services.return_to_reporter(article=own, user=reporter),
    ):
        with pytest.raises(services.PermissionRefused) as refused:
            change()
        assert "quyền" in refused.value.message
    own.refresh_from_db()
    assert own.status == Status.REVIEW


def test_a_reporter_submits_their_own_draft_and_nobody_elses(reporter, editor):
    own = factories.article(status=Status.DRAFT, created_by=reporter)
    services.submit_for_review(article=own, user=reporter)
    own.refresh_from_db()
    assert own.status == Status.REVIEW
    theirs = factories.article(status=Status.DRAFT, created_by=editor)
    with pytest.raises(services.PermissionRefused):
        services.submit_for_review(article=theirs, user=reporter)


def test_schedule_refuses_a_time_already_past(editor):
    article = factories.article(status=Status.REVIEW)
    with pytest.raises(services.ServiceError) as refused:
        services.schedule(
            article=article, user=editor, at=timezone.now() - timedelta(minutes=1)
        )
    assert "đã qua" in refused.value.message
    later = timezone.now() + timedelta(hours=1)
    services.schedule(article=article, user=editor, at=later)
    assert Article.objects.scheduled().filter(pk=article.pk).exists()
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_each_transition_is_a_revision_saying_who_and_what(editor):
    article = factories.article(status=Status.REVIEW)
    services.return_to_reporter(article=article, user=editor, note="Thiếu nguồn ảnh")
    services.publish(article=article, user=editor)
    revisions = [
        (v.revision.user, v.revision.comment)
        for v in Version.objects.get_for_object(article).order_by("pk")
    ]
    assert revisions == [
        (editor, "Trả lại phóng viên: Thiếu nguồn ảnh"),
        (editor, "Xuất bản"),
    ]


def test_a_save_over_a_newer_version_is_refused(editor):
    article = factories.article(status=Status.DRAFT)
    opened = article.version
    article.title = "Bản của người một"
    services.save_article(article=article, user=editor, expected_version=opened)
    stale = Article.objects.get(pk=article.pk)
    stale.title = "Bản của người hai"
    with pytest.raises(services.StaleEdit):
        services.save_article(article=stale, user=editor, expected_version=opened)
    assert Article.objects.get(pk=article.pk).title == "Bản của người một"


def _story_with_everything():
    """A story with two authors, three photos, tags, related stories, a featured photo."""
    section = factories.category("Chính phủ hành động")
    photos = [factories.photo(caption=f"Ảnh {i}.") for i in range(3)]
    article = Article(
        category=section,
        title="Bến Tre đẩy mạnh cải cách hành chính",
        lead="Sapo bản đầu.",
        body="<p>Đoạn đầu.</p>"
        + "".join(body.photo_figure(p.pk, p.caption, "TTXVN") for p in photos),
        location="Bến Tre",
        agency="TTXVN",
        featured_photo=photos[1],
        status=Status.PUBLISHED,
    )
    authors = [factories.author("Công Trí"), factories.author("Minh Châu")]
    tags = [factories.tag("Cải cách hành chính"), factories.tag("Bến Tre")]
    related = [factories.article("Bài liên quan một"), factories.article("Bài hai")]
    services.save_article(article=article, tags=tags, related=related, byline=authors)
    return article, photos, authors, tags, related


def test_restore_brings_back_the_whole_story_and_keeps_its_status(admin_client):
    article, photos, authors, tags, related = _story_with_everything()
    first = Version.objects.get_for_object(article).get()
    published_at = Article.objects.get(pk=article.pk).published_at
    # Someone rewrites it: another section, byline, tags, links, photo.
    article = Article.objects.get(pk=article.pk)
    article.title = "Tiêu đề viết lại"
    article.lead = "Sapo viết lại."
    article.category = factories.category("Kinh tế")
    article.body = "<p>Viết lại.</p>" + body.photo_figure(photos[0].pk, "Khác.", "")
    article.featured_photo = photos[0]
    article.location = ""
    services.save_article(
        article=article,
        tags=[factories.tag("Chủ đề khác")],
        related=[],
        byline=[authors[1]],
    )

    url = f"/admin/articles/article/{article.pk}/phien-ban/{first.pk}/khoi-phuc/"
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Khôi phục phiên bản này" in page  # asks before doing anything
    changes = page[page.index('id="restore-changes"') :]
    for back in ("Bến Tre đẩy mạnh cải cách hành chính", "Chính phủ hành động"):
        assert f"<ins>{back}</ins>" in changes
    assert "<ins>Công Trí,</ins> Minh Châu" in changes  # the byline, in order
    assert Article.objects.get(pk=article.pk).title == "Tiêu đề viết lại"

    assert admin_client.post(url).status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert restored.title == "Bến Tre đẩy mạnh cải cách hành chính"
    assert restored.category.name == "Chính phủ hành động"
    assert (restored.lead, restored.location) == ("Sapo bản đầu.", "Bến Tre")
    assert restored.byline == authors  # in order
    assert set(restored.tags.all()) == set(tags)
    assert set(restored.related.all()) == set(related)
    assert restored.featured_photo == photos[1]
    assert list(restored.photos.order_by("articlephoto__order")) == photos
    assert (restored.status, restored.published_at) == (Status.PUBLISHED, published_at)
    latest = Version.objects.get_for_object(restored).order_by("-pk").first()
    assert latest.revision.comment.startswith("Khôi phục phiên bản lưu lúc ")

    # The restored revision and the one it came from compare equal…
    diff = admin_client.get(
        f"/admin/articles/article/{article.pk}/phien-ban/so-sanh/",
        {"a": first.pk, "b": latest.pk},
    ).content.decode()
    assert "Hai phiên bản giống nhau." in diff
    # …and the public page shows what the revision held.
    html = Client().get(restored.get_absolute_url()).content.decode()
    assert "Bến Tre đẩy mạnh cải cách hành chính" in html
    assert "Công Trí" in html and "Minh Châu" in html
    assert html.count('<figure class="photo"') == 3


def test_restore_leaves_out_what_was_deleted_since(admin_client):
    article, photos, authors, _, _ = _story_with_everything()
    first = Version.objects.get_for_object(article).get()
    ArticleAuthor.objects.filter(author=authors[0]).delete()
    authors[0].delete()
    photos[2].delete()
    url = f"/admin/articles/article/{article.pk}/phien-ban/{first.pk}/khoi-phuc/"
    assert admin_client.post(url).status_code == 302
    restored = Article.objects.get(pk=article.pk)
    assert restored.byline == [authors[1]]
    assert body.photo_ids(restored.body) == [photos[0].pk, photos[1].pk]


def test_restore_is_refused_to_a_reporter_on_a_published_story(reporter):
    article, *_ = _story_with_everything()
    version = Version.objects.get_for_object(article).get()
    client = Client()
    client.force_login(reporter)
    url = f"/admin/articles/article/{article.pk}/phien-ban/{version.pk}/khoi-phuc/"
    assert client.post(url).status_code == 403


def test_only_the_choices_module_and_services_know_statuses_and_publication_time():
    """The workflow's status strings and "now" as a publication time are written
    in one place each; everything else names ``Status`` and calls services."""
    literal = re.compile(r"""["'](draft|review|published|archived)["']""")
    now_as_time = re.compile(
        r"published_at\s*=\s*timezone\.now\(\)|return timezone\.now\(\)"
    )
    allowed_literals = {ROOT / "articles" / "choices.py"}
    allowed_now = {ROOT / "articles" / "services.py"}
    found_literals, found_now = [], []
    for path in [*ROOT.glob("articles/**/*.py"), *ROOT.glob("newsroom/**/*.py")]:
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        if path not in allowed_literals and literal.search(source):
            found_literals.append(str(path.relative_to(ROOT)))
        if path not in allowed_now and now_as_time.search(source):
            found_now.append(str(path.relative_to(ROOT)))
    assert found_literals == [] and found_now == []


def test_photos_are_attached_at_the_end_and_detached_everywhere(editor):
    first, second = factories.photo(caption="Một."), factories.photo(caption="Hai.")
    article = factories.article(status=Status.DRAFT, body="<p>Đoạn.</p>")
    services.attach_photos(article=article, photos=[first, second], user=editor)
    article.refresh_from_db()
    assert body.photo_ids(article.body) == [first.pk, second.pk]
    assert "Một." in article.body
    assert list(article.photos.order_by("articlephoto__order")) == [first, second]
    article.featured_photo = first
    services.save_article(article=article, user=editor)
    services.detach_photo(article=article, photo=first, user=editor)
    article.refresh_from_db()
    assert body.photo_ids(article.body) == [second.pk]
    assert article.featured_photo is None and list(article.photos.all()) == [second]


def test_a_caption_typed_in_the_editor_is_found_by_the_library_search(admin_client):
    photo = factories.photo(caption="", credit="")
    services.fill_photo_blanks(
        [
            {
                "id": photo.pk,
                "caption": "Quang cảnh Bến Tre.",
                "credit": "Công trí",
                "alt": "",
            }
        ]
    )
    page = admin_client.get("/admin/articles/photo/", {"q": "quang canh ben tre"})
    assert f"/admin/articles/photo/{photo.pk}/change/" in page.content.decode()
