"""Search finds stories by their tags, authors and location too."""

import importlib

from django.db import migrations, models

from articles import text

fts = importlib.import_module("articles.migrations.0005_sqlite_fts")


def keep_fts_triggers(apps, schema_editor):
    """SQLite adds this column by rebuilding the table, which drops the
    triggers that keep the FTS5 index (migration 0005): put them back."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in fts.BACKWARD[:3] + fts.FORWARD[1:]:
        schema_editor.execute(statement)


def index_names(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleAuthor = apps.get_model("articles", "ArticleAuthor")
    Tags = Article.tags.through
    names: dict[int, list[str]] = {}
    for article_id, name in Tags.objects.values_list("article_id", "tag__name"):
        names.setdefault(article_id, []).append(name)
    byline = ArticleAuthor.objects.order_by("order").values_list(
        "article_id", "author__name"
    )
    for article_id, name in byline:
        names.setdefault(article_id, []).append(name)
    rows = Article.objects.filter(
        models.Q(pk__in=list(names)) | ~models.Q(location="")
    ).only("pk", "body", "location")
    batch = []
    for article in rows.iterator(chunk_size=500):
        article.search_names = text.fold(
            " ".join(dict.fromkeys(names.get(article.pk, [])))
        )
        article.search_text = text.fold(
            " ".join(
                (text.html_to_text(article.body), article.location, article.search_names)
            )
        )
        batch.append(article)
        if len(batch) == 500:
            Article.objects.bulk_update(batch, ["search_names", "search_text"])
            batch = []
    Article.objects.bulk_update(batch, ["search_names", "search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_read_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_names",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(keep_fts_triggers, migrations.RunPython.noop),
        migrations.RunPython(index_names, migrations.RunPython.noop),
    ]
