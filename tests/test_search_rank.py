"""Search finds the story first: typed diacritics and whole phrases rank
above folded, scattered matches."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from . import factories

pytestmark = [pytest.mark.django_db]


def order(query: str) -> list[str]:
    import re

    html = Client().get("/tim-kiem/", {"q": query}).content.decode()
    return [
        re.sub(r"</?mark>", "", t)
        for t in re.findall(
            r'<h2 class="card-title"><a href="[^"]+">(.*?)</a></h2>', html
        )
    ]


@pytest.fixture
def corpus():
    now = timezone.now()
    stories = [
        ("Lào Cai đẩy mạnh phong trào thi đua", "Cách làm mới ở vùng cao."),
        ("Cài cách nhiệt cho nhà ở vùng lạnh", "Hướng dẫn của Bộ Xây dựng."),
        ("Cải cách hành chính tại Bến Tre", "Đoàn kiểm tra làm việc với tỉnh."),
        ("Hội nghị tổng kết năm", "Nhiều cải cách được ghi nhận, cách làm sáng tạo."),
    ]
    # The exact story is the oldest: the date cannot be what ranks it.
    for i, (title, lead) in enumerate(stories):
        factories.article(title, lead=lead, published_at=now - timedelta(hours=i))


def test_the_typed_phrase_with_its_diacritics_ranks_first(corpus):
    found = order("cải cách")
    assert found[0] == "Cải cách hành chính tại Bến Tre"
    assert found.index("Cài cách nhiệt cho nhà ở vùng lạnh") < found.index(
        "Lào Cai đẩy mạnh phong trào thi đua"
    )


def test_without_diacritics_the_phrase_in_the_title_still_ranks_first(corpus):
    found = order("cai cach")
    assert found[:2] == [
        "Cài cách nhiệt cho nhà ở vùng lạnh",
        "Cải cách hành chính tại Bến Tre",
    ] or found[:2] == [
        "Cải cách hành chính tại Bến Tre",
        "Cài cách nhiệt cho nhà ở vùng lạnh",
    ]
    assert found[-1] in ("Lào Cai đẩy mạnh phong trào thi đua", "Hội nghị tổng kết năm")


def test_a_different_diacritic_is_not_an_exact_match(corpus):
    from articles.models import Article

    # The exact story is now the oldest of all.
    Article.objects.filter(title__startswith="Cài").update(
        published_at=timezone.now() - timedelta(days=3)
    )
    assert order("cài cách")[0] == "Cài cách nhiệt cho nhà ở vùng lạnh"
    assert order("cải cách")[0] == "Cải cách hành chính tại Bến Tre"
