"""Focal points: every crop keeps the subject an editor clicked in frame,
checked on the rendition pixels; regenerate_renditions honours it."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Photo
from articles.photos import intake, renditions

from . import factories
from .test_admin import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _subject_at_the_far_left() -> bytes:
    """A 1600×900 grey photo whose subject, a red square, is at its left edge."""
    img = Image.new("RGB", (1600, 900), (128, 128, 128))
    for x in range(8, 72):
        for y in range(418, 482):
            img.putpixel((x, y), (255, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _photo(focal=(None, None)) -> Photo:
    photo = Photo(caption="Chủ thể ở mép trái", focal_x=focal[0], focal_y=focal[1])
    intake.store_photo_file(photo, io.BytesIO(_subject_at_the_far_left()), "trai.png")
    photo.save()
    return photo


def _has_red(name: str) -> bool:
    with default_storage.open(name) as fh, Image.open(fh) as img:
        rgb = img.convert("RGB")
        small = rgb.resize((max(1, rgb.width // 4), max(1, rgb.height // 4)))
        data = small.tobytes()
        return any(
            data[i] > 200 and data[i + 1] < 80 and data[i + 2] < 80
            for i in range(0, len(data), 3)
        )


def _crops(photo: Photo) -> list[str]:
    focal = (photo.focal_x, photo.focal_y)
    return [
        renditions.crop_name(photo.image_hash, crop, w, ext, focal)
        for crop in ("the", "vuong", "ngang")
        for w in renditions.crop_widths(crop, photo.width, photo.height)
        for ext in ("webp", "jpg")
    ]


def test_every_crop_keeps_a_focal_point_at_the_far_left():
    photo = _photo(focal=(0.025, 0.5))
    names = _crops(photo)
    assert len(names) == 14  # 16:9 at 3 widths, 1:1 at 2, 4:3 at 2; 2 formats
    for name in names:
        assert default_storage.exists(name), name
        assert _has_red(name), f"{name} lost the subject"


def test_without_a_focal_point_the_centred_crops_lose_it():
    photo = _photo()
    square = [n for n in _crops(photo) if "-vuong-" in n]
    assert square and not any(_has_red(n) for n in square)


def test_an_editor_clicks_the_subject_and_the_crops_follow_it(editor):
    photo = _photo()
    story = factories.article("Bài có ảnh", featured_photo=photo)
    client = login(editor)
    page = client.get(f"/admin/articles/photo/{photo.pk}/change/").content.decode()
    assert 'class="focal-picker"' in page and "admin/focal.js" in page
    response = client.post(
        f"/admin/articles/photo/{photo.pk}/change/",
        {
            "caption": photo.caption,
            "credit": "",
            "alt_text": "",
            "photographer": "",
            "focal_x": "0.03",
            "focal_y": "0.5",
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.focal_x, photo.focal_y) == (0.03, 0.5)
    assert photo.image, "the image is kept"
    for name in _crops(photo):
        assert _has_red(name), name
    # A card shows the 16:9 crop of the new point.
    html = login(editor).get(story.category.get_absolute_url()).content.decode()
    assert f"{photo.image_hash}-the-640-0350.jpg" in html


def test_regenerate_renditions_honours_the_focal_point(capsys):
    photo = _photo()
    Photo.objects.filter(pk=photo.pk).update(focal_x=0.02, focal_y=0.5)
    photo.refresh_from_db()
    call_command("regenerate_renditions")
    for name in _crops(photo):
        assert default_storage.exists(name) and _has_red(name), name
    # The crops of the old centre were files no photo uses: removed.
    centred = renditions.crop_name(photo.image_hash, "vuong", 320, "jpg", None)
    assert not default_storage.exists(centred)
