"""Output shapes of the admin API (camelCase, like the protocol)."""

from rest_framework import serializers


class ConversationOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    platform = serializers.CharField()
    organizationId = serializers.CharField(source="organization_id")
    metadata = serializers.JSONField()
    createdAt = serializers.DateTimeField(source="created_at")
    updatedAt = serializers.DateTimeField(source="updated_at")


class ParticipantRef(serializers.Serializer):
    id = serializers.UUIDField()
    type = serializers.CharField()
    name = serializers.CharField()


class MessageOutput(serializers.Serializer):
    id = serializers.UUIDField()
    direction = serializers.CharField()
    text = serializers.CharField()
    items = serializers.SerializerMethodField()
    sessionId = serializers.UUIDField(source="session_id", allow_null=True)
    fromParticipant = ParticipantRef(source="from_participant", allow_null=True)
    toParticipant = ParticipantRef(source="to_participant", allow_null=True)
    createdAt = serializers.DateTimeField(source="created_at")

    def get_items(self, message) -> list:
        return message.content.get("items", [])


class DocumentSetOutput(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    documentCount = serializers.IntegerField(source="document_count")


class IndexingRunOutput(serializers.Serializer):
    id = serializers.UUIDField()
    source = serializers.CharField()
    status = serializers.CharField()
    startedAt = serializers.DateTimeField(source="started_at")
    finishedAt = serializers.DateTimeField(source="finished_at", allow_null=True)
    documentsSeen = serializers.IntegerField(source="documents_seen")
    documentsAdded = serializers.IntegerField(source="documents_added")
    documentsUpdated = serializers.IntegerField(source="documents_updated")
    documentsUnchanged = serializers.IntegerField(source="documents_unchanged")
    documentsDeleted = serializers.IntegerField(source="documents_deleted")
    error = serializers.CharField()
