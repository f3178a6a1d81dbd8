"""Three indexes fewer on the article table, each written on every insert:
(status, published_at) and the section's own are where wider indexes
start (article_pub_cat, article_cat_pub); the text hash keeps a plain
index, without the pattern-matching copy no query uses."""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Altering these columns rebuilds the table on SQLite, which drops the FTS5
# triggers (migration 0005): migration 0012's step puts them back.
keep_fts_triggers = importlib.import_module(
    "articles.migrations.0012_search_names"
).keep_fts_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0025_headline_from_vector"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="article_status_pub",
        ),
        migrations.AlterField(
            model_name="article",
            name="category",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="articles",
                to="articles.category",
                verbose_name="chuyên mục",
            ),
        ),
        migrations.AlterField(
            model_name="article",
            name="content_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="mã băm nội dung nhập",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["content_hash"], name="article_content_hash"),
        ),
        migrations.RunPython(keep_fts_triggers, migrations.RunPython.noop),
    ]
