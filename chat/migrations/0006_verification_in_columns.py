"""A visitor's verification (by the host's authContext, or by a one-time code) and a
conversation's declared capabilities move from JSON metadata into columns with
constraints: every session keeps its state, and the metadata keeps only what the client
said."""

from django.db import migrations, models
from django.utils.dateparse import parse_datetime


def _when(text, fallback):
    moment = parse_datetime(text) if isinstance(text, str) else None
    return moment or fallback


def to_columns(apps, schema_editor):
    Session, Conversation = apps.get_model("chat", "Session"), apps.get_model("chat", "Conversation")
    for session in Session.objects.all().iterator():
        metadata = dict(session.metadata or {})
        identity, code = metadata.pop("identity", None), metadata.pop("otp", None)
        if identity is None and code is None:
            continue
        if isinstance(identity, dict) and identity.get("verified") and identity.get("userId"):
            session.verified_user_id = str(identity["userId"])[:255]
            session.verified_scheme = str(identity.get("scheme") or "")[:16]
            session.verified_format = str(identity.get("format") or "")[:8]
            session.verified_at = _when(identity.get("verifiedAt"), session.created_at)
        if isinstance(code, dict) and code.get("verified"):
            session.code_verified_channel = str(code.get("channel") or "email")[:16]
            session.code_verified_at = _when(code.get("verifiedAt"), session.updated_at)
        session.metadata = metadata
        session.save()
    for conversation in Conversation.objects.filter(metadata__has_key="supports").iterator():
        metadata = dict(conversation.metadata)
        supports = metadata.pop("supports")
        conversation.supports = [item for item in supports if isinstance(item, str)] if isinstance(supports, list) else []
        conversation.metadata = metadata
        conversation.save()


def to_metadata(apps, schema_editor):
    Session, Conversation = apps.get_model("chat", "Session"), apps.get_model("chat", "Conversation")
    verified = Session.objects.filter(models.Q(verified_user_id__isnull=False) | models.Q(code_verified_at__isnull=False))
    for session in verified.iterator():
        metadata = dict(session.metadata or {})
        if session.verified_user_id is not None:
            metadata["identity"] = {
                "verified": True,
                "userId": session.verified_user_id,
                "scheme": session.verified_scheme,
                "format": session.verified_format,
                "verifiedAt": session.verified_at.isoformat(),
            }
        if session.code_verified_at is not None:
            metadata["otp"] = {
                "verified": True,
                "channel": session.code_verified_channel,
                "verifiedAt": session.code_verified_at.isoformat(),
            }
        session.metadata = metadata
        session.save()
    for conversation in Conversation.objects.exclude(supports=[]).iterator():
        conversation.metadata = {**(conversation.metadata or {}), "supports": conversation.supports}
        conversation.save()


class Migration(migrations.Migration):
    dependencies = [
        ("agents", "0005_budgets_and_enforcement"),
        ("chat", "0005_parked_turns_and_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="supports",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="session",
            name="code_verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="session",
            name="code_verified_channel",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="session",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="session",
            name="verified_format",
            field=models.CharField(blank=True, default="", max_length=8),
        ),
        migrations.AddField(
            model_name="session",
            name="verified_scheme",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="session",
            name="verified_user_id",
            field=models.CharField(blank=True, max_length=255, null=True),
        ),
        migrations.RunPython(to_columns, to_metadata),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("verified_at__isnull", True), ("verified_user_id__isnull", True)),
                    models.Q(
                        ("verified_at__isnull", False),
                        ("verified_user_id__isnull", False),
                        models.Q(("verified_user_id", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="session_verified_user_whole",
            ),
        ),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("code_verified_at__isnull", True), ("code_verified_channel", "")),
                    models.Q(("code_verified_at__isnull", False), models.Q(("code_verified_channel", ""), _negated=True)),
                    _connector="OR",
                ),
                name="session_code_verified_whole",
            ),
        ),
    ]
