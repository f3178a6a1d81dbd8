"""The content model: slugs, paths, normalization, search fields, URLs."""

import unicodedata

import pytest
from django.db import IntegrityError

from articles.models import Article, Category

from . import factories

pytestmark = pytest.mark.django_db

TITLE = "Ban Chỉ đạo cải cách hành chính của Chính phủ kiểm tra tại Bến Tre"


def test_article_slug_from_title_and_url_with_section_path():
    section = factories.category("Chính phủ hành động")
    article = factories.article(TITLE, category=section)
    assert section.slug == "chinh-phu-hanh-dong"
    assert (
        article.slug
        == "ban-chi-dao-cai-cach-hanh-chinh-cua-chinh-phu-kiem-tra-tai-ben-tre"
    )
    assert (
        article.get_absolute_url()
        == f"/chinh-phu-hanh-dong/{article.slug}-{article.pk}.htm"
    )


def test_same_title_in_one_section_gets_a_suffix_and_elsewhere_does_not():
    section, other = factories.category(), factories.category()
    first = factories.article("Đoàn kiểm tra", category=section)
    second = factories.article("Đoàn kiểm tra", category=section)
    third = factories.article("Đoàn kiểm tra", category=section)
    elsewhere = factories.article("Đoàn kiểm tra", category=other)
    assert [first.slug, second.slug, third.slug] == [
        "doan-kiem-tra",
        "doan-kiem-tra-2",
        "doan-kiem-tra-3",
    ]
    assert elsewhere.slug == "doan-kiem-tra"


def test_slug_is_found_with_one_query_whatever_the_number_taken(
    django_assert_num_queries,
):
    section = factories.category()
    for _ in range(5):
        factories.article("Bến Tre", category=section)
    article = Article(title="Bến Tre", category=section)
    with django_assert_num_queries(1):
        assert article.make_slug() == "ben-tre-6"


def test_editor_slug_is_kept():
    article = factories.article("Bến Tre", slug="ben-tre-dong-khoi")
    assert article.slug == "ben-tre-dong-khoi"


def test_text_is_stored_nfc_and_search_fields_folded():
    nfd = unicodedata.normalize("NFD", TITLE)
    article = factories.article(
        nfd, lead=unicodedata.normalize("NFD", "Đoàn  kiểm tra")
    )
    article.refresh_from_db()
    assert article.title == TITLE
    assert article.lead == "Đoàn kiểm tra"
    assert "ben tre" in article.search_title
    assert article.search_lead == "doan kiem tra"


def test_body_is_sanitized_on_save():
    article = factories.article(
        body='<p onclick="x()">Xin chào<script>alert(1)</script></p>'
    )
    article.refresh_from_db()
    assert article.body == "<p>Xin chào</p>"


def test_external_id_is_unique_when_set_and_blank_is_null():
    factories.article(external_id="")
    factories.article(external_id="  ")
    assert Article.objects.filter(external_id__isnull=True).count() == 2
    factories.article(external_id="ttxvn-1")
    with pytest.raises(IntegrityError):
        factories.article(external_id="ttxvn-1")


def test_sub_section_path_and_move_updates_the_subtree():
    top = factories.category("Chính phủ")
    sub = factories.category("Chính phủ hành động", parent=top)
    leaf = factories.category("Địa phương", parent=sub)
    assert leaf.path == "chinh-phu/chinh-phu-hanh-dong/dia-phuong"
    assert leaf.get_absolute_url() == "/chinh-phu/chinh-phu-hanh-dong/dia-phuong/"
    assert [c.name for c in leaf.ancestors()] == [
        "Chính phủ",
        "Chính phủ hành động",
        "Địa phương",
    ]
    sub.slug = "hanh-dong"
    sub.save()
    leaf.refresh_from_db()
    assert leaf.path == "chinh-phu/hanh-dong/dia-phuong"


def test_in_category_includes_sub_sections_but_not_look_alikes():
    top = factories.category("Chính phủ")
    sub = factories.category("Hành động", parent=top)
    lookalike = Category.objects.create(name="Chính phủ số", slug="chinh-phu-so")
    a = factories.article(category=top)
    b = factories.article(category=sub)
    factories.article(category=lookalike)
    assert set(Article.objects.published().in_category(top)) == {a, b}


def test_byline_keeps_order():
    second, first = factories.author("Trần Thị B"), factories.author("Nguyễn Văn A")
    article = factories.article(authors=[first, second])
    assert [a.name for a in article.byline] == ["Nguyễn Văn A", "Trần Thị B"]
    assert first.slug == "nguyen-van-a"


def test_str_are_human_readable():
    article = factories.article("Bến Tre")
    photo = factories.photo(caption="Quang cảnh buổi làm việc.")
    assert str(article) == "Bến Tre"
    assert str(article.category).startswith("Chuyên mục")
    assert str(photo) == "Quang cảnh buổi làm việc."


def test_absolute_urls_agree_with_the_url_patterns():
    from django.urls import reverse

    top = factories.category("Chính phủ")
    sub = factories.category("Địa phương", parent=top)
    article = factories.article("Bến Tre", category=sub)
    author, tag = factories.author("Công Trí"), factories.tag("Cải cách")
    assert article.get_absolute_url() == reverse(
        "articles:article",
        kwargs={"path": sub.path, "slug": article.slug, "pk": article.pk},
    )
    assert sub.get_absolute_url() == reverse(
        "articles:category", kwargs={"path": sub.path}
    )
    assert author.get_absolute_url() == reverse(
        "articles:author", kwargs={"slug": author.slug}
    )
    assert tag.get_absolute_url() == reverse("articles:tag", kwargs={"slug": tag.slug})


def test_the_migration_gives_back_plain_slugs_to_sections_under_other_parents():
    """Before slugs were unique per parent, a second "Địa phương" became dia-phuong-2."""
    import importlib

    from django.apps import apps

    from articles.models import Category

    migration = importlib.import_module(
        "articles.migrations.0007_category_slug_per_parent_photo_size"
    )
    government = Category.objects.create(name="Chính phủ")
    economy = Category.objects.create(name="Kinh tế")
    first = Category.objects.create(name="Địa phương", parent=government)
    second = Category.objects.create(name="Địa phương", parent=economy)
    child = Category.objects.create(name="Huyện", parent=second)
    twin = Category.objects.create(name="Địa phương 2", slug="dia-phuong-2")
    Category.objects.filter(pk=second.pk).update(
        slug="dia-phuong-2", path="kinh-te/dia-phuong-2"
    )
    Category.objects.filter(pk=child.pk).update(path="kinh-te/dia-phuong-2/huyen")
    migration.slugs_per_parent(apps, None)
    paths = dict(Category.objects.values_list("pk", "path"))
    assert paths[first.pk] == "chinh-phu/dia-phuong"
    assert paths[second.pk] == "kinh-te/dia-phuong"
    assert paths[child.pk] == "kinh-te/dia-phuong/huyen"
    assert paths[twin.pk] == "dia-phuong-2"  # its own name's slug, left alone
