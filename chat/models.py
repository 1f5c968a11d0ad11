"""What the chat app stores: conversations, their participants, sessions and messages.

Field names follow spec/domain/*.schema.json in snake_case. Organisation ids are
free-form strings (the default organisation is literally "default").
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from core.models import Timestamped


class Conversation(Timestamped):
    class Platform(models.TextChoices):
        WEB = "web"
        MESSENGER = "messenger"
        INSTAGRAM = "instagram"
        EMAIL = "email"
        DISCORD = "discord"
        PHONE = "phone"
        SMS = "sms"
        SLACK = "slack"
        WHATSAPP = "whatsapp"
        TIKTOK = "tiktok"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    platform = models.CharField(max_length=16, choices=Platform.choices, default=Platform.WEB)
    name = models.CharField(max_length=255)
    organization_id = models.CharField(max_length=128, db_index=True)
    idempotency_key = models.CharField(max_length=255, null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    analytics = models.JSONField(default=dict, blank=True)
    # The capabilities its client declared at create_conversation_session (`supports`): they
    # decide the resume-token policy and which cards a turn may show.
    supports = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization_id", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="conversation_unique_idempotency_key_per_org",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participant(Timestamped):
    class Type(models.TextChoices):
        USER = "user"
        AI_AGENT = "ai-agent"
        HUMAN_AGENT = "human-agent"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    organization_id = models.CharField(max_length=128)
    type = models.CharField(max_length=16, choices=Type.choices)
    # external_id is the host-verified user id (from a verified authContext) and
    # nothing else: a client can never set it directly.
    external_id = models.CharField(max_length=255, null=True, blank=True)
    # internal_id of an ai-agent participant is the agent id.
    internal_id = models.CharField(max_length=255, null=True, blank=True)
    browser_fingerprint = models.CharField(max_length=512, null=True, blank=True)
    browser_info = models.JSONField(null=True, blank=True)
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254, null=True, blank=True)
    phone = models.CharField(max_length=32, null=True, blank=True)
    crm_contact_id = models.UUIDField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["email"], name="participant_email_idx"),
            models.Index(fields=["organization_id", "external_id"], name="participant_org_extid_idx"),
            models.Index(fields=["browser_fingerprint"], name="participant_fp_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.type})"


class Session(Timestamped):
    class Status(models.TextChoices):
        ACTIVE = "active"
        IDLE = "idle"
        ENDED = "ended"

    session_id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="sessions")
    organization_id = models.CharField(max_length=128)
    # Nullable only for rows that could predate validation; the protocol never
    # creates a session without an agent (spec/domain/session.schema.json). An agent
    # with sessions cannot be deleted: they are the record of what was said.
    agent = models.ForeignKey("agents.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    agent_name = models.CharField(max_length=255)
    # The handshake Origin the session was created from (normalised); null = none was
    # sent. Every later action on the session must come from this same origin.
    origin = models.CharField(max_length=512, null=True, blank=True)
    user_participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    agent_participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    thread_id = models.CharField(max_length=255)
    # The authenticated principal that created it (its user id); null = anonymous,
    # usable by anyone who holds the session id.
    owner_id = models.CharField(max_length=255, null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    token_count = models.PositiveIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    # {"client": <the client's metadata>}: what a client says, never what the server decides.
    metadata = models.JSONField(default=dict, blank=True)
    # The visitor the host verified (a signed authContext): who, by which key scheme and
    # message format, and when. Only widget_auth's verification sets them.
    verified_user_id = models.CharField(max_length=255, null=True, blank=True)
    verified_scheme = models.CharField(max_length=16, blank=True, default="")
    verified_format = models.CharField(max_length=8, blank=True, default="")
    verified_at = models.DateTimeField(null=True, blank=True)
    # The visitor proved an address with a one-time code: how, and when (chat.otp). A new
    # address given afterwards clears both.
    code_verified_channel = models.CharField(max_length=16, blank=True, default="")
    code_verified_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agent", "-created_at"], name="session_agent_created_idx"),
            models.Index(fields=["organization_id", "-created_at"], name="session_org_created_idx"),
        ]
        constraints = [
            # A verified visitor has a user id and a time, or neither: never half a verification.
            models.CheckConstraint(
                condition=Q(verified_user_id__isnull=True, verified_at__isnull=True)
                | Q(verified_user_id__isnull=False, verified_at__isnull=False) & ~Q(verified_user_id=""),
                name="session_verified_user_whole",
            ),
            models.CheckConstraint(
                condition=Q(code_verified_at__isnull=True, code_verified_channel="")
                | Q(code_verified_at__isnull=False) & ~Q(code_verified_channel=""),
                name="session_code_verified_whole",
            ),
        ]

    def __str__(self) -> str:
        return str(self.session_id)

    @property
    def identity_verified(self) -> bool:
        """Whether the host verified the visitor (a signed authContext)."""
        return self.verified_user_id is not None

    @property
    def visitor_verified(self) -> bool:
        """Whether the visitor proved who they are: a verified authContext, or a one-time code."""
        return self.identity_verified or self.code_verified_at is not None


class Message(Timestamped):
    class Direction(models.TextChoices):
        INBOUND = "inbound"
        OUTBOUND = "outbound"

    class Feedback(models.TextChoices):
        UP = "up", "👍"
        DOWN = "down", "👎"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    organization_id = models.CharField(max_length=128)
    direction = models.CharField(max_length=8, choices=Direction.choices)
    # {"text": str, "items": list}: items carry structured parts (citations, tool calls).
    content = models.JSONField(default=dict)
    from_participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="sent_messages")
    to_participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="received_messages")
    metadata = models.JSONField(default=dict, blank=True)
    # The visitor's rating of an agent's answer (Smooth's feedback extension): the last one given counts.
    feedback = models.CharField(max_length=4, choices=Feedback.choices, blank=True, default="")
    feedback_comment = models.TextField(blank=True, default="")
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [
            # memory: the last N messages of a conversation
            models.Index(fields=["conversation", "-created_at"], name="message_conv_recent_idx"),
            # the operator's view (chat.insights): an organisation's messages of the last days
            models.Index(fields=["organization_id", "created_at"], name="message_org_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.direction}: {self.text[:60]}"

    @property
    def text(self) -> str:
        return str(self.content.get("text", ""))


class ParkedTurn(models.Model):
    """A turn waiting for the visitor (a tool call to approve, a card to fill), stored so that any
    process can resume it (chat.turns.parking). At most one per session: while it
    waits, the session answers no other message."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation"  # a tool call to approve (confirm_tool_action)
        INTERACTION = "interaction"  # a card to fill (submit_interaction)

    session = models.OneToOneField(Session, primary_key=True, on_delete=models.CASCADE, related_name="parked_turn")
    organization_id = models.CharField(max_length=128)
    request_id = models.CharField(max_length=256)  # the send_message's: the resumed turn's events carry it
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What waits: {"call": {"id", "name", "arguments"}} and "confirmation" (what the call
    # does) or "interaction" ({"interactionId", "kind", "spec", "reason"}).
    pending = models.JSONField()
    # Where the model/tool loop stopped (chat.turns.loop.LoopState.as_json).
    state = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} for {self.request_id}"


class OtpChallenge(models.Model):
    """The one-time code last sent to a session's visitor (chat.otp.EmailOtpService).
    Only a salted hash of the code is kept; it dies when used, expired or out of attempts."""

    session = models.OneToOneField(Session, primary_key=True, on_delete=models.CASCADE, related_name="otp_challenge")
    channel = models.CharField(max_length=8)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"code for {self.session_id} by {self.channel}"


class ConversationErasure(models.Model):
    """A visitor deleted their conversation, kept when the agent's site owner asked for an
    audit record (agents.Agent.visitor_erasure "audited"): who asked (the visitor's
    participant id, never a name), when, and how many messages went; never what was said.
    Plain ids, not foreign keys: the record outlives the rows it names, and nothing deleted
    later takes it along."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization_id = models.CharField(max_length=128)
    agent_id = models.UUIDField()
    conversation_id = models.UUIDField()
    session_id = models.UUIDField()
    requested_by = models.UUIDField(help_text="the visitor's participant id")
    messages = models.PositiveIntegerField(help_text="how many messages were deleted")
    erased_at = models.DateTimeField()

    class Meta:
        ordering = ["-erased_at"]
        indexes = [models.Index(fields=["organization_id", "-erased_at"], name="erasure_org_erased_idx")]

    def __str__(self) -> str:
        return f"{self.conversation_id} erased {self.erased_at:%Y-%m-%d %H:%M}"
