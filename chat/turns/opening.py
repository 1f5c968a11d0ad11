"""The turn's one database hop before its answer: check the binding again, store the question,
read the memory (which now ends with it), name what the session's reader may read, read the
agent's settings, take any parked turn the session had left over, and open the turn's stages
(chat.turns.stages: whether a person holds the conversation, the spend budgets). Knowledge's
stage finds the turn's context after it (a model never runs on the database thread)."""

from __future__ import annotations

from dataclasses import dataclass

from agents.config import AgentConfig
from chat import binding, selectors, services
from chat.models import Message, ParkedTurn, Session
from chat.turns.memory import MEMORY_MESSAGES
from chat.turns.parking import claim_leftover
from chat.turns.stages import Pipeline, StageTurn, session_related
from identity.access import AccessContext


@dataclass(frozen=True)
class Opening:
    session: Session
    history: list[Message]
    access: AccessContext
    agent: AgentConfig
    stages: Pipeline
    leftover: ParkedTurn | None = None  # a parked turn of the session whose lease had expired: over


def open_turn(session_id, request, conn) -> Opening:
    """Raises BindingRefused when the connection may no longer use the session (its
    agent, policy or origin list changed since it attached)."""
    session = binding.load_session(session_id, session_related())
    if session is None:
        raise Session.DoesNotExist  # deleted since the turn was accepted
    binding.check_binding(session, origin=conn.origin, principal=conn.principal, attached=True, credentials=binding.NO_CREDENTIALS)
    services.record_user_message(session=session, text=request.message, request_id=request.request_id)
    history = selectors.recent_messages(session.conversation_id, limit=MEMORY_MESSAGES)
    access = binding.reader_access(session, conn.principal)
    agent = AgentConfig.of(session.agent)
    leftover = claim_leftover(session)
    stages = Pipeline.opened_for(StageTurn(session, request.message, conn.client_ip, agent.model, access))
    return Opening(session, history, access, agent, stages, leftover)
