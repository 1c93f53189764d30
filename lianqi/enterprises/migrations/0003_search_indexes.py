"""PostgreSQL indexes for the register list (SQLite skips them: at a park's size it scans fast).

- `search_text` substring search (`LIKE '%…%'`): a pg_trgm GIN index serves terms of three or
  more characters; most Chinese words are two characters, which yield no trigram, so a second
  GIN index over the text's character bigrams (`lianqi_bigrams`) narrows those first (see
  `EnterpriseFilter.filter_search`).
- The list's orders (name, update time, capital, employees, founding date; each with id as the
  tie-breaker), so a page of a large park reads 50 rows in index order instead of sorting
  every row.
"""

from django.db import migrations

BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION lianqi_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
  FROM generate_series(1, length(value) - 1) AS i
$$
"""

STATEMENTS = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_search_trgm "
    "ON enterprises_enterprise USING gin (search_text gin_trgm_ops)",
    BIGRAMS_FUNCTION,
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_search_bigrams "
    "ON enterprises_enterprise USING gin (lianqi_bigrams(search_text))",
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_name_id ON enterprises_enterprise (name, id)",
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_updated_id ON enterprises_enterprise (updated_at, id)",
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_capital_id ON enterprises_enterprise (registered_capital, id)",
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_employees_id ON enterprises_enterprise (employees, id)",
    "CREATE INDEX IF NOT EXISTS enterprises_enterprise_founded_id ON enterprises_enterprise (founded_on, id)",
]

REVERSE = [
    "DROP INDEX IF EXISTS enterprises_enterprise_founded_id",
    "DROP INDEX IF EXISTS enterprises_enterprise_employees_id",
    "DROP INDEX IF EXISTS enterprises_enterprise_capital_id",
    "DROP INDEX IF EXISTS enterprises_enterprise_updated_id",
    "DROP INDEX IF EXISTS enterprises_enterprise_name_id",
    "DROP INDEX IF EXISTS enterprises_enterprise_search_bigrams",
    "DROP FUNCTION IF EXISTS lianqi_bigrams(text)",
    "DROP INDEX IF EXISTS enterprises_enterprise_search_trgm",
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
    dependencies = [("enterprises", "0002_ship_sections_and_divisions")]

    operations = [migrations.RunPython(create, drop)]
