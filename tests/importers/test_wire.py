"""Wire text parsing: the sample and every variation of the format, no database."""

import unicodedata
from pathlib import Path

import pytest

from articles.importers import wire
from articles.importers.base import DraftError

SAMPLE = (
    Path(__file__).resolve().parents[2] / "samples" / "ben-tre-cai-cach-hanh-chinh.txt"
)


def to_cp1258(value: str) -> bytes:
    """Encode as legacy Windows-1258: base letters precomposed, tones combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", value):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            tone = next(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", nfd.replace(tone, ""))
            out += (base + tone).encode("cp1258")
    return out


def parse(content: str | bytes, **kwargs):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return wire.parse(data, "bai.txt", **kwargs)


def story(*blocks: str) -> str:
    return "\n\n".join(blocks) + "\n"


BASIC = [
    "Thời sự",
    "Thủ tướng chủ trì phiên họp Chính phủ thường kỳ",
    "Sáng nay, Chính phủ họp phiên thường kỳ tháng 11.",
    "Đoạn thân bài thứ nhất, dài như một câu văn bình thường.",
]


def test_sample_yields_exactly_the_specified_fields():
    draft = wire.parse(SAMPLE.read_bytes(), SAMPLE.name)
    assert draft.category == "Chính phủ hành động"
    assert (
        draft.title
        == "Ban Chỉ đạo cải cách hành chính của Chính phủ kiểm tra tại Bến Tre"
    )
    assert draft.location == "Bến Tre"
    assert draft.lead.startswith("Đoàn kiểm tra của Ban Chỉ đạo cải cách hành chính")
    assert draft.agency == "TTXVN"
    assert draft.authors == ["Công Trí"]
    assert draft.related == []
    kinds = [b.type for b in draft.blocks]
    assert kinds.count("paragraph") == 10
    assert [i for i, k in enumerate(kinds) if k == "photo"] == [0, 5, 10]
    assert [p.credit for p in draft.photos] == ["Công trí/TTXVN"] * 3
    assert draft.photos[0].caption == (
        "Ông Phạm Minh Hùng, Trưởng đoàn Kiểm tra phát biểu tại buổi làm việc."
    )
    assert draft.photos[2].caption == "Quang cảnh buổi làm việc."
    assert draft.blocks[1].html.startswith("TTXVN - Chiều 10/11,")


@pytest.mark.parametrize(
    "block, caption, credit",
    [
        ("Thủ tướng phát biểu. (Ảnh: VGP/Nhật Bắc)", "Thủ tướng phát biểu.", "VGP/Nhật Bắc"),
        ("Thủ tướng phát biểu - Ảnh: VGP/Nhật Bắc", "Thủ tướng phát biểu", "VGP/Nhật Bắc"),
        ("Quang cảnh hội nghị. Ảnh: TTXVN", "Quang cảnh hội nghị.", "TTXVN"),
        ("Người dân làm thủ tục. (Ảnh minh họa: TTXVN)", "Người dân làm thủ tục.", "TTXVN"),
        ("Lễ ký kết. (Ảnh: TTXVN phát)", "Lễ ký kết.", "TTXVN phát"),
        ("Người dân làm thủ tục. Ảnh minh họa", "Người dân làm thủ tục.", "Ảnh minh họa"),
        ("Người dân làm thủ tục. (Ảnh minh họa)", "Người dân làm thủ tục.", "Ảnh minh họa"),
        ("Quang cảnh buổi làm việc.\u00a0(Ảnh: Công trí/TTXVN)", "Quang cảnh buổi làm việc.", "Công trí/TTXVN"),
    ],
)  # fmt: skip
def test_credit_forms(block, caption, credit):
    draft = parse(story(*BASIC[:3], block, BASIC[3]))
    assert [b.type for b in draft.blocks] == ["photo", "paragraph"]
    assert draft.photos[0].caption == caption
    assert draft.photos[0].credit == credit


def test_paragraph_mentioning_photos_is_not_a_caption():
    draft = parse(
        story(
            *BASIC[:3],
            "Triển lãm ảnh: nhiều tác phẩm đẹp được trưng bày tại Hà Nội trong tuần qua.",
        )
    )
    assert [b.type for b in draft.blocks] == ["paragraph"]


@pytest.mark.parametrize(
    "opening, agency, location",
    [
        ("(Chinhphu.vn) - Sáng 10/11, Thủ tướng chủ trì.", "Chinhphu.vn", ""),
        ("VOV.VN - Sáng 10/11, Thủ tướng chủ trì.", "VOV.VN", ""),
        ("(PLVN) - Sáng 10/11, Thủ tướng chủ trì.", "PLVN", ""),
        ("TTXVN/Vietnam+ - Sáng 10/11, Thủ tướng chủ trì.", "TTXVN/Vietnam+", ""),
        ("Hà Nội - Sáng 10/11, Thủ tướng chủ trì.", "", "Hà Nội"),
        ("Sáng 10/11 - một ngày đẹp trời, Thủ tướng chủ trì.", "", ""),
    ],
)
def test_datelines(opening, agency, location):
    draft = parse(story(*BASIC[:3], opening))
    assert draft.agency == agency
    assert draft.location == location
    assert draft.blocks[0].html == opening.replace("&", "&amp;")


@pytest.mark.parametrize(
    "byline, authors",
    [
        ("Nguyễn Văn A - Trần Thị B", ["Nguyễn Văn A", "Trần Thị B"]),
        ("Nguyễn Văn A, Trần Thị B", ["Nguyễn Văn A", "Trần Thị B"]),
        ("Nguyễn Văn A và Trần Thị B", ["Nguyễn Văn A", "Trần Thị B"]),
        ("Công Trí", ["Công Trí"]),
    ],
)
def test_bylines(byline, authors):
    draft = parse(story(*BASIC, byline))
    assert draft.authors == authors
    assert len(draft.blocks) == 1


@pytest.mark.parametrize(
    "line, source", [("Theo TTXVN", "TTXVN"), ("(Theo VnExpress)", "VnExpress")]
)
def test_source_line_instead_of_byline(line, source):
    draft = parse(story(*BASIC, line))
    assert draft.authors == []
    assert draft.agency == source
    assert len(draft.blocks) == 1


def test_no_byline_keeps_last_paragraph():
    draft = parse(story(*BASIC, "Hội nghị kết thúc lúc 17 giờ cùng ngày./."))
    assert draft.authors == []
    assert draft.blocks[-1].html == "Hội nghị kết thúc lúc 17 giờ cùng ngày./."


def test_no_location_no_photos_no_see_also():
    draft = parse(story(*BASIC))
    assert draft.location == ""
    assert draft.photos == []
    assert draft.related == []
    assert draft.lead == BASIC[2]


def test_location_tag_is_taken_when_short():
    draft = parse(story(BASIC[0], BASIC[1], "TP. Hồ Chí Minh", *BASIC[2:]))
    assert draft.location == "TP. Hồ Chí Minh"
    assert draft.lead == BASIC[2]


def test_related_titles_after_see_also():
    draft = parse(
        story(
            *BASIC,
            "Công Trí",
            "Xem thêm",
            "Bài liên quan thứ nhất",
            "Bài liên quan thứ hai",
        )
    )
    assert draft.authors == ["Công Trí"]
    assert draft.related == ["Bài liên quan thứ nhất", "Bài liên quan thứ hai"]
    assert len(draft.blocks) == 1


def test_see_also_with_nothing_after_it():
    draft = parse(story(*BASIC, "Xem thêm"))
    assert draft.related == []
    assert len(draft.blocks) == 1


def test_messy_file_reads_as_clean_nfc_with_lf():
    """CRLF, a BOM, trailing spaces, wrapped lines and NFD read like the clean file."""
    clean = parse(story(*BASIC, "Công Trí"))
    messy_text = (
        "\ufeff"
        + "\r\n\r\n".join(
            [
                BASIC[0] + "   ",
                "Thủ tướng chủ trì phiên họp\r\nChính phủ thường kỳ  ",
                BASIC[2] + "\t",
                "Đoạn thân bài thứ nhất,\r\ndài như một câu văn\r\nbình thường.",
                "Công Trí ",
            ]
        )
        + "\r\n"
    )
    messy = parse(unicodedata.normalize("NFD", messy_text))
    for field in ("category", "title", "lead", "authors", "location", "agency"):
        assert getattr(messy, field) == getattr(clean, field), field
    assert [b.html for b in messy.blocks] == [b.html for b in clean.blocks]
    assert unicodedata.is_normalized("NFC", messy.title)


def test_front_matter_is_read():
    front = (
        "---\n"
        "published_at: 2023-11-10T17:30:00+07:00\n"
        "source_url: https://example.org/ben-tre.htm\n"
        "external_id: ttxvn-20231110-ben-tre\n"
        "tags: cải cách hành chính, Bến Tre\n"
        "status: published\n"
        "---\n"
    )
    draft = parse(front + story(*BASIC))
    assert draft.published_at.isoformat() == "2023-11-10T17:30:00+07:00"
    assert draft.source_url == "https://example.org/ben-tre.htm"
    assert draft.external_id == "ttxvn-20231110-ben-tre"
    assert draft.tags == ["cải cách hành chính", "Bến Tre"]
    assert draft.status == "published"
    assert draft.category == "Thời sự"


def test_unknown_front_matter_key_names_key_and_line():
    with pytest.raises(DraftError) as err:
        parse("---\nstatus: draft\ntacgia: A\n---\n" + story(*BASIC))
    assert "tacgia" in err.value.reason
    assert err.value.line == 3


@pytest.mark.parametrize(
    "front, words, line",
    [
        ("---\npublished_at: hôm qua\n---\n", "ngày giờ", 2),
        ("---\nstatus: live\n---\n", "trạng thái", 2),
        ("---\nstatus: draft\n", "thiếu dòng ---", 1),
        ("---\nkhông có dấu hai chấm\n---\n", "không đọc được", 2),
        ("---\nsource_url: javascript:alert(1)\n---\n", "source_url", 2),
    ],
)
def test_bad_front_matter(front, words, line):
    with pytest.raises(DraftError) as err:
        parse(front + story(*BASIC))
    assert words in err.value.reason
    assert err.value.line == line


def test_default_category_for_files_without_a_category_line():
    draft = parse(story(*BASIC[1:]), default_category="Thời sự")
    assert draft.category == "Thời sự"
    assert draft.title == BASIC[1]


def test_default_category_still_skips_a_matching_category_line():
    draft = parse(story(*BASIC), default_category="thời sự")
    assert draft.title == BASIC[1]


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "rỗng"),
        (b"   \n\n  \n", "rỗng"),
        ("Chỉ một dòng chuyên mục\n".encode(), "thiếu tiêu đề"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "không phải tệp văn bản"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "không phải tệp văn bản"),
        (to_cp1258("Thời sự\n\nTiêu đề\n"), "--encoding"),
        (b"x" * (6 * 1024 * 1024), "quá lớn"),
    ],
    ids=["empty", "blank", "no-title", "png", "jpeg", "not-utf8", "too-large"],
)
def test_bad_files_get_a_reason(data, words):
    with pytest.raises(DraftError) as err:
        parse(data)
    assert words in err.value.reason


def test_encoding_option_reads_legacy_files():
    data = to_cp1258(story(*BASIC))
    draft = parse(data, encoding="cp1258")
    assert draft.title == BASIC[1]


def test_text_is_escaped_as_html():
    draft = parse(story(*BASIC[:3], "Giá <b>vàng</b> & USD tăng."))
    assert draft.blocks[0].html == "Giá &lt;b&gt;vàng&lt;/b&gt; &amp; USD tăng."


CLEAN = "\n\n".join([*BASIC, "Công Trí"]) + "\n"


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n", "  \t\n"), id="trailing-spaces"),
        pytest.param(
            lambda t: t.replace(
                "dài như một câu văn bình thường", "dài như một\ncâu văn bình thường"
            ),
            id="wrapped-lines",
        ),
        pytest.param(lambda t: unicodedata.normalize("NFD", t), id="nfd"),
    ],
)
def test_each_messy_variation_reads_like_the_clean_file(variant):
    clean = parse(CLEAN)
    messy = parse(variant(CLEAN))
    for field in ("category", "title", "lead", "authors", "location", "agency"):
        assert getattr(messy, field) == getattr(clean, field), field
    assert [b.html for b in messy.blocks] == [b.html for b in clean.blocks]
