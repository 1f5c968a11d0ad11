from django.db import migrations, models


def name_existing_vectors(apps, schema_editor):
    """Every vector stored before this migration came from the hashed embedder (256 floats)."""
    Chunk = apps.get_model("knowledge", "Chunk")
    Chunk.objects.all().update(embedding_model="offline-hash-256", embedding_dimensions=256)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_drop_full_text_index")]

    operations = [
        migrations.AddField(
            model_name="chunk",
            name="embedding_model",
            field=models.CharField(db_index=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="chunk",
            name="embedding_dimensions",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(name_existing_vectors, migrations.RunPython.noop),
    ]
