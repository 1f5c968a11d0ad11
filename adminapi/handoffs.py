"""Handoffs over the API, for teams with an inbox tool of their own: the conversations waiting
for (or held by) a person, and taking one over, replying and handing back. The caller's
organisation only (another's conversation answers 404, as an unknown one); role curator
and up. The operator is the token's principal, shown to visitors by its name."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from adminapi import schema
from adminapi.permissions import at_least
from agents.serializers import StrictCharField
from chat.models import Conversation
from handoff import live, selectors, services
from identity.principals import Role

MAX_REPLY = 10_000


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "conflict"


def operator_of(principal) -> tuple[str, str]:
    """(the operator's id, the name visitors read). API principals and Django staff never share ids."""
    return f"api:{principal.user_id}", (principal.name or principal.user_id)[:255]


def _conversation(request, conversation_id) -> Conversation:
    try:
        return services.conversation_of(conversation_id, {request.user.principal.organization_id})
    except Conversation.DoesNotExist:
        raise exceptions.NotFound("no such conversation") from None


def _run(step, *args, **kwargs) -> services.Step:
    """An operator's step (handoff.live: stored, then published); conflicts are 409."""
    try:
        return async_to_sync(step)(*args, **kwargs)
    except services.NotYours as exc:
        raise Conflict(f"{exc.holder_name} holds this conversation: send takeFrom to take it over from them") from None
    except services.NotHolding:
        raise Conflict("take the conversation over first") from None
    except services.AlreadyHolding:
        raise Conflict("you hold this conversation already") from None


HANDOFFS = inline_serializer(
    "Handoff",
    {
        "conversationId": serializers.UUIDField(),
        "sessionId": serializers.UUIDField(),
        "visitor": serializers.CharField(),
        "agent": serializers.CharField(),
        "lastMessage": serializers.CharField(),
        "state": serializers.ChoiceField(choices=["waiting", "held"]),
        "holder": serializers.CharField(allow_null=True),
        "reason": serializers.CharField(allow_null=True),
        "since": serializers.DateTimeField(),
    },
    many=True,
)
STEP = inline_serializer(
    "HandoffStep", {"conversationId": serializers.UUIDField(), "messageId": serializers.UUIDField(), "event": serializers.CharField()}
)


class TakeOverInput(serializers.Serializer):
    takeFrom = serializers.BooleanField(required=False, default=False, help_text="take it over from the operator who holds it")


class ReplyInput(serializers.Serializer):
    text = StrictCharField(max_length=MAX_REPLY, help_text="what the visitor reads, in every tab of their session")


def _step(step: services.Step) -> dict:
    return {"conversationId": step.conversation_id, "messageId": step.message_id, "event": step.event}


class HandoffListView(APIView):
    permission_classes = [at_least(Role.CURATOR)]

    @extend_schema(responses={200: HANDOFFS, 403: schema.ERROR}, operation_id="handoffs_list")
    def get(self, request):
        rows = selectors.inbox({request.user.principal.organization_id})
        keys = ("conversationId", "sessionId", "visitor", "agent", "lastMessage", "state", "holder", "reason", "since")
        return Response([{key: row[key] for key in keys} for row in rows if row["state"] in ("waiting", "held")])


class TakeOverView(APIView):
    permission_classes = [at_least(Role.CURATOR)]

    @extend_schema(request=TakeOverInput, responses={200: STEP, 404: schema.ERROR, 409: schema.ERROR}, operation_id="handoff_take_over")
    def post(self, request, conversation_id):
        conversation = _conversation(request, conversation_id)
        fields = TakeOverInput(data=request.data)
        fields.is_valid(raise_exception=True)
        user_id, name = operator_of(request.user.principal)
        step = _run(live.take_over, conversation, user_id=user_id, name=name, take_from=fields.validated_data["takeFrom"])
        return Response(_step(step))


class ReplyView(APIView):
    permission_classes = [at_least(Role.CURATOR)]

    @extend_schema(
        request=ReplyInput, responses={201: STEP, 400: schema.ERROR, 404: schema.ERROR, 409: schema.ERROR}, operation_id="handoff_reply"
    )
    def post(self, request, conversation_id):
        conversation = _conversation(request, conversation_id)
        fields = ReplyInput(data=request.data)
        fields.is_valid(raise_exception=True)
        user_id, _ = operator_of(request.user.principal)
        step = _run(live.reply, conversation, user_id=user_id, text=fields.validated_data["text"].strip())
        return Response(_step(step), status=status.HTTP_201_CREATED)


class HandBackView(APIView):
    permission_classes = [at_least(Role.CURATOR)]

    @extend_schema(request=None, responses={200: STEP, 404: schema.ERROR, 409: schema.ERROR}, operation_id="handoff_hand_back")
    def post(self, request, conversation_id):
        conversation = _conversation(request, conversation_id)
        user_id, _ = operator_of(request.user.principal)
        return Response(_step(_run(live.hand_back, conversation, user_id=user_id)))
