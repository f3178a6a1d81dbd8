"""One small newspaper and every reader page type, for the page checkers
(the Nu HTML Checker and axe-core)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from articles import body, reads, services
from articles.models import Article
from articles.photos.intake import store_photo_file

from . import factories


def newspaper() -> dict[str, str]:
    """Create the stories; return {page type: path}."""
    section = factories.category("Chính phủ hành động", order=0)
    sub = factories.category("Chỉ đạo, điều hành", parent=section)
    factories.category("Kinh tế", order=1)
    author = factories.author("Công Trí", bio="Phóng viên thường trú tại Bến Tre.")
    tag = factories.tag("Cải cách hành chính")
    now = timezone.now() - dt.timedelta(minutes=5)
    photos = []
    for i in range(3):
        photo = factories.photo(
            caption=f"Quang cảnh buổi làm việc số {i + 1}.", credit="Công trí/TTXVN"
        )
        data = factories.image_bytes(size=(1200, 800), color=(40 * i, 90, 160))
        store_photo_file(photo, ContentFile(data, name=f"anh-{i}.jpg"), f"anh-{i}.jpg")
        photo.save()
        photos.append(photo)
    stories = []
    for i in range(24):
        markup = "<p>TTXVN - Sáng 10/11, đoàn kiểm tra làm việc với tỉnh.</p>"
        if i == 0:
            markup += "".join(
                body.photo_figure(p.pk, p.caption, p.credit) + "<p>Đoạn tiếp.</p>"
                for p in photos
            )
        article = Article(
            category=sub if i % 3 == 0 else section,
            title=f"Bến Tre cải cách hành chính, giai đoạn {i + 1}",
            lead="Đoàn kiểm tra của Ban Chỉ đạo làm việc với tỉnh.",
            body=markup,
            location="Bến Tre" if i == 0 else "",
            featured_photo=photos[i % 3] if i % 2 == 0 else None,
            status=Article.Status.PUBLISHED,
            published_at=now - dt.timedelta(hours=i),
        )
        services.save_article(article=article, tags=[tag], byline=[author])
        stories.append(article)
    services.save_article(
        article=Article.objects.get(pk=stories[0].pk), related=stories[1:4]
    )
    for story in stories[:6]:
        reads.count(story.pk)
    reads.flush()
    day = timezone.localtime(stories[0].published_at)
    return {
        "trang-chu": "/",
        "chuyen-muc": section.get_absolute_url(),
        "chuyen-muc-trang-2": f"{section.get_absolute_url()}?trang=2",
        "chuyen-muc-con": sub.get_absolute_url(),
        "bai-viet": stories[0].get_absolute_url(),
        "bai-khong-anh": stories[1].get_absolute_url(),
        "tac-gia": author.get_absolute_url(),
        "chu-de": tag.get_absolute_url(),
        "tim-kiem": "/tim-kiem/?q=cải+cách+hành+chính",
        "tim-kiem-trong": "/tim-kiem/",
        "tim-kiem-loc": "/tim-kiem/?q=bến+tre&tu=31/02/2023",
        "ngay": f"/{day:%Y/%m/%d}/",
        "khong-co": "/khong-co-trang-nay/",
    }
