"""PostgreSQL indexes for Chinese search over demands (SQLite skips them): a pg_trgm GIN index on
`search_text` for terms of three or more characters and one over its character bigrams for the
two-character words most Chinese terms are (`lianqi_bigrams`, created by the enterprise
register's migration)."""

from django.db import migrations

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS demands_search_trgm ON demands_demand USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS demands_search_bigrams ON demands_demand USING gin (lianqi_bigrams(search_text))",
]
REVERSE = [
    "DROP INDEX IF EXISTS demands_search_bigrams",
    "DROP INDEX IF EXISTS demands_search_trgm",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in STATEMENTS:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("demands", "0004_list_indexes"), ("enterprises", "0003_search_indexes")]

    operations = [migrations.RunPython(create, drop)]
