"""WordPress exports (WXR): posts, pages, the category tree, authors, photos."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from articles import body
from articles.choices import Status
from articles.importers import wxr
from articles.importers.base import DraftError
from articles.models import Article, Category, Photo

from .. import factories

EXPORT = Path(__file__).resolve().parents[1] / "fixtures" / "wxr" / "toa-soan.xml"


@pytest.fixture
def uploads(tmp_path):
    """The site's wp-content/uploads, as an operator copies it beside the export."""
    folder = tmp_path / "uploads" / "2023" / "11"
    folder.mkdir(parents=True)
    (folder / "cau-moi.jpg").write_bytes(factories.image_bytes(color=(10, 90, 200)))
    return tmp_path / "uploads"


def _import(*extra, capsys=None):
    with pytest.raises(CommandError, match="1 lỗi"):  # the post without a title
        call_command("import_articles", *extra, str(EXPORT))


@pytest.mark.django_db
def test_a_wordpress_export_imports_to_the_right_rows_and_only_once(
    media, uploads, capsys
):
    _import("--media", str(uploads), "--pages")
    err = capsys.readouterr().err
    assert "toa-soan.xml: bài 17: không có tiêu đề" in err
    assert "bài có mật khẩu, nhập thành bản nháp" in err
    assert "2 bình luận" in err and "2 tệp đính kèm" in err and "1 mục menu" in err

    stories = {a.title: a for a in Article.objects.all()}
    assert set(stories) == {
        "Khánh thành cầu Rạch Miễu 2 & đường dẫn",  # the title's markup dropped
        "Ký kết hợp tác chuyển đổi số",
        "Bản nháp: kế hoạch năm 2024",
        "Lịch tiếp công dân tháng 12",
        "Tài liệu nội bộ",
        "Giới thiệu",  # a page, asked for
    }
    bridge = stories["Khánh thành cầu Rạch Miễu 2 & đường dẫn"]
    assert bridge.status == Status.PUBLISHED
    assert timezone.localtime(bridge.published_at).strftime("%d/%m/%Y %H:%M") == (
        "10/11/2023 17:30"
    )
    assert bridge.category.path == "thoi-su/dia-phuong/huyen-xa"
    assert [c.name for c in bridge.category.ancestors()] == [
        "Thời sự",
        "Địa phương",
        "Huyện & xã",
    ]
    assert bridge.lead == "Cầu Rạch Miễu 2 chính thức thông xe."
    assert bridge.byline[0].name == "Nguyễn Thu Hà"
    assert [t.name for t in bridge.tags.all()] == ["Cải cách hành chính"]
    assert bridge.slug == "khanh-thanh-cau"
    # The [caption] is the featured image too: one photo, with its file.
    (photo,) = [Photo.objects.get(pk=i) for i in body.photo_ids(bridge.body)]
    assert (photo.caption, photo.credit) == (
        "Cầu Rạch Miễu 2 nhìn từ trên cao.",
        "Lương Khánh",
    )
    assert photo.image and photo.source_url.endswith("/2023/11/cau-moi.jpg")
    assert bridge.body.count("<p>") == 2 and "[gallery" not in bridge.body

    signing = stories["Ký kết hợp tác chuyển đổi số"]
    assert signing.byline[0].name == "Lê Minh Đức"
    assert signing.category.path == "thoi-su"
    assert "<h2>Ba nội dung chính</h2>" in signing.body and "script" not in signing.body
    (gutenberg,) = [Photo.objects.get(pk=i) for i in body.photo_ids(signing.body)]
    assert (gutenberg.caption, gutenberg.credit) == (
        "Lễ ký kết tại UBND tỉnh.",
        "Lê Minh Đức",
    )
    assert not gutenberg.image  # not in the uploads folder: kept without a file
    assert gutenberg.source_url.endswith("/2023/11/le-ky-ket.jpg")

    assert stories["Bản nháp: kế hoạch năm 2024"].status == Status.DRAFT
    assert stories["Bản nháp: kế hoạch năm 2024"].category.path == "thoi-su/dia-phuong"
    future = stories["Lịch tiếp công dân tháng 12"]
    assert Article.objects.scheduled().filter(pk=future.pk).exists()
    assert stories["Tài liệu nội bộ"].status == Status.DRAFT  # had a password
    assert not Article.objects.published().filter(title="Tài liệu nội bộ").exists()

    _import("--media", str(uploads), "--pages")
    assert Article.objects.count() == 6 and Photo.objects.count() == 2
    # The three of the tree, and WordPress's "Uncategorized" for the page.
    assert Category.objects.count() == 4
    assert stories["Giới thiệu"].category.name == "Chưa phân loại"


@pytest.mark.django_db
def test_pages_are_left_out_unless_asked(media):
    _import()
    assert not Article.objects.filter(title="Giới thiệu").exists()
    assert Article.objects.count() == 5


def test_namespaces_are_matched_by_local_name():
    data = EXPORT.read_bytes().replace(
        b"http://wordpress.org/export/1.2/", b"https://wordpress.org/export/1.2/"
    )
    data = data.replace(
        b"http://purl.org/rss/1.0/modules/content/",
        b"https://purl.org/rss/1.0/modules/content/",
    )
    export = wxr.parse(data, "https.xml")
    titles = [d.title for d in export.drafts if not isinstance(d, DraftError)]
    assert "Ký kết hợp tác chuyển đổi số" in titles and len(titles) == 5


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"<html><body>x</body></html>", "không phải bản xuất WordPress"),
        (b"<rss><channel>", "không phải tệp XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<rss><channel><title>&b;</title></channel></rss>",
            "không phải tệp XML",
        ),
    ],
)
def test_what_is_not_an_export_is_refused_in_one_line(data, reason):
    with pytest.raises(DraftError, match=reason):
        wxr.parse(data, "x.xml")
