"""The database full-text indexes of 0002 go: full-text ranking is knowledge.lexical
now, in memory and the same on every database. Reversing re-creates them."""

import importlib

from django.db import migrations

_created = importlib.import_module("knowledge.migrations.0002_full_text_index")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_relative_sources")]

    operations = [
        migrations.RunPython(
            _created._run({"sqlite": _created.SQLITE_DROP, "postgresql": _created.POSTGRES_DROP}),
            _created._run({"sqlite": _created.SQLITE_CREATE, "postgresql": _created.POSTGRES_CREATE}),
        )
    ]
