"""The Vietnamese text module: NFC, slugs, folding, dates."""

import datetime as dt
import unicodedata
import zoneinfo

import pytest

from articles import text

SAMPLE_TITLE = "Ban Chỉ đạo cải cách hành chính của Chính phủ kiểm tra tại Bến Tre"

# Every Vietnamese vowel (with its own marks) under each of the six tones,
# and the plain letter it must slug and fold to.
VOWELS = {
    "a": "aàáảãạ", "ă": "ăằắẳẵặ", "â": "âầấẩẫậ", "e": "eèéẻẽẹ", "ê": "êềếểễệ",
    "i": "iìíỉĩị", "o": "oòóỏõọ", "ô": "ôồốổỗộ", "ơ": "ơờớởỡợ", "u": "uùúủũụ",
    "ư": "ưừứửữự", "y": "yỳýỷỹỵ",
}  # fmt: skip
BASE = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}


def test_sample_title_slug_keeps_d():
    """The sample's title slugs with đ → d, every word kept."""
    assert text.slugify_vi(SAMPLE_TITLE) == (
        "ban-chi-dao-cai-cach-hanh-chinh-cua-chinh-phu-kiem-tra-tai-ben-tre"
    )


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Đoàn kiểm tra", "doan-kiem-tra"),
        ("ĐÀ NẴNG", "da-nang"),
        ("đường Điện Biên Phủ", "duong-dien-bien-phu"),
        ("Thủ tướng: “Phải làm ngay!”", "thu-tuong-phai-lam-ngay"),
        ("  Hà Nội -- TP.HCM  ", "ha-noi-tp-hcm"),
        ("Năm 2023, GDP tăng 5,05%", "nam-2023-gdp-tang-5-05"),
        ("Chính phủ & Quốc hội / Bộ Nội vụ", "chinh-phu-quoc-hoi-bo-noi-vu"),
        ("Xoài, ổi, ưu tiên, Ỷ Lan", "xoai-oi-uu-tien-y-lan"),
        ("!!!", ""),
    ],
)
def test_slugs(title, slug):
    assert text.slugify_vi(title) == slug


@pytest.mark.parametrize("base", sorted(VOWELS))
def test_every_vowel_with_every_tone_slugs_and_folds_to_its_letter(base):
    plain = BASE.get(base, base)
    for form in VOWELS[base]:
        for variant in (form, form.upper()):
            assert text.slugify_vi(variant) == plain, variant
            assert text.fold(variant) == plain, variant
            assert text.fold(unicodedata.normalize("NFD", variant)) == plain


def test_slug_of_decomposed_text_equals_slug_of_composed():
    nfd = unicodedata.normalize("NFD", SAMPLE_TITLE)
    assert nfd != SAMPLE_TITLE
    assert text.slugify_vi(nfd) == text.slugify_vi(SAMPLE_TITLE)


def test_long_title_slug_is_cut_at_a_word_boundary():
    title = " ".join(["Hội nghị trực tuyến toàn quốc"] * 30)
    slug = text.slugify_vi(title, max_length=60)
    assert len(slug) <= 60
    assert not slug.endswith("-")
    assert "hoi-nghi-truc-tuyen-toan-quoc-hoi-nghi".startswith(slug[:20])
    assert all(
        part in {"hoi", "nghi", "truc", "tuyen", "toan", "quoc"}
        for part in slug.split("-")
    )


def test_unique_slug_picks_first_free_suffix():
    assert text.unique_slug("ben-tre", []) == "ben-tre"
    assert text.unique_slug("ben-tre", ["ben-tre"]) == "ben-tre-2"
    assert (
        text.unique_slug("ben-tre", ["ben-tre", "ben-tre-2", "ben-tre-3"])
        == "ben-tre-4"
    )
    assert text.unique_slug("", []) == "bai-viet"


def test_unique_slug_suffix_respects_max_length():
    base = "a" * 20
    assert text.unique_slug(base, [base], max_length=20) == "a" * 18 + "-2"


def test_nfc_composes_decomposed_input():
    nfd = unicodedata.normalize("NFD", "Bến Tre")
    assert len(nfd) > len("Bến Tre")
    assert text.nfc(nfd) == "Bến Tre"


def test_clean_line_collapses_no_break_and_runs_of_space():
    assert text.clean_line("\ufeff  Bến\u00a0Tre \t\n tỉnh ") == "Bến Tre tỉnh"


@pytest.mark.parametrize(
    "a, b",
    [
        ("Cải Cách", "cai cach"),
        ("CẢI CÁCH HÀNH CHÍNH", "cải cách hành chính"),
        ("Đoàn", "doan"),
        ("Bến Tre,", "ben tre"),
        (unicodedata.normalize("NFD", "Nguyễn Thị Bé"), "nguyen thi be"),
    ],
)
def test_fold_makes_marks_case_and_punctuation_alike(a, b):
    assert text.fold(a) == text.fold(b)


def test_fold_keeps_digits_and_distinguishes_words():
    assert text.fold("Nghị định 61/2018/NĐ-CP") == "nghi dinh 61 2018 nd cp"
    assert text.fold("cải cách") != text.fold("cải tạo")


def test_date_in_vietnamese_from_utc():
    moment = dt.datetime(2023, 11, 10, 10, 30, tzinfo=dt.UTC)
    assert text.format_datetime_vi(moment) == "Thứ Sáu, 10/11/2023 17:30"


@pytest.mark.parametrize(
    "day, name",
    [
        (6, "Thứ Hai"), (7, "Thứ Ba"), (8, "Thứ Tư"), (9, "Thứ Năm"),
        (10, "Thứ Sáu"), (11, "Thứ Bảy"), (12, "Chủ Nhật"),
    ],
)  # fmt: skip
def test_every_weekday_name(day, name):
    moment = dt.datetime(2023, 11, day, 8, 5, tzinfo=text.VN_TZ)
    assert text.format_datetime_vi(moment) == f"{name}, {day:02d}/11/2023 08:05"


def test_date_crosses_midnight_into_vietnamese_day():
    """23:00 UTC on Thursday is already Friday morning in Hà Nội."""
    moment = dt.datetime(2023, 11, 9, 23, 0, tzinfo=zoneinfo.ZoneInfo("UTC"))
    assert text.format_datetime_vi(moment) == "Thứ Sáu, 10/11/2023 06:00"
    assert text.format_date_vi(moment) == "Thứ Sáu, 10/11/2023"


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        text.format_datetime_vi(dt.datetime(2023, 11, 10, 17, 30))


def test_html_to_text_separates_blocks_and_unescapes():
    assert text.html_to_text("<p>Bến&nbsp;Tre</p><p>A &amp; B</p>") == "Bến Tre A & B"


def test_english_readers_get_english_weekdays_in_hanoi_time():
    moment = dt.datetime(2023, 11, 10, 10, 30, tzinfo=dt.UTC)
    assert text.format_datetime(moment, "en") == "Friday, 10/11/2023 17:30"
    assert text.format_datetime(moment, "vi") == "Thứ Sáu, 10/11/2023 17:30"
