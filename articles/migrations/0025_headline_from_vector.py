"""PostgreSQL: the search trigger folds less.

- The title and lead's vector is taken from the weighted vector just built
  (its A and B lexemes, positions kept) instead of folding the title and
  lead a second time. The same phrases match: the lead's positions follow
  the title's in both. Rows already stored keep theirs, which matches the
  same queries.
- A vector an INSERT brings is kept: an import's reader built it from the
  very fields it folds (``articles/vectors.py``, tested against this
  function). Every UPDATE, and an INSERT without one, is folded here.
"""

from django.db import migrations

VECTOR = """
    setweight(to_tsvector('simple', coalesce(NEW.search_title, '')), 'A') ||
    setweight(to_tsvector('simple', coalesce(NEW.search_lead, '')), 'B') ||
    setweight(to_tsvector('simple', coalesce(NEW.search_text, '')), 'C')
"""

FORWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' OR NEW.search_vector IS NULL THEN
        NEW.search_vector := {VECTOR};
    END IF;
    NEW.search_headline := ts_filter(NEW.search_vector, '{{a,b}}');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

BACKWARD = f"""
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector := {VECTOR};
    NEW.search_headline := to_tsvector('simple', coalesce(NEW.search_title, '') || ' ' ||
                                                 coalesce(NEW.search_lead, ''));
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
    dependencies = [("articles", "0024_photo_without_image")]

    operations = [migrations.RunPython(forward, backward)]
