"""ninjs and NewsML-G2: exports valid against IPTC's schemas, imports of them and
of agency copy, and the round trip that gives the same records back."""

import io
import json
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.core.files import File
from django.core.management import call_command
from django.utils import timezone

from articles.importers import newsml, ninjs
from articles.importers.base import DraftError
from articles.models import Article, Photo

from .. import factories
from ..test_import_export import (
    SAMPLE,
    SAMPLE_TITLE,
    _comparable,
    _empty_database,
    export,
    jpeg,
    run,
)
from .test_feeds import server  # noqa: F401 - a fixture

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
SITE = "https://tintuc.example.vn"


@pytest.fixture(scope="module")
def ninjs_schema():
    schema = json.loads((SCHEMAS / "ninjs-schema_2.2.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture(scope="module")
def newsml_schema():
    return xmlschema.XMLSchema(SCHEMAS / "NewsML-G2_2.35-spec-All-Power.xsd")


def _newsroom(tmp_path):
    """The sample story, and a story with every kind of block, a photo with its
    file and one without, two authors, a parent section, tags and a related story."""
    run(SAMPLE, status="published", published_at="2023-11-10T17:30:00+07:00")
    parent = factories.category("Chính phủ")
    section = factories.category("Địa phương", parent=parent)
    photo = factories.photo(caption="Ảnh có tệp", credit="VGP/Nhật Bắc")
    photo.image.save("hinh.jpg", File(open(jpeg(tmp_path / "h.jpg", (900, 600)), "rb")))
    from articles.photos import intake

    intake.adopt_stored_image(photo)
    photo.save()
    bare = factories.photo(caption="Ảnh chưa có tệp", credit="")
    rich = factories.article(
        "Bài soạn bằng trình soạn thảo",
        category=section,
        lead="Sapo.",
        location="Hà Nội",
        agency="TTXVN",
        body=(
            "<h2>Tiêu đề phụ</h2><p>Có <strong>đậm</strong>, <em>nghiêng</em> và "
            '<a href="https://chinhphu.vn/">liên kết</a>.</p>'
            "<ul><li>Một</li><li>Hai</li></ul><blockquote><p>Trích dẫn.</p></blockquote>"
            f'<figure class="photo" data-photo-id="{photo.pk}"><figcaption>Ảnh có tệp '
            '<span class="credit">VGP/Nhật Bắc</span></figcaption></figure>'
            f'<figure class="photo" data-photo-id="{bare.pk}"><figcaption>Ảnh chưa có '
            "tệp</figcaption></figure>"
            "<p>Đoạn cuối<br>xuống dòng &amp; ký tự đặc biệt.</p>"
        ),
        authors=[factories.author("Nguyễn Văn A"), factories.author("Trần Thị B")],
        external_id="rich-1",
        source_url="https://example.org/rich.htm",
        embargo_until=timezone.now() - timedelta(hours=3),
    )
    rich.photos.add(photo, bare)
    rich.tags.add(factories.tag("Cải cách"), factories.tag("Bến Tre"))
    rich.related.add(Article.objects.get(title=SAMPLE_TITLE))
    factories.article("Bản nháp chưa đăng", status="draft", published_at=None)
    return rich


def _export(fmt: str) -> str:
    out = io.StringIO()
    call_command("export_articles", format=fmt, site_url=SITE, stdout=out)
    return out.getvalue()


def _same_records(first: list[dict], second: list[dict]) -> None:
    """The records match, but for ids and times; a story of our own comes back
    known by its address (the uri or guid it went out with)."""
    assert len(second) == len(first)
    for before, after in zip(_comparable(first), _comparable(second), strict=True):
        if before["external_id"] is None:
            assert after["external_id"].startswith(SITE + "/")
            after = dict(after, external_id=None)
        assert after == before


@pytest.mark.django_db
def test_ninjs_export_is_valid_and_imports_to_the_same_records(
    tmp_path, media, ninjs_schema, settings
):
    settings.NEWSROOM_SITE_URL = SITE
    _newsroom(tmp_path)
    first = export()
    output = _export("ninjs")
    items = [json.loads(line) for line in output.splitlines()]
    assert len(items) == 3
    for item in items:
        errors = sorted(ninjs_schema.iter_errors(item), key=str)
        assert not errors, errors[0].message
    rich = next(i for i in items if i["headlines"][0]["value"].startswith("Bài soạn"))
    assert rich["uri"].startswith(SITE + "/")
    assert {"role": "external-id", "value": "rich-1"} in rich["altids"]
    assert rich["by"] == "Nguyễn Văn A, Trần Thị B"
    assert rich["located"] == "Hà Nội"
    assert rich["embargoed"]
    assert rich["infosources"] == [{"name": "TTXVN", "role": "source"}]
    assert {"name": "Cải cách", "rel": "about"} in rich["subjects"]
    picture = rich["associations"][0]
    assert picture["type"] == "picture"
    assert picture["by"] == "VGP/Nhật Bắc"
    sizes = {(r["width"], r["contenttype"]) for r in picture["renditions"]}
    assert (900, "image/jpeg") in sizes and (640, "image/webp") in sizes
    assert picture["renditions"][0]["href"] in rich["bodies"][0]["value"]

    dump = tmp_path / "ninjs.json"
    dump.write_text(output, encoding="utf-8")
    _empty_database()
    code, out, err = run(dump, format="ninjs")
    assert code == 0, err
    _same_records(first, export())
    # The photo with a file is the same stored image, not a copy or a download.
    assert Photo.objects.filter(image__endswith="hinh.jpg").count() == 1
    code, out, _ = run(dump, format="ninjs")
    assert "Tạo mới: 0" in out and Article.objects.count() == 3


@pytest.mark.django_db
def test_newsml_export_is_valid_and_imports_to_the_same_records(
    tmp_path, media, newsml_schema, settings
):
    settings.NEWSROOM_SITE_URL = SITE
    _newsroom(tmp_path)
    first = export()
    output = _export("newsml")
    errors = list(newsml_schema.iter_errors(output))
    assert not errors, errors[0]
    photos = sum(b["type"] == "photo" for r in first for b in r["body"])
    assert output.count("<newsItem ") == 3 + photos  # a text item per story
    assert output.count('<itemClass qcode="ninat:picture"') == photos
    assert 'qcode="stat:withheld"' in output  # the draft
    assert "<embargoed>" in output

    dump = tmp_path / "newsml.xml"
    dump.write_text(output, encoding="utf-8")
    _empty_database()
    code, _, err = run(dump)  # told from a WordPress export by its root element
    assert code == 0, err
    _same_records(first, export())
    code, out, _ = run(dump)
    assert "Tạo mới: 0" in out


AGENCY_NINJS = {
    "uri": "urn:newsml:ttxvn.vn:20231110:bao-so-9",
    "type": "text",
    "version": "2",
    "pubstatus": "usable",
    "firstcreated": "2023-11-10T10:30:00Z",
    "versioncreated": "2023-11-10T11:00:00Z",
    "headline": "Bão số 9 đổ bộ vào miền Trung",
    "slugline": "BAO-SO-9",
    "located": "Đà Nẵng",
    "byline": "ignored",
    "by": "Minh Châu và Lê Hoa",
    "description_text": "Bão mạnh cấp 12 đổ bộ sáng nay.",
    "body_html": "<p>Đoạn một.</p><p>Đoạn hai.</p>",
    "subject": [{"name": "Thời tiết"}, {"name": "Thiên tai"}],
    "associations": {
        "featuremedia": {
            "uri": "urn:newsml:ttxvn.vn:20231110:anh-bao",
            "type": "picture",
            "description_text": "Sóng lớn ở bờ biển Đà Nẵng.",
            "by": "Văn Dũng/TTXVN",
            "renditions": {
                "baseImage": {"href": "IMAGE", "width": 800, "mimetype": "image/jpeg"},
                "thumbnail": {"href": "THUMB", "width": 80, "mimetype": "image/jpeg"},
            },
        }
    },
}


@pytest.mark.django_db
def test_an_agency_ninjs_1_item_imports_with_its_picture_fetched(
    server,  # noqa: F811 - the fixture
    tmp_path,
):
    item = json.loads(
        json.dumps(AGENCY_NINJS)
        .replace("THUMB", f"{server.url}/nho.jpg")
        .replace("IMAGE", f"{server.url}/anh.jpg")
    )
    path = tmp_path / "ttxvn.json"
    path.write_text(json.dumps(item, ensure_ascii=False), encoding="utf-8")
    code, _, err = run(path, category="Thời sự")
    assert code == 0, err
    (record,) = export()
    assert record["title"] == "Bão số 9 đổ bộ vào miền Trung"
    assert record["slug"].startswith("bao-so-9")
    assert record["external_id"] == "urn:newsml:ttxvn.vn:20231110:bao-so-9"
    assert record["location"] == "Đà Nẵng"
    assert record["lead"] == "Bão mạnh cấp 12 đổ bộ sáng nay."
    assert [a["name"] for a in record["authors"]] == ["Minh Châu", "Lê Hoa"]
    assert record["tags"] == ["Thiên tai", "Thời tiết"]
    assert record["category"]["name"] == "Thời sự"
    assert record["published_at"] == "2023-11-10T17:30:00+07:00"
    photo, *paragraphs = record["body"]
    assert photo["caption"] == "Sóng lớn ở bờ biển Đà Nẵng."
    assert photo["credit"] == "Văn Dũng/TTXVN"
    assert photo["image"]  # the base image was fetched, not the thumbnail
    assert [p["html"] for p in paragraphs] == ["Đoạn một.", "Đoạn hai."]
    assert [path for path, _ in server.requests] == ["/anh.jpg"]


NITF_ITEM = """<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"
    guid="urn:newsml:vna.vn:20231110:cai-cach" version="3" standard="NewsML-G2"
    standardversion="2.24" xml:lang="vi">
  <catalogRef href="http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_32.xml"/>
  <itemMeta>
    <itemClass qcode="ninat:text"/>
    <provider literal="TTXVN"/>
    <versionCreated>2023-11-10T12:00:00+07:00</versionCreated>
    <pubStatus qcode="stat:usable"/>
  </itemMeta>
  <contentMeta>
    <contentCreated>2023-11-10T09:15:00+07:00</contentCreated>
    <located><name>Bến Tre</name></located>
    <creator><name>Công Trí</name></creator>
    <infoSource role="cRole:source"><name>TTXVN</name></infoSource>
    <subject qcode="medtop:11000000"><name>Chính trị</name></subject>
    <slugline>Cai-cach-hanh-chinh</slugline>
    <headline>Kiểm tra cải cách hành chính tại Bến Tre</headline>
    <description role="drol:summary">Đoàn kiểm tra làm việc với tỉnh.</description>
  </contentMeta>
  <contentSet>
    <inlineXML contenttype="application/nitf+xml">
      <nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">
        <body><body.head><hedline><hl1>Kiểm tra</hl1></hedline></body.head>
          <body.content>
            <p>Sáng 10/11, đoàn <em>kiểm tra</em> làm việc.</p>
            <p>Tỉnh báo cáo kết quả &amp; kiến nghị.</p>
          </body.content>
        </body>
      </nitf>
    </inlineXML>
  </contentSet>
</newsItem>
"""


@pytest.mark.django_db
def test_an_agency_newsml_item_with_an_nitf_body_imports_every_field(tmp_path):
    path = tmp_path / "vna.xml"
    path.write_text(NITF_ITEM, encoding="utf-8")
    code, _, err = run(path, category="Thời sự")
    assert code == 0, err
    (record,) = export()
    assert record["title"] == "Kiểm tra cải cách hành chính tại Bến Tre"
    assert record["slug"].startswith("cai-cach-hanh-chinh")
    assert record["location"] == "Bến Tre"
    assert record["agency"] == "TTXVN"
    assert [a["name"] for a in record["authors"]] == ["Công Trí"]
    assert record["tags"] == ["Chính trị"]
    assert record["lead"] == "Đoàn kiểm tra làm việc với tỉnh."
    assert record["status"] == "published"
    assert record["published_at"] == "2023-11-10T09:15:00+07:00"
    assert [b["html"] for b in record["body"]] == [
        "Sáng 10/11, đoàn <em>kiểm tra</em> làm việc.",
        "Tỉnh báo cáo kết quả &amp; kiến nghị.",
    ]


@pytest.mark.parametrize(
    ("module", "data", "reason"),
    [
        (ninjs, b"<xml/>", "không phải tệp JSON"),
        (ninjs, b'{"type": "text", "headlines": [{"value": "T"}]}', "thiếu uri"),
        (ninjs, b'{"uri": "urn:a", "type": "picture"}', "không phải bài viết"),
        (ninjs, b'{"uri": "urn:a", "pubstatus": "gone"}', "pubstatus không hợp lệ"),
        (ninjs, b'{"uri": "urn:a", "headlines": []}', "thiếu tiêu đề"),
        (newsml, b"<rss/>", "không phải NewsML-G2"),
        (newsml, b"not xml", "không phải tệp XML"),
    ],
)
def test_what_cannot_be_a_story_is_one_line(module, data, reason):
    try:
        results = module.parse(data, "tep")
    except DraftError as exc:
        results = [exc]
    (error,) = results
    assert isinstance(error, DraftError)
    assert reason in error.reason
    assert "\n" not in error.reason


@pytest.mark.django_db
def test_one_bad_ninjs_line_does_not_stop_the_others(tmp_path):
    good = {"uri": "urn:a:1", "headlines": [{"value": "Bài tốt"}]}
    lines = [json.dumps(good), "{bad json", json.dumps(dict(good, uri="urn:a:2"))]
    path = tmp_path / "nhieu.json"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run(path, format="ninjs", category="Thời sự")
    assert code == 1
    assert "Tạo mới: 2" in out
    assert "JSON không hợp lệ" in err and "nhieu.json" in err
