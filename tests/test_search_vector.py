"""PostgreSQL: the search vector an import's reader builds is the trigger's
(``articles/vectors.py``, migration 0025), so a story finds the same
searches whichever path stored it."""

import json
import random

import pytest
from django.db import connection

from articles import services, vectors
from articles.models import Article

from .test_import_export import run
from .test_import_parallel import _records

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's search vector"
    ),
]

TRIGGER = """
    setweight(to_tsvector('simple', %s), 'A') ||
    setweight(to_tsvector('simple', %s), 'B') ||
    setweight(to_tsvector('simple', %s), 'C')
"""
STORED = """
    setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(search_lead, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(search_text, '')), 'C')
"""


def _same_as_trigger(title: str, lead: str, text: str, names: str = "") -> bool:
    built = vectors.build(title, lead, text)
    assert built is not None, (title[:40], lead[:40], text[:40])
    literal = built.with_names(names)
    assert literal is not None
    full_text = " ".join(filter(None, (text, names)))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT %s::tsvector = ({TRIGGER}), %s::tsvector::text, ({TRIGGER})::text",
            [literal, title, lead, full_text, literal, title, lead, full_text],
        )
        same, ours, theirs = cursor.fetchone()
    assert same, (ours[:300], theirs[:300])
    return same


def _word(rng: random.Random) -> str:
    shape = rng.choice(["letters", "digits", "mixed", "number-like", "short"])
    if shape == "letters":
        return "".join(rng.choices("abcdeghiklmnopqrstuvxy", k=rng.randint(2, 9)))
    if shape == "digits":
        return "".join(rng.choices("0123456789", k=rng.randint(1, 25)))
    if shape == "mixed":
        return "".join(rng.choices("ab19x0", k=rng.randint(2, 8)))
    if shape == "number-like":  # what the parser might read as floats or hex
        return rng.choice(["1e5", "2e", "0x1f", "007", "e10", "inf", "nan", "1e308"])
    return rng.choice("abcxyz0123")


def test_the_built_vector_is_the_triggers_for_every_word_shape():
    rng = random.Random(7)
    for _ in range(60):
        parts = [
            " ".join(_word(rng) for _ in range(rng.choice([0, 1, 5, 40, 400])))
            for _ in range(3)
        ]
        names = " ".join(_word(rng) for _ in range(rng.choice([0, 1, 3])))
        _same_as_trigger(*parts, names)
    # A word in the title, the lead, the text and the byline: one lexeme.
    _same_as_trigger("ben tre", "tin ben tre", "ben tre hom nay", "ben tre")
    # Near the limits: positions up to 16,383, a word repeated 191 times,
    # a word of 2,000 letters.
    words = ["tu"] * 191 + [f"w{i}" for i in range(16_000)]
    _same_as_trigger("a", "", " ".join(words), "cong tri")
    _same_as_trigger("", "", "q" * 2_000)


def test_text_the_trigger_might_read_otherwise_is_left_to_the_trigger():
    assert vectors.build("a_b", "", "") is None  # the parser splits underscores
    assert vectors.build("", "", "trung quốc") is None  # not folded to ASCII
    assert vectors.build("", "", "a  b") is None  # not one space between words
    assert vectors.build("", "", "x" * 2_001) is None  # too long to index
    assert vectors.build("", "", " ".join(["tu"] * 192)) is None  # repeats
    assert vectors.build("", "", " ".join(["a"] * 16_320)) is None  # positions
    built = vectors.build("a", "", "b")
    assert built.with_names("minh_chau") is None
    assert built.with_names(" ".join(["x"] * 65)) is None
    assert built.with_names("") == built.literal


def _differing(sql_filter: str = "") -> list[str]:
    return list(
        Article.objects.extra(
            where=[f"search_vector IS DISTINCT FROM ({STORED}) {sql_filter}"]
        ).values_list("title", flat=True)
    )


@pytest.mark.parametrize("jobs", [0, 2])
def test_imported_stories_have_the_triggers_vector_and_headline(tmp_path, media, jobs):
    records = _records(media)
    # A byline and tags join the text at save; a story in another script.
    records.append(
        {
            "external_id": "khac-1",
            "category": "Thời sự",
            "title": "Bài có chữ 中文 và_gạch dưới",
            "body": [{"type": "paragraph", "text": "Nội dung."}],
        }
    )
    path = tmp_path / "bai.jsonl"
    path.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
        encoding="utf-8",
    )
    code, _, err = run(path, jobs=jobs)
    assert code == 0, err
    assert Article.objects.count() == len(records)
    assert _differing() == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE "
            "setweight(search_headline, 'D') IS DISTINCT FROM to_tsvector('simple', "
            "coalesce(search_title, '') || ' ' || coalesce(search_lead, ''))"
        )
        assert cursor.fetchone()[0] == 0
    rich = Article.objects.get(external_id="giau-1")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector @@ to_tsquery('simple', 'cong <-> tri'), "
            "search_headline @@ to_tsquery('simple', 'ben <-> tre') "
            "FROM articles_article WHERE id = %s",
            [rich.pk],
        )
        assert cursor.fetchone() == (True, True)


def test_an_edit_folds_the_vector_again(tmp_path, media):
    path = tmp_path / "bai.jsonl"
    path.write_text(
        json.dumps(_records(media)[0], ensure_ascii=False) + "\n", encoding="utf-8"
    )
    code, _, err = run(path, jobs=0)
    assert code == 0, err
    article = Article.objects.get()
    article.title = "Tiêu đề mới về Cần Thơ"
    services.save_article(article=article)
    assert _differing() == []
    assert Article.objects.filter(search_vector="can tho").exists()
