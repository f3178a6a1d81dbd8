"""Whatever a file holds, each bad record is one line and the others import."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importers import jsonl, wire
from articles.importers.base import ArticleDraft, DraftError
from articles.models import Article

GOOD = {
    "title": "Tin tốt",
    "category": "Thời sự",
    "lead": "Sapo.",
    "body": [{"type": "paragraph", "text": "Một."}],
}


def photo(image: str) -> dict:
    return dict(GOOD, title=f"Ảnh {image[:10]}", body=[
        {"type": "photo", "caption": "Chú thích.", "credit": "", "image": image}
    ])  # fmt: skip


HOSTILE = [
    ('{"title": "Sâu", "category": "Thời sự", "lead": '
     + "[" * 1000 + "]" * 1000 + "}", "lồng nhau quá sâu"),
    ('{"title": "Lẻ \\ud800", "category": "Thời sự", "lead": "x"}', "U+D800"),
    ('{"title": "Có NUL \\u0000", "category": "Thời sự", "lead": "x"}', "U+0000"),
    (json.dumps(photo("/etc/hostname")), "trong thư mục media"),
    (json.dumps(photo("../../etc/hostname")), "trong thư mục media"),
    (json.dumps(photo("photos/../../x.jpg")), "trong thư mục media"),
    (json.dumps(photo("C:\\\\Windows\\\\win.ini")), "trong thư mục media"),
    ('{"title": 5, "category": ["a"], "lead": {}}', "phải là chuỗi"),
    ('{"title": "Dài", "category": "Thời sự", "lead": "' + "a" * 20000 + '"}', None),
]  # fmt: skip


@pytest.mark.parametrize("raw, words", HOSTILE)
def test_each_hostile_record_is_one_clear_error_or_a_clean_draft(raw, words):
    result = list(jsonl.parse_lines(iter([raw.encode()]), "a.jsonl"))
    assert len(result) == 1
    if words is None:
        assert isinstance(result[0], ArticleDraft | DraftError)
    else:
        assert isinstance(result[0], DraftError), result[0]
        assert words in result[0].reason and result[0].line == 1


@pytest.mark.django_db
def test_hostile_records_do_not_stop_the_good_ones_in_the_same_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    rows = [json.dumps(GOOD, ensure_ascii=False)]
    rows += [raw for raw, words in HOSTILE if words]
    rows.append(json.dumps(dict(GOOD, title="Tin tốt hai"), ensure_ascii=False))
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import_articles", str(path), stdout=io.StringIO(), stderr=err)
    assert failed.value.returncode == 1
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == len(rows) - 2
    assert all(line.startswith(f"{path}:") for line in lines)
    assert "Traceback" not in err.getvalue()
    assert set(Article.objects.values_list("title", flat=True)) == {
        "Tin tốt",
        "Tin tốt hai",
    }


FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_draft_or_a_draft_error_for_wire_text(data):
    try:
        draft = wire.parse(data, "fuzz.txt")
    except DraftError as exc:
        assert exc.reason and "\n" not in exc.reason
    else:
        assert isinstance(draft, ArticleDraft)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "category",
                    "lead",
                    "body",
                    "type",
                    "text",
                    "image",
                    "html",
                    "authors",
                    "tags",
                    "related",
                    "published_at",
                    "status",
                    "x",
                ]
            ),
            inner,
            max_size=6,
        )
    ),  # fmt: skip
    max_leaves=20,
)


@FUZZ
@given(st.one_of(json_values.map(json.dumps), st.binary(max_size=500)))
def test_any_line_is_a_draft_or_one_draft_error_for_json_lines(line):
    raw = line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")
    results = list(jsonl.parse_lines(iter([raw]), "fuzz.jsonl"))
    for item in results:
        assert isinstance(item, ArticleDraft | DraftError)
        if isinstance(item, DraftError):
            assert item.reason and "\n" not in item.reason
