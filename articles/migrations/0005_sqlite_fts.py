"""Full-text search on SQLite: an FTS5 index over the folded columns, kept by triggers.

On PostgreSQL migration 0003 does the same with a tsvector and GIN.
"""

from django.db import migrations

FORWARD = [
    """CREATE VIRTUAL TABLE articles_article_fts USING fts5(
        search_title, search_lead, search_text,
        content='articles_article', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER articles_article_fts_insert AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, search_title, search_lead, search_text)
        VALUES (new.id, new.search_title, new.search_lead, new.search_text);
    END""",
    """CREATE TRIGGER articles_article_fts_delete AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(
            articles_article_fts, rowid, search_title, search_lead, search_text
        ) VALUES ('delete', old.id, old.search_title, old.search_lead, old.search_text);
    END""",
    """CREATE TRIGGER articles_article_fts_update
        AFTER UPDATE OF search_title, search_lead, search_text ON articles_article BEGIN
        INSERT INTO articles_article_fts(
            articles_article_fts, rowid, search_title, search_lead, search_text
        ) VALUES ('delete', old.id, old.search_title, old.search_lead, old.search_text);
        INSERT INTO articles_article_fts(rowid, search_title, search_lead, search_text)
        VALUES (new.id, new.search_title, new.search_lead, new.search_text);
    END""",
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_update",
    "DROP TRIGGER IF EXISTS articles_article_fts_delete",
    "DROP TRIGGER IF EXISTS articles_article_fts_insert",
    "DROP TABLE IF EXISTS articles_article_fts",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_list_indexes")]

    operations = [migrations.RunPython(forward, backward)]
