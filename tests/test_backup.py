"""Back up, wipe, restore: the site serves the same pages, with everything an export drops."""

import io
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from reversion.models import Version

from articles import body, services
from articles.models import Article, Author, Photo
from articles.photos.intake import store_photo_file

from . import factories


def _pages(article, photo) -> dict[str, bytes]:
    reader = Client()
    urls = [
        "/",
        article.get_absolute_url(),
        "/tac-gia/cong-tri/",
        f"/media/{photo.image.name}",
    ]
    pages = {}
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        pages[url] = b"".join(response) if response.streaming else response.content
    return pages


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_serves_the_same_site(tmp_path, media, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    photo = Photo(caption="Quang cảnh.", alt_text="Hội trường", credit="TTXVN")
    store_photo_file(photo, io.BytesIO(factories.image_bytes()), "a.jpg")
    photo.save()
    unused = factories.photo(caption="Ảnh trong thư viện, chưa dùng")
    author = factories.author("Công Trí", bio="Phóng viên thường trú tại Bến Tre.")
    article = Article(
        category=factories.category("Thời sự"), title="Tin có ảnh", status="published",
        body="<p>Một.</p>" + body.photo_figure(photo.pk, photo.caption, photo.credit),
        featured_photo=photo,
    )  # fmt: skip
    services.save_article(article=article, byline=[author])
    User.objects.create_user("bientap", password="x", is_staff=True)
    before = _pages(article, photo)
    assert all(before.values())

    call_command("backup_site", str(tmp_path / "sao-luu"), stdout=io.StringIO())
    # Everything goes: rows and files.
    Article.objects.all().delete()
    Photo.objects.all().delete()
    Author.objects.all().delete()
    User.objects.all().delete()
    shutil.rmtree(media)
    assert Client().get(article.get_absolute_url()).status_code == 404

    call_command(
        "backup_site", str(tmp_path / "sao-luu"), restore=True, stdout=io.StringIO()
    )
    assert _pages(article, photo) == before
    assert User.objects.filter(username="bientap").exists()
    assert Author.objects.get(name="Công Trí").bio.startswith("Phóng viên thường trú")
    assert Photo.objects.get(pk=photo.pk).alt_text == "Hội trường"
    assert Photo.objects.filter(pk=unused.pk).exists()
    assert Version.objects.get_for_object(Article.objects.get(pk=article.pk)).exists()


@pytest.mark.django_db
def test_a_backup_never_overwrites_and_a_restore_needs_a_backup(tmp_path):
    (tmp_path / "day").mkdir()
    (tmp_path / "day" / "khac.txt").write_text("x")
    with pytest.raises(CommandError) as refused:
        call_command("backup_site", str(tmp_path / "day"), stdout=io.StringIO())
    assert "thư mục đã có tệp" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("backup_site", str(tmp_path / "trong"), restore=True)
    assert "không có bản sao lưu" in str(refused.value)
