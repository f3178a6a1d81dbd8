"""Full-text search on PostgreSQL: a weighted vector kept by a trigger, a GIN index.

On other databases the column stays empty and search uses the fallback in
articles/search.py.
"""

import django.contrib.postgres.search
from django.conf import settings
from django.db import migrations, models


VECTOR = """
    setweight(to_tsvector('simple', coalesce(NEW.search_title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(NEW.search_lead, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.search_text, '')), 'C')
"""

FORWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := {VECTOR};
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_vector
    BEFORE INSERT OR UPDATE OF search_title, search_lead, search_text, search_vector
    ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();
CREATE INDEX article_search_gin ON articles_article USING GIN (search_vector);
UPDATE articles_article SET search_title = search_title;
"""

BACKWARD = """
DROP INDEX IF EXISTS article_search_gin;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_editorial_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['status', '-published_at', 'category'], name='article_pub_cat'),
        ),
        migrations.RunPython(forward, backward),
    ]
