"""Sources of ingested files become relative to the folder they came from.

They were the server's absolute paths, which every citation showed to visitors.
Per organisation, absolute-path sources are made relative to the deepest folder
they all share (that folder becomes their ingest_root, which scopes --prune); a
document titled by the old fallback (its file name) and with no heading of its
own is titled by the new source, as kb_ingest now does. A source that would
collide with one the organisation already has is left as it was.
"""

import os
from collections import defaultdict
from pathlib import PurePosixPath

from django.db import migrations, models


def _old_fallback_title(source: str) -> str:
    return PurePosixPath(source).stem.replace("-", " ").replace("_", " ")


def relative_sources(apps, schema_editor):
    Document = apps.get_model("knowledge", "Document")
    Chunk = apps.get_model("knowledge", "Chunk")
    absolute = defaultdict(list)
    for document in Document.objects.filter(source__startswith="/").only("id", "organization_id", "source", "title"):
        absolute[document.organization_id].append(document)
    for organization_id, documents in absolute.items():
        root = os.path.commonpath([os.path.dirname(document.source) for document in documents])
        taken = set(
            Document.objects.filter(organization_id=organization_id).exclude(source__startswith="/").values_list("source", flat=True)
        )
        for document in documents:
            source = PurePosixPath(document.source).relative_to(root).as_posix()
            if source in taken:
                continue
            taken.add(source)
            fields = {"source": source, "ingest_root": root}
            if document.title == _old_fallback_title(document.source):
                fields["title"] = source
            Document.objects.filter(pk=document.pk).update(**fields)
            for chunk in Chunk.objects.filter(document_id=document.pk).only("id", "metadata"):
                metadata = {**chunk.metadata, "source": source, **({"title": fields["title"]} if "title" in fields else {})}
                Chunk.objects.filter(pk=chunk.pk).update(metadata=metadata)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_full_text_index")]

    operations = [
        migrations.AddField(model_name="document", name="ingest_root", field=models.CharField(blank=True, default="", max_length=2048)),
        migrations.RunPython(relative_sources, migrations.RunPython.noop),
    ]
