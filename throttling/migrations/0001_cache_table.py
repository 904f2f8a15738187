"""Create the table of the shared cache (CACHES["shared"], a database cache by default), so that
`migrate` is all a new installation needs. `createcachetable` skips tables that exist and caches
that are not database caches; after switching CACHES["shared"] to a database cache later, run
`manage.py createcachetable` once."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop, elidable=True)]
