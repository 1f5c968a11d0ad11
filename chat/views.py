"""The chat page at / and the embed demo page, both for SMOOTH_CHAT_AGENT_ID; the embed page
also previews another agent's look (`/embed?agent=<id>`, the admin's link)."""

from __future__ import annotations

import base64
import uuid

from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html

from agents.models import Agent
from chat import i18n
from chat.widget_config import embeddable, widget_config
from identity.staff import organizations_of


def _agent_name() -> str:
    """The page's agent's own name, or the one it will register with on first use."""
    agent = Agent.objects.filter(id=settings.SMOOTH_CHAT_AGENT_ID).only("name").first()
    return agent.name if agent else settings.SMOOTH_AGENT_NAME


def chat_page(request):
    return render(request, "chat/page.html", {"agent_id": settings.SMOOTH_CHAT_AGENT_ID, "agent_name": _agent_name()})


def _previewed_agent_id(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.GET.get("agent", ""))
    except ValueError:
        return None


def _may_preview(request, agent: Agent) -> bool:
    """Staff see the look of their organisations' agents; anyone else what the config endpoint
    would answer this page (the agent's embed policy, judged for this server's own origin)."""
    user = request.user
    if user.is_authenticated and user.is_staff:
        organizations = organizations_of(user)
        if organizations is None or agent.organization_id in organizations:
            return True
    return embeddable(agent, f"{request.scheme}://{request.get_host()}")


def embed_demo(request):
    agent = None
    previewed = _previewed_agent_id(request)
    if previewed is not None:  # another agent's preview: only one this page may show (else the page's own)
        agent = Agent.objects.select_related("embed_policy").filter(id=previewed).first()
        if agent is not None and not _may_preview(request, agent):
            agent = None
    if agent is None:
        agent = Agent.objects.select_related("embed_policy").filter(id=settings.SMOOTH_CHAT_AGENT_ID).first()
    agent_id = agent.id if agent is not None else settings.SMOOTH_CHAT_AGENT_ID
    tag = format_html(
        '<script src="{}" data-agent-id="{}" async></script>',
        request.build_absolute_uri(static("smooth/widget.js")),
        agent_id,
    )
    look = avatar = None
    if agent is not None and _may_preview(request, agent):
        look = widget_config(agent, i18n.widget_language(translation.get_language(), None))
        if agent.avatar:  # inline: the preview shows it whatever the policy lets this page fetch
            avatar = f"data:{agent.avatar_type};base64,{base64.b64encode(bytes(agent.avatar)).decode()}"
    agent_name = agent.name if agent is not None else settings.SMOOTH_AGENT_NAME
    # The template shows the tag as text (force_escape) and also runs it.
    return render(request, "chat/embed.html", {"tag": tag, "agent_name": agent_name, "look": look, "avatar": avatar})
