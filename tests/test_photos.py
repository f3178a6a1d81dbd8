"""Photos: one way in, clean metadata, renditions, storage integrity."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from articles import body
from articles.models import ArticlePhoto, Photo
from articles.photos import images, renditions
from articles.photos.intake import store_photo_file

from . import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def encoded(fmt="JPEG", size=(1200, 800), **save) -> bytes:
    return factories.image_bytes(fmt, size, **save)


def rendition_files(media: Path) -> set[str]:
    root = media / "renditions"
    return (
        {str(p.relative_to(media)) for p in root.rglob("*") if p.is_file()}
        if root.exists()
        else set()
    )


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("tai-lieu.jpg", b"%PDF-1.7 hello", "không phải tệp ảnh"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
            "không phải tệp ảnh",
        ),
        ("cut.jpg", encoded()[:400], "hỏng hoặc bị cắt cụt"),
        ("bmp.bmp", encoded("BMP", (20, 20)), "định dạng BMP không được nhận"),
        ("empty.jpg", b"", "tệp rỗng"),
    ],
)
def test_every_way_in_refuses_what_is_not_an_allowed_image(media, name, data, words):
    photo = Photo()
    with pytest.raises(images.ImageRejected) as err:
        store_photo_file(photo, io.BytesIO(data), name)
    assert words in str(err.value)
    assert not Photo.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_too_many_pixels_is_refused_from_the_header(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 1000 * 1000
    with pytest.raises(images.ImageRejected, match="quá nhiều điểm ảnh"):
        images.inspect_image(io.BytesIO(encoded("PNG", (2000, 1000))))


def test_too_large_is_refused(settings):
    data = encoded()
    settings.NEWSROOM_IMAGE_MAX_BYTES = len(data) - 1
    with pytest.raises(images.ImageRejected, match="quá lớn"):
        images.inspect_image(io.BytesIO(data))


def test_a_png_named_jpg_is_stored_as_png(media):
    photo = Photo()
    store_photo_file(photo, io.BytesIO(encoded("PNG", (50, 40))), "Ảnh Bến Tre.jpg")
    photo.save()
    # Named by its content (unguessable), with the extension of what it is.
    assert photo.image.name.endswith(f"/{photo.image_hash}.png")
    assert "ben-tre" not in photo.image.name
    with Image.open(photo.image.path) as img:
        assert img.format == "PNG"


def test_gps_and_camera_metadata_are_stripped_and_the_image_turned_upright(media):
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x010F] = "Máy ảnh của phóng viên"  # make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (10.0, 14.0, 30.0), "E", (106.0, 22.0, 0.0)
    data = encoded(size=(60, 40), exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get_ifd(0x8825)  # the file really carries GPS
    photo = Photo()
    store_photo_file(photo, io.BytesIO(data), "gps.jpg")
    photo.save()
    for path in [
        Path(photo.image.path),
        *[media / n for n in renditions.names_for(photo)],
    ]:
        with Image.open(path) as stored:
            assert not stored.getexif(), path  # no EXIF at all: no GPS, no camera
            assert "exif" not in stored.info
    assert (photo.width, photo.height) == (40, 60)  # upright: portrait


def test_embedded_caption_credit_and_byline_fill_empty_fields(media):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'photoshop:Credit="TTXVN"><dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        b"Quang c\xe1\xba\xa3nh bu\xe1\xbb\x95i l\xc3\xa0m vi\xe1\xbb\x87c</rdf:li></rdf:Alt>"
        b"</dc:description><dc:creator><rdf:Seq><rdf:li>C\xc3\xb4ng Tr\xc3\xad</rdf:li>"
        b"</rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    photo = Photo(credit="Giữ nguyên")
    store_photo_file(photo, io.BytesIO(encoded(size=(30, 20), xmp=xmp)), "xmp.jpg")
    assert photo.caption == "Quang cảnh buổi làm việc"
    assert photo.photographer == "Công Trí"
    assert photo.credit == "Giữ nguyên"  # an editor's value is never overwritten
    with Image.open(photo.image.path) as stored:
        assert "xmp" not in stored.info


def test_renditions_widths_formats_and_names(media):
    photo = Photo()
    store_photo_file(photo, io.BytesIO(encoded(size=(1000, 500))), "rong.jpg")
    photo.save()
    assert renditions.widths_for(1000) == [320, 640, 960, 1000]
    assert renditions.widths_for(3000) == [320, 640, 960, 1280, 1920]
    assert renditions.widths_for(200) == [200]
    names = renditions.names_for(photo)
    # 4 widths × 2 formats, and the crops a 1000×500 image can fill: 16:9 at
    # 320 and 640, 1:1 at 160 and 320, 4:3 at 320 and 640, each in 2 formats.
    assert len(names) == 8 + 12 and rendition_files(media) == set(names)
    for name in names:
        assert name.startswith(f"renditions/{photo.image_hash[:2]}/{photo.image_hash}-")
        with Image.open(media / name) as img:
            assert img.format == ("WEBP" if name.endswith(".webp") else "JPEG")
            parts = name.rsplit(".", 1)[0].split("-")
            if parts[-1].isdigit() and len(parts) == 2:  # the whole image
                width = int(parts[-1])
                assert img.size == (width, width // 2)
            else:  # a crop: its name says its width and its shape
                crop, width = parts[-3], int(parts[-2])
                ratio_w, ratio_h = {"the": (16, 9), "vuong": (1, 1), "ngang": (4, 3)}[
                    crop
                ]
                assert img.size == (width, round(width * ratio_h / ratio_w))
    html = renditions.picture_html(photo, "Ảnh <thử>")
    assert (
        '<source type="image/webp" srcset="' in html
        and "320w" in html
        and "1000w" in html
    )
    assert 'sizes="' in html and 'width="1000" height="500"' in html
    assert 'alt="Ảnh &lt;thử&gt;"' in html and 'loading="lazy"' in html
    assert 'decoding="async"' in html


def test_replacing_the_image_regenerates_renditions(
    media, django_capture_on_commit_callbacks
):
    photo = Photo()
    store_photo_file(photo, io.BytesIO(encoded(size=(700, 350))), "a.jpg")
    photo.save()
    before = set(renditions.names_for(photo))
    with django_capture_on_commit_callbacks(execute=True):
        store_photo_file(photo, io.BytesIO(encoded("PNG", (400, 400))), "b.png")
        photo.save()
    after = set(renditions.names_for(photo))
    assert before.isdisjoint(after)
    assert rendition_files(media) == after


def test_article_page_makes_no_rendition_on_the_reader_path(client, media, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    section = factories.category()
    pages = {}
    for n in (1, 20):
        photos = []
        for i in range(n):
            photo = Photo(caption=f"Ảnh {i}", credit="TTXVN")
            store_photo_file(photo, io.BytesIO(encoded(size=(700, 400))), f"a{i}.jpg")
            photo.save()
            photos.append(photo)
        article = factories.article(
            category=section,
            body="".join(body.photo_figure(p.pk, p.caption, p.credit) for p in photos),
        )
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=article, photo=p) for p in photos
        )
        pages[n] = article.get_absolute_url()
    files = rendition_files(media)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n, url in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        counts.append(len(ctx.captured_queries))
        assert html.count("<picture>") == n, [
            (p.pk, p.image_hash, p.width) for p in Photo.objects.all()
        ][:3]
    assert counts[0] == counts[1]
    assert rendition_files(media) == files  # requests wrote nothing


def test_regenerate_makes_missing_and_removes_orphans(media):
    photo = Photo()
    store_photo_file(photo, io.BytesIO(encoded(size=(500, 300))), "a.jpg")
    photo.save()
    names = renditions.names_for(photo)
    (media / names[0]).unlink()
    orphan = media / "renditions" / "zz" / "zz-320.webp"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    out = io.StringIO()
    call_command("regenerate_renditions", stdout=out)
    assert "đã tạo: 1" in out.getvalue() and "đã xóa: 1" in out.getvalue()
    assert rendition_files(media) == set(names)


def test_deleting_a_used_photo_asks_which_articles_lose_it(admin_client, media):
    photo = factories.photo(caption="Ảnh dùng chung")
    for title in ("Bài thứ nhất", "Bài thứ hai"):
        article = factories.article(title)
        ArticlePhoto.objects.create(article=article, photo=photo)
    page = admin_client.get(
        f"/admin/articles/photo/{photo.pk}/delete/"
    ).content.decode()
    assert "Bài thứ nhất" in page and "Bài thứ hai" in page
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_admin_photo_form_uses_the_same_way_in(admin_client, media):
    response = admin_client.post(
        "/admin/articles/photo/add/",
        {"image": SimpleUploadedFile("x.jpg", b"GIF89a not really"), "caption": "c"},
    )
    assert (
        response.status_code == 200
        and "không phải tệp ảnh" in response.content.decode()
    )
    assert not Photo.objects.exists()
    response = admin_client.post(
        "/admin/articles/photo/add/",
        {
            "image": SimpleUploadedFile("Ảnh.jpg", encoded("PNG", (700, 300))),
            "caption": "c",
        },
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.image.name.endswith(".png") and photo.image_hash
    assert set(renditions.names_for(photo)) <= rendition_files(media)


def _animated_gif(frames: int = 3, size=(40, 30)) -> bytes:
    shots = [Image.new("RGB", size, (60 * i, 90, 160)) for i in range(frames)]
    buf = io.BytesIO()
    shots[0].save(
        buf, "GIF", save_all=True, append_images=shots[1:], duration=120, loop=0
    )
    return buf.getvalue()


def test_an_animated_gif_is_written_again_frame_by_frame(media):
    """Bytes appended after the image (a script, say) never reach readers."""
    smuggled = _animated_gif() + b"<script>alert(1)</script>"
    photo = Photo()
    store_photo_file(photo, io.BytesIO(smuggled), "dong.gif")
    with photo.image.open("rb") as fh:
        stored = fh.read()
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as img:
        assert (img.format, img.n_frames, img.size) == ("GIF", 3, (40, 30))
        assert img.info.get("duration") == 120


def test_an_animation_too_large_in_all_its_frames_is_refused(media, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 40 * 30 * 2
    with pytest.raises(images.ImageRejected) as refused:
        store_photo_file(Photo(), io.BytesIO(_animated_gif(3)), "dai.gif")
    assert "ảnh động 3 khung hình" in str(refused.value)
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


@pytest.mark.parametrize(
    "status, hours",
    [("draft", -1), ("review", -1), ("archived", -1), ("published", +1)],
)
def test_the_photo_of_a_hidden_story_is_not_served_to_readers(
    client, admin_client, media, settings, status, hours
):
    from datetime import timedelta

    from django.utils import timezone

    settings.NEWSROOM_SERVE_MEDIA = True
    photo = Photo()
    store_photo_file(photo, io.BytesIO(encoded(size=(700, 400))), "bi-mat.jpg")
    photo.save()
    article = factories.article(
        "Bài còn ẩn", status=status, featured_photo=photo,
        published_at=timezone.now() + timedelta(hours=hours),
        body=body.photo_figure(photo.pk, "Ảnh bí mật.", "TTXVN"),
    )  # fmt: skip
    ArticlePhoto.objects.create(article=article, photo=photo)
    files = [photo.image.name, *renditions.names_for(photo)]
    assert len(files) > 2 and "bi-mat" not in photo.image.name
    for name in files:
        assert client.get(f"/media/{name}").status_code == 404, name
        assert admin_client.get(f"/media/{name}").status_code == 200, name
    for url in ("/", "/rss/", "/sitemap-bai-viet.xml", "/tim-kiem/?q=bai"):
        assert photo.image_hash not in client.get(url).content.decode(), url
    article.status, article.published_at = "published", timezone.now()
    article.save()
    for name in files:
        response = client.get(f"/media/{name}")
        assert response.status_code == 200 and "public" in response["Cache-Control"]


def test_admin_thumbnails_use_the_smallest_rendition_not_the_original(
    admin_client, media
):
    photo = Photo(caption="Ảnh lớn từ máy ảnh.")
    store_photo_file(photo, io.BytesIO(encoded(size=(3000, 2000))), "may-anh.jpg")
    photo.save()
    listing = admin_client.get("/admin/articles/photo/").content.decode()
    assert photo.image.url not in listing  # the 3,000-pixel original
    assert f"{photo.image_hash}-320.jpg" in listing
    page = admin_client.get(
        f"/admin/articles/photo/{photo.pk}/change/"
    ).content.decode()
    assert f"{photo.image_hash}-640.jpg" in page  # the 480-pixel preview


def test_the_library_is_searched_with_or_without_marks(admin_client):
    wanted = factories.photo(
        caption="Quang cảnh buổi làm việc.", credit="Công trí/TTXVN"
    )
    other = factories.photo(caption="Hội nghị trực tuyến.", credit="Nhật Bắc/VGP")
    for query in ("cong tri", "Công trí", "quang canh", "CÔNG TRÍ"):
        page = admin_client.get("/admin/articles/photo/", {"q": query}).content.decode()
        assert f"/admin/articles/photo/{wanted.pk}/change/" in page, query
        assert f"/admin/articles/photo/{other.pk}/change/" not in page, query


def test_a_deleted_photo_takes_its_files_once_no_other_photo_has_them(
    media, django_capture_on_commit_callbacks
):
    """Before, deleting a photo left its original and every rendition behind
    on the disk (or the bucket) until a maintenance run."""
    data = encoded(size=(1000, 700))
    photo, twin = Photo(caption="Một"), Photo(caption="Hai")
    store_photo_file(photo, io.BytesIO(data), "mot.jpg")
    photo.save()
    store_photo_file(twin, io.BytesIO(data), "hai.jpg")  # the same image
    twin.save()
    original, twins = media / photo.image.name, media / twin.image.name
    made = rendition_files(media)
    assert original.exists() and twins.exists() and made
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert not original.exists()
    assert rendition_files(media) == made, "the twin still shows them"
    with django_capture_on_commit_callbacks(execute=True):
        twin.delete()
    assert not twins.exists()
    assert rendition_files(media) == set()


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_an_upload_answers_at_once_and_the_worker_makes_its_renditions(
    media, settings
):
    """With a job backend that waits for a worker, the upload makes no
    rendition itself; pages show the stored file until the worker has made
    them, then the renditions."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    settings.NEWSROOM_TASKS = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    photo = Photo(caption="Ảnh tải lên")
    with transaction.atomic():
        store_photo_file(photo, io.BytesIO(encoded(size=(1400, 900))), "tai-len.jpg")
        photo.save()
    assert rendition_files(media) == set()
    photo.refresh_from_db()
    assert photo.image_hash == "" and photo.image
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    photo.refresh_from_db()
    assert photo.image_hash, "shown once made"
    made = rendition_files(media)
    assert any(name.endswith("-640.webp") for name in made)
    assert set(renditions.names_for(photo)) <= made
