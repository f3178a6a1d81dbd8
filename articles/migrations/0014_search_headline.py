"""PostgreSQL: the folded title and lead as a vector of their own, kept by the
search trigger and indexed with GIN, so a broad search finds the stories
with its words as a phrase there without reading each match's whole vector
(articles/search.py, ``BROAD``). On SQLite the column stays empty: the FTS5
column filter does the same there."""

import django.contrib.postgres.search
from django.db import migrations

VECTOR = """
    setweight(to_tsvector('simple', coalesce(NEW.search_title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(NEW.search_lead, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.search_text, '')), 'C')
"""
HEADLINE = """
    to_tsvector('simple', coalesce(NEW.search_title, '') || ' ' ||
                          coalesce(NEW.search_lead, ''))
"""

FORWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := {VECTOR};
    NEW.search_headline := {HEADLINE};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
UPDATE articles_article SET search_title = search_title;
CREATE INDEX article_headline_gin ON articles_article USING GIN (search_headline);
"""

BACKWARD = f"""
DROP INDEX IF EXISTS article_headline_gin;
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := {VECTOR};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0013_edit_lock_page")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_headline",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False, null=True
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
