import uuid

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Agent",
            fields=[
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("organization_id", models.CharField(db_index=True, max_length=128)),
                ("name", models.CharField(help_text="shown to visitors (agentName in every session)", max_length=255)),
                ("model", models.CharField(blank=True, help_text="model asked of the gateway; blank = SMOOTH_AGENT_MODEL", max_length=255)),
                ("system_prompt", models.TextField(blank=True, help_text="the agent's instructions; blank = the server's default prompt")),
                (
                    "max_iterations",
                    models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="model calls per turn at most; blank = SMOOTH_AGENT_MAX_ITERATIONS",
                        null=True,
                        validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(50)],
                    ),
                ),
                ("enabled", models.BooleanField(default=True)),
            ],
            options={"ordering": ["organization_id", "name"]},
        ),
    ]
