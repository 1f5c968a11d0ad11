"""The chat page at / and the embed demo page, both for SMOOTH_CHAT_AGENT_ID."""

from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.html import format_html

from agents.models import Agent


def _agent_name() -> str:
    """The page's agent's own name, or the one it will register with on first use."""
    agent = Agent.objects.filter(id=settings.SMOOTH_CHAT_AGENT_ID).only("name").first()
    return agent.name if agent else settings.SMOOTH_AGENT_NAME


def chat_page(request):
    return render(request, "chat/page.html", {"agent_id": settings.SMOOTH_CHAT_AGENT_ID, "agent_name": _agent_name()})


def embed_demo(request):
    tag = format_html(
        '<script src="{}" data-agent-id="{}" async></script>',
        request.build_absolute_uri(static("smooth/widget.js")),
        settings.SMOOTH_CHAT_AGENT_ID,
    )
    # The template shows the tag as text (force_escape) and also runs it.
    return render(request, "chat/embed.html", {"tag": tag, "agent_name": _agent_name()})
