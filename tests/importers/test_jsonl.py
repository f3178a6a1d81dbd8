"""JSON Lines parsing: records to drafts, and every bad record named, no database."""

import json

import pytest

from articles.importers import jsonl
from articles.importers.base import DraftError

RECORD = {
    "external_id": "ttxvn-1",
    "category": {
        "name": "Chính phủ hành động",
        "slug": "chinh-phu-hanh-dong",
        "parent": None,
    },
    "title": "Tiêu đề bài",
    "lead": "Sapo.",
    "authors": [{"name": "Công Trí", "slug": "cong-tri"}, "Trần Thị B"],
    "body": [
        {"type": "photo", "caption": "Chú thích.", "credit": "TTXVN", "image": None},
        {"type": "paragraph", "html": "Có <strong>đậm</strong>."},
        {"type": "paragraph", "text": "Văn bản <thường> & rõ."},
        {"type": "heading", "level": 2, "html": "Tiêu đề phụ"},
    ],
    "tags": ["cải cách"],
    "related": [{"title": "Bài khác", "slug": "bai-khac"}],
    "status": "published",
    "published_at": "2023-11-10T17:30:00+07:00",
}


def lines(*records) -> list[bytes]:
    return [
        r if isinstance(r, bytes) else json.dumps(r, ensure_ascii=False).encode()
        for r in records
    ]


def test_record_becomes_a_draft():
    (draft,) = list(jsonl.parse_lines(iter(lines(RECORD)), "a.jsonl"))
    assert draft.title == "Tiêu đề bài"
    assert draft.category == "Chính phủ hành động"
    assert draft.authors == ["Công Trí", "Trần Thị B"]
    assert [b.type for b in draft.blocks] == [
        "photo",
        "paragraph",
        "paragraph",
        "heading",
    ]
    assert draft.blocks[2].html == "Văn bản &lt;thường&gt; &amp; rõ."
    assert draft.related == ["Bài khác"]
    assert draft.published_at.isoformat() == "2023-11-10T17:30:00+07:00"
    assert draft.source == "a.jsonl:1"


def test_plain_names_are_accepted_for_category_and_authors():
    (draft,) = jsonl.parse_lines(
        iter(lines({"title": "T", "category": "Thời sự", "authors": ["A B"]})), "a"
    )
    assert draft.category == "Thời sự"
    assert draft.authors == ["A B"]


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"[1, 2]", "không phải list"),
        (b'"chuoi"', "không phải str"),
        (b"{khong phai json", "JSON không hợp lệ"),
        (json.dumps({"title": "T", "tac_gia": "A"}).encode(), "khóa lạ 'tac_gia'"),
        (json.dumps({"lead": "Không có tiêu đề"}).encode(), "thiếu tiêu đề"),
        (json.dumps({"title": "T", "status": "live"}).encode(), "trạng thái"),
        (
            json.dumps({"title": "T", "body": [{"type": "video"}]}).encode(),
            "loại khối lạ",
        ),
        (
            json.dumps(
                {"title": "T", "body": [{"type": "photo", "url": "x"}]}
            ).encode(),
            "khóa lạ 'url'",
        ),
        (json.dumps({"title": 5}).encode(), "title phải là chuỗi"),
        (json.dumps({"title": "T", "published_at": "mai"}).encode(), "ngày giờ"),
    ],
)
def test_bad_records_name_the_line_and_reason(raw, words):
    good = json.dumps({"title": "Tốt"}).encode()
    results = list(jsonl.parse_lines(iter([good, b"", raw]), "a.jsonl"))
    assert results[0].title == "Tốt"
    error = results[1]
    assert isinstance(error, DraftError)
    assert words in error.reason
    assert error.line == 3


def test_same_record_hashes_alike_whatever_its_id():
    a = dict(RECORD, id=1, url="/x-1.htm")
    b = dict(RECORD, id=99, url="/x-99.htm")
    (da,) = jsonl.parse_lines(iter(lines(a)), "a")
    (db,) = jsonl.parse_lines(iter(lines(b)), "b")
    assert da.content_hash == db.content_hash
