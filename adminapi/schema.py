"""What the OpenAPI schema cannot infer: the Bearer scheme and the shapes of the
plain APIViews. Imported by the app's ready()."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers


class BearerPrincipalScheme(OpenApiAuthenticationExtension):
    target_class = "adminapi.authentication.BearerPrincipalAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}


ERROR = inline_serializer(
    "Error",
    {"code": serializers.CharField(), "message": serializers.CharField(), "details": serializers.JSONField(required=False)},
)
HEALTH = inline_serializer("Health", {"status": serializers.CharField()})
ME = inline_serializer(
    "Me",
    {
        "userId": serializers.CharField(),
        "organizationId": serializers.CharField(),
        "role": serializers.ChoiceField(choices=["admin", "curator", "basic"]),
        "groups": serializers.ListField(child=serializers.CharField()),
        "name": serializers.CharField(),
        "email": serializers.CharField(),
    },
)


class EmbedPolicyOutput(serializers.Serializer):
    agentId = serializers.UUIDField()
    organizationId = serializers.CharField()
    allowedOrigins = serializers.ListField(child=serializers.CharField())
    keyScheme = serializers.ChoiceField(choices=["none", "ed25519", "hmac-sha256"])
    publicKey = serializers.CharField(allow_null=True)
    hmacSecretSet = serializers.BooleanField()
    acceptLegacyAuthContext = serializers.BooleanField()
    keyFingerprint = serializers.CharField(allow_null=True)
    enabled = serializers.BooleanField()
    notes = serializers.CharField()
    createdAt = serializers.DateTimeField()
    updatedAt = serializers.DateTimeField()


POLICY = EmbedPolicyOutput
