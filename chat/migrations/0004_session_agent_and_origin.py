"""Sessions point at registered agents and remember the origin they were created
from; per-organisation AgentSettings became each agent's own settings (agents 0002)."""

import django.db.models.deletion
from django.db import migrations, models

from widget_auth.origins import normalize_origin


def record_origins(apps, schema_editor):
    Session = apps.get_model("chat", "Session")
    for session in Session.objects.select_related("user_participant").iterator():
        origin = (session.user_participant.browser_info or {}).get("origin")
        if origin:
            Session.objects.filter(pk=session.pk).update(origin=normalize_origin(origin))


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0002_register_existing_agents"),
        ("chat", "0003_agent_settings"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="session", name="session_agent_created_idx"),
        migrations.RenameField(model_name="session", old_name="agent_id", new_name="agent"),
        migrations.AlterField(
            model_name="session",
            name="agent",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="sessions", to="agents.agent"
            ),
        ),
        migrations.AddIndex(model_name="session", index=models.Index(fields=["agent", "-created_at"], name="session_agent_created_idx")),
        migrations.AddField(model_name="session", name="origin", field=models.CharField(blank=True, max_length=512, null=True)),
        migrations.RunPython(record_origins, migrations.RunPython.noop),
        migrations.DeleteModel(name="AgentSettings"),
    ]
