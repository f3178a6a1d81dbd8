"""An import writes its rows first and makes the photos' renditions after them.

Until an image's renditions exist its photos have no hash and pages show the
stored file; each image is read and made once however many photos show it.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from articles.importers import jsonl
from articles.importers.loader import Loader
from articles.models import Article, Photo
from articles.photos import renditions

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def stored_image(name: str, color) -> str:
    return default_storage.save(
        f"kho/{name}.jpg",
        ContentFile(factories.image_bytes(size=(1000, 600), color=color)),
    )


def record(i: int, images: list[str]) -> dict:
    body = [{"type": "paragraph", "html": f"Đoạn mở đầu của bài {i}."}]
    body += [
        {"type": "photo", "caption": f"Ảnh {n} của bài {i}.", "credit": "TTXVN",
         "image": image}
        for n, image in enumerate(images)
    ]  # fmt: skip
    return {
        "external_id": f"kho-{i}",
        "category": "Thời sự",
        "title": f"Bài có ảnh số {i}",
        "lead": "Sapo.",
        "body": body,
        "status": "published",
        "published_at": "2023-11-10T08:00:00+07:00",
    }


def drafts(records):
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    return [draft for draft in jsonl.parse_lines(io.BytesIO(data), "kho.jsonl")]


@pytest.mark.django_db(transaction=True)
def test_pages_show_the_stored_file_until_the_renditions_are_made():
    image = stored_image("cau", (30, 90, 160))
    loader = Loader()
    for draft in drafts([record(1, [image])]):
        loader.load(draft)
    loader.flush()  # the rows are committed; the renditions are not made yet
    article = Article.objects.get()
    photo = Photo.objects.get()
    assert photo.image_hash == "" and photo.width == 1000
    page = Client().get(article.get_absolute_url()).content.decode()
    assert f'src="/media/{image}"' in page and "<picture>" not in page
    summary = loader.finish()
    photo.refresh_from_db()
    assert photo.image_hash and summary.renditions == 1
    assert all(default_storage.exists(n) for n in renditions.names_for(photo))
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "<picture>" in page and f"{photo.image_hash}-640.webp" in page


def test_an_image_shown_by_many_photos_is_read_and_made_once(monkeypatch):
    image = stored_image("hop", (160, 40, 40))
    made, opened = [], []
    real_make = renditions.make
    monkeypatch.setattr(
        renditions, "make", lambda *a, **k: made.append(a[1]) or real_make(*a, **k)
    )
    real_adopt = Loader._adopt.__globals__["adopt_stored_image"]

    def counting_adopt(photo, **kwargs):
        opened.append(photo.image.name)
        return real_adopt(photo, **kwargs)

    monkeypatch.setitem(Loader._adopt.__globals__, "adopt_stored_image", counting_adopt)
    out = io.StringIO()
    path = Path(default_storage.path("kho.jsonl"))
    path.write_text(
        "\n".join(
            json.dumps(record(i, [image, image]), ensure_ascii=False) for i in range(6)
        ),
        encoding="utf-8",
    )
    call_command("import_articles", str(path), stdout=out)
    assert "Tạo mới: 6" in out.getvalue()
    assert "Ảnh phái sinh đã tạo cho: 1 ảnh" in out.getvalue()
    assert opened == [image] and len(made) == 1
    hashes = set(Photo.objects.values_list("image_hash", flat=True))
    assert Photo.objects.count() == 12 and hashes == {made[0]}


def test_renditions_of_many_images_are_made_in_several_processes():
    images = [stored_image(f"anh-{i}", (20 * i, 100, 200 - 20 * i)) for i in range(6)]
    jobs = [(name, f"ma{i:02d}", 1000) for i, name in enumerate(images)]
    results = list(renditions.make_many(jobs, workers=2))
    assert sorted(h for h, _, _ in results) == [h for _, h, _ in jobs]
    assert all(written and not error for _, written, error in results)
    for _, content_hash, _ in jobs:
        assert default_storage.exists(renditions.name(content_hash, 320, "webp"))


def test_a_stored_file_that_is_no_image_is_a_warning_and_its_photo_waits():
    broken = default_storage.save("kho/hong.jpg", ContentFile(b"not an image at all"))
    good = stored_image("tot", (10, 120, 60))
    loader = Loader()
    for draft in drafts([record(1, [good]), record(2, [broken])]):
        loader.load(draft)
    summary = loader.finish()
    assert summary.created == 2 and summary.renditions == 1
    assert summary.warnings == [
        "kho.jsonl:2: ảnh kho/hong.jpg không đọc được: bài vẫn nhập, ảnh để trống"
    ]
    waiting = Photo.objects.get(caption="Ảnh 0 của bài 2.")
    assert not waiting.image and waiting.image_hash == ""
    assert Photo.objects.get(image=good).image_hash


def test_an_image_that_cannot_be_made_is_a_warning_and_keeps_the_stored_file(
    monkeypatch,
):
    image = stored_image("loi", (90, 90, 90))

    def fails(name, content_hash, width, force=False, height=None, focal=None):
        raise OSError("đĩa đầy")

    monkeypatch.setattr(renditions, "make", fails)
    loader = Loader()
    for draft in drafts([record(1, [image])]):
        loader.load(draft)
    summary = loader.finish()
    assert summary.created == 1 and summary.renditions == 0
    assert summary.warnings == [f"{image}: không tạo được ảnh phái sinh (đĩa đầy)"]
    assert Photo.objects.get().image_hash == ""


def test_renditions_later_leaves_them_to_regenerate_renditions():
    image = stored_image("sau", (200, 200, 20))
    path = Path(default_storage.path("sau.jsonl"))
    path.write_text(json.dumps(record(1, [image]), ensure_ascii=False), "utf-8")
    call_command(
        "import_articles", str(path), "--renditions-later", stdout=io.StringIO()
    )
    photo = Photo.objects.get()
    assert photo.image_hash == ""
    call_command("regenerate_renditions", stdout=io.StringIO())
    photo.refresh_from_db()
    assert photo.image_hash
    assert all(default_storage.exists(n) for n in renditions.names_for(photo))


def test_an_update_that_keeps_the_image_keeps_its_renditions_shown():
    image = stored_image("giu", (120, 30, 200))
    path = Path(default_storage.path("giu.jsonl"))
    first = record(1, [image])
    path.write_text(json.dumps(first, ensure_ascii=False), "utf-8")
    call_command("import_articles", str(path), stdout=io.StringIO())
    made = Photo.objects.get().image_hash
    assert made
    first["lead"] = "Sapo đã sửa."
    path.write_text(json.dumps(first, ensure_ascii=False), "utf-8")
    out = io.StringIO()
    call_command(
        "import_articles", str(path), "--update", "--renditions-later", stdout=out
    )
    assert "Cập nhật: 1" in out.getvalue()
    assert Photo.objects.get().image_hash == made  # no wait for regenerate_renditions
