"""An embed policy points at a registered agent (the column stays agent_id), whose
organisation is the sessions' organisation; the policy's own organisation goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0002_register_existing_agents"),
        ("widget_auth", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="widgetpolicy", old_name="agent_id", new_name="agent"),
        migrations.AlterField(
            model_name="widgetpolicy",
            name="agent",
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="embed_policy", to="agents.agent"),
        ),
        migrations.RemoveField(model_name="widgetpolicy", name="organization_id"),
        migrations.AddField(model_name="widgetpolicy", name="accept_legacy_auth_context", field=models.BooleanField(default=True)),
    ]
