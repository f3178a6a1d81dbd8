"""Wire text as other newsrooms really print it: one test per class of input.

The examples are written for these tests, each a variation seen in real
copy (datelines, credits, bylines, repeated captions, double-encoded text,
no-break-space lines); none is copied from one source.
"""

import html

import pytest

from articles.importers import wire
from articles.importers.base import DraftError


def parse(*blocks: str, separator: str = "\n\n", **kwargs):
    content = separator.join(blocks) + "\n"
    return wire.parse(content.encode("utf-8"), "bai.txt", **kwargs)


HEAD = ["Thời sự", "Thủ tướng làm việc với tỉnh Bến Tre"]
PARAGRAPH = "Đoạn thân bài thứ nhất, dài như một câu văn bình thường."


# --- datelines that open the lead ------------------------------------------


@pytest.mark.parametrize(
    "lead, agency, location",
    [
        ("(Chinhphu.vn) - Chiều 22/9, Thủ tướng làm việc với tỉnh.", "Chinhphu.vn", ""),
        ("VOV.VN - Sáng nay, Quốc hội khai mạc kỳ họp.", "VOV.VN", ""),
        ("SVO - Giải đấu khép lại với nhiều bất ngờ.", "SVO", ""),
        ("(SGGP).- Sáng 22/9, thành phố tổ chức hội nghị.", "SGGP", ""),
        ("(SGGP). - Sáng 22/9, thành phố tổ chức hội nghị.", "SGGP", ""),
        ("Hà Nội (TTXVN 22/9) - Bộ Y tế cho biết hôm nay.", "TTXVN", "Hà Nội"),
        ("Hà Nội (TTXVN 22/9) Bộ Y tế cho biết hôm nay.", "TTXVN", "Hà Nội"),
        ("TTXVN/Vietnam+ - Chiều 10/11, đoàn công tác đến tỉnh.", "TTXVN/Vietnam+", ""),
    ],
)
def test_a_dateline_opening_the_lead_names_the_agency(lead, agency, location):
    draft = parse(*HEAD, lead, PARAGRAPH)
    assert draft.lead == lead  # the copy itself is not rewritten
    assert draft.agency == agency
    assert draft.location == location


def test_a_time_at_the_start_of_the_lead_is_not_a_dateline():
    draft = parse(*HEAD, "Sáng 10/11 - hội nghị khai mạc tại Hà Nội.", PARAGRAPH)
    assert draft.agency == "" and draft.location == ""


# --- credits with a final full stop or odd spacing -------------------------


@pytest.mark.parametrize(
    "block, caption, credit",
    [
        ("Lễ khánh thành cầu. Ảnh: Lương Khánh.", "Lễ khánh thành cầu.", "Lương Khánh"),
        ("Quang cảnh phiên họp. Ảnh: TTXVN.", "Quang cảnh phiên họp.", "TTXVN"),
        (
            "Bà Ngô Thị Lan phát biểu. Ảnh:\u00a0Michel Blanchard.",
            "Bà Ngô Thị Lan phát biểu.",
            "Michel Blanchard",
        ),
        ("Thủ tướng phát biểu. Ảnh: Nhật Bắc/VGP.", "Thủ tướng phát biểu.", "Nhật Bắc/VGP"),
        ("Cầu Rạch Miễu ngày khởi công. Ảnh tư liệu.", "Cầu Rạch Miễu ngày khởi công.", "Ảnh tư liệu"),
        ("Cầu Rạch Miễu ngày khởi công. (Ảnh tư liệu)", "Cầu Rạch Miễu ngày khởi công.", "Ảnh tư liệu"),
        ("Người dân làm thủ tục. Ảnh minh họa.", "Người dân làm thủ tục.", "Ảnh minh họa"),
        ("Quang cảnh hội nghị. Ảnh :  TTXVN", "Quang cảnh hội nghị.", "TTXVN"),
    ],
)  # fmt: skip
def test_a_caption_with_a_final_stop_or_odd_spacing_is_a_photo(block, caption, credit):
    draft = parse(*HEAD, "Lời dẫn của bài.", block, PARAGRAPH)
    assert [b.type for b in draft.blocks] == ["photo", "paragraph"]
    assert (draft.photos[0].caption, draft.photos[0].credit) == (caption, credit)


def test_a_sentence_that_mentions_a_photo_stays_a_paragraph():
    sentence = "Triển lãm giới thiệu hơn 200 tác phẩm. Ảnh: chủ đề chính là quê hương."
    draft = parse(*HEAD, "Lời dẫn của bài.", sentence, PARAGRAPH)
    assert [b.type for b in draft.blocks] == ["paragraph", "paragraph"]


# --- bylines with page debris or an attribution ----------------------------


@pytest.mark.parametrize(
    "byline, authors, agency",
    [
        ("Phạm Hương \u00a0\u00a0|\u00a0\u00a0", ["Phạm Hương"], ""),
        ("| Phạm Hương |", ["Phạm Hương"], ""),
        ("Minh Châu (theo TTXVN)", ["Minh Châu"], "TTXVN"),
        ("Minh Châu (Theo Reuters, AFP)", ["Minh Châu"], "Reuters, AFP"),
        ("Thu Hằng - Văn Dũng (tổng hợp)", ["Thu Hằng", "Văn Dũng"], ""),
    ],
)
def test_a_byline_with_debris_or_attribution_names_its_authors(byline, authors, agency):
    draft = parse(*HEAD, "Lời dẫn của bài.", PARAGRAPH, byline)
    assert draft.authors == authors
    assert draft.agency == agency
    assert [b.type for b in draft.blocks] == ["paragraph"]


# --- repeated and consecutive captions --------------------------------------


def test_the_same_caption_printed_twice_in_a_row_is_one_photo():
    caption = "Quang cảnh buổi làm việc. (Ảnh: Công Trí/TTXVN)"
    draft = parse(*HEAD, "Lời dẫn của bài.", caption, caption, PARAGRAPH)
    assert [b.type for b in draft.blocks] == ["photo", "paragraph"]


def test_two_captions_in_a_row_after_the_lead_are_two_photos():
    first = "Thủ tướng phát biểu. (Ảnh: Nhật Bắc/VGP)"
    second = "Quang cảnh hội nghị. (Ảnh: Nhật Bắc/VGP)"
    draft = parse(*HEAD, "Bến Tre", "Lời dẫn của bài.", first, second, PARAGRAPH)
    assert draft.location == "Bến Tre" and draft.lead == "Lời dẫn của bài."
    assert [p.caption for p in draft.photos] == [
        "Thủ tướng phát biểu.",
        "Quang cảnh hội nghị.",
    ]
    assert [b.type for b in draft.blocks] == ["photo", "photo", "paragraph"]


def test_two_captions_in_a_row_where_the_lead_would_be():
    first = "Thủ tướng phát biểu. (Ảnh: Nhật Bắc/VGP)"
    second = "Quang cảnh hội nghị. (Ảnh: Nhật Bắc/VGP)"
    draft = parse(*HEAD, first, second, "Lời dẫn của bài.", PARAGRAPH)
    assert len(draft.photos) == 2 and draft.lead == ""


# --- double-encoded text -----------------------------------------------------


def _double_encoded(value: str) -> str:
    """UTF-8 read as Windows-1252 and saved again as UTF-8 (the five bytes
    Windows-1252 leaves undefined become the control characters of the same
    number, as Windows does)."""
    out = []
    for byte in value.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))
    return "".join(out)


def test_double_encoded_text_is_refused_naming_the_line():
    garbled = _double_encoded("Giáo dục")
    assert garbled.startswith("GiÃ¡o")
    with pytest.raises(DraftError) as caught:
        parse(garbled, "Thủ tướng làm việc với tỉnh Bến Tre", "Lời dẫn.", PARAGRAPH)
    assert caught.value.line == 1
    assert "mã hóa hai lần" in str(caught.value) and "--fix-mojibake" in str(
        caught.value
    )


def test_double_encoded_text_deep_in_the_body_names_its_line():
    paragraph = _double_encoded("Người dân được hướng dẫn làm thủ tục trực tuyến.")
    with pytest.raises(DraftError) as caught:
        parse(*HEAD, "Lời dẫn của bài.", PARAGRAPH, paragraph)
    assert caught.value.line == 9  # the fifth block, after four and their blank lines


def test_double_encoded_text_is_repaired_only_when_asked():
    source = [
        "Giáo dục",
        "Đổi mới thi tốt nghiệp năm 2025",
        "Bộ Giáo dục và Đào tạo công bố phương án thi của người học.",
        PARAGRAPH,
    ]
    draft = parse(*map(_double_encoded, source), fix_mojibake=True)
    assert draft.category == "Giáo dục"
    assert draft.title == "Đổi mới thi tốt nghiệp năm 2025"
    assert draft.lead == "Bộ Giáo dục và Đào tạo công bố phương án thi của người học."


@pytest.mark.parametrize(
    "line",
    ["NGÃ TƯ SỞ THÔNG XE", "ÂM NHẠC ĐÃ ĂN SÂU", "Giá vé 2.000 € – «Ảnh: TTXVN»"],
)
def test_vietnamese_capitals_are_not_taken_for_double_encoding(line):
    draft = parse(*HEAD, "Lời dẫn của bài.", line, PARAGRAPH)
    assert draft.blocks[0].html == html.escape(line, quote=False)


# --- lines of only no-break spaces ------------------------------------------


def test_a_line_of_no_break_spaces_separates_blocks():
    draft = parse(*HEAD, "Lời dẫn của bài.", PARAGRAPH, separator="\n\u00a0\u00a0\n")
    assert draft.title == HEAD[1] and draft.lead == "Lời dẫn của bài."
    assert [b.type for b in draft.blocks] == ["paragraph"]


def test_nfd_bom_and_crlf_still_read():
    import unicodedata

    content = "\ufeff" + "\r\n\r\n".join([*HEAD, "Lời dẫn của bài.", PARAGRAPH])
    data = unicodedata.normalize("NFD", content).encode("utf-8")
    draft = wire.parse(data, "bai.txt")
    assert draft.title == HEAD[1] and draft.category == "Thời sự"


def test_a_folder_with_one_example_of_each_class_imports_every_field(
    tmp_path, db, capsys
):
    """Through the command: each file's fields as a reader would expect them."""
    from django.core.management import call_command

    from articles.models import Article

    files = {
        "dateline.txt": ["Thời sự", "Thủ tướng thăm Bến Tre", "(Chinhphu.vn) - Chiều 22/9, Thủ tướng đến Bến Tre.", PARAGRAPH, "Phạm Hương \u00a0|\u00a0"],
        "credit.txt": ["Thời sự", "Khánh thành cầu mới", "Sáng nay cây cầu thông xe.", "Lễ khánh thành. Ảnh: Lương Khánh.", PARAGRAPH, "Minh Châu (theo TTXVN)"],
        "twice.txt": ["Thời sự", "Hội nghị tỉnh", "Hội nghị khai mạc sáng nay.", "Quang cảnh. (Ảnh: TTXVN)", "Quang cảnh. (Ảnh: TTXVN)", "Đại biểu. (Ảnh: TTXVN)", PARAGRAPH],
    }  # fmt: skip
    for name, blocks in files.items():
        (tmp_path / name).write_text("\n\u00a0\n".join(blocks) + "\n", encoding="utf-8")
    (tmp_path / "garbled.txt").write_text(
        "\n\n".join(map(_double_encoded, ["Giáo dục", "Thi tốt nghiệp", PARAGRAPH]))
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_articles", str(tmp_path))
    err = capsys.readouterr().err
    assert "garbled.txt:1: văn bản bị mã hóa hai lần" in err

    by_title = {a.title: a for a in Article.objects.all()}
    assert set(by_title) == {
        "Thủ tướng thăm Bến Tre",
        "Khánh thành cầu mới",
        "Hội nghị tỉnh",
    }
    dateline = by_title["Thủ tướng thăm Bến Tre"]
    assert dateline.agency == "Chinhphu.vn" and dateline.byline[0].name == "Phạm Hương"
    credit = by_title["Khánh thành cầu mới"]
    assert credit.agency == "TTXVN" and credit.byline[0].name == "Minh Châu"
    assert (
        "Lương Khánh" in credit.body
        and "Lương Khánh" not in credit.body.split("</figure>")[-1]
    )
    assert by_title["Hội nghị tỉnh"].body.count("<figure") == 2

    call_command("import_articles", "--fix-mojibake", str(tmp_path / "garbled.txt"))
    assert Article.objects.filter(
        title="Thi tốt nghiệp", category__name="Giáo dục"
    ).exists()
