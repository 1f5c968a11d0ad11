"""The widget's public endpoints: its look and words (`GET /widget/<agent_id>/config`) and its
avatar (`GET /widget/<agent_id>/avatar`), read before the launcher is drawn.

Both follow the agent's embed policy as the WebSocket does (widget_auth.services.check_embed,
with WIDGET_AUTH_STRICT): an unknown agent (when strict), a disabled one and an origin the
policy refuses all answer the same 404, byte for byte, so a refusal looks exactly like
nothing there. Without WIDGET_AUTH_STRICT an agent nobody registered yet gets Smooth's own
look, as its first session would register it. In report-only mode an origin the policy
would refuse is counted, and answered.

The origin judged is the page's: the Origin header, else (a same-origin fetch, an image,
which browsers send without one) the Referer's origin, else the server's own for a request
the browser marks same-origin. A request that names none is judged as a socket with no
Origin is.

The config is read in one query (the agent with its policy) and carries nothing secret: no
key, prompt, model or budget. It is revalidated on every page load (no-cache) against a strong
ETag of what it is made from, so a change in the admin shows on the next load and an unchanged
one costs a 304.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from agents import appearance
from agents.models import Agent
from agents.selectors import agent_for_widget, embed_policy_of
from chat import i18n
from chat.turns import stages
from core import metrics
from widget_auth.exceptions import OriginNotAllowed, WidgetAuthError
from widget_auth.origins import normalize_origin
from widget_auth.services import check_embed

logger = logging.getLogger(__name__)

# Part of every ETag: a change in what the config holds (a field added, a default changed)
# must not be answered 304 by an ETag made before it.
CONFIG_FORMAT = "1"
NOT_FOUND = b'{"error": "not found"}'
VARY = ("Origin", "Accept-Language")
AVATAR_CACHE = "public, max-age=31536000, immutable"


def widget_config(agent: Agent, lang: str) -> dict:
    """What the widget shows for `agent` in `lang`, with the blanks resolved (the translated
    launcher label, the agent's name as the title, Smooth's blue)."""
    colors = appearance.Colors.of(agent.brand_color)
    return {
        "agentId": str(agent.id),
        "name": agent.name,
        "title": agent.panel_title or agent.name,
        "launcherLabel": agent.launcher_label or default_launcher_label(lang),
        "brandColor": colors.brand,
        "textColor": colors.text,
        "position": agent.position,
        "theme": agent.theme,
        "greeting": agent.greeting,
        "suggestedQuestions": list(agent.suggested_questions or []),
        "avatarUrl": appearance.avatar_path(agent),
        "visitorErasure": agent.visitor_erasure != Agent.VisitorErasure.OFF,
        "lang": lang,
        "dir": i18n.text_direction(lang),
        "messages": i18n.widget_messages(lang),
    }


def default_launcher_label(lang: str) -> str:
    with translation.override(lang):
        return gettext("Chat with us")


def config_etag(agent: Agent, lang: str) -> str:
    """A strong ETag of everything the config is made from."""
    policy = embed_policy_of(agent)
    parts = (
        CONFIG_FORMAT,
        str(agent.id),
        agent.updated_at.isoformat() if agent.updated_at else f"unregistered {settings.SMOOTH_AGENT_NAME}",
        policy.updated_at.isoformat() if policy is not None else "-",
        lang,
        i18n.CATALOGUE_VERSION,
    )
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def page_origin(request: HttpRequest) -> str | None:
    """The origin of the page that sent `request`, normalised as the socket's is (None: unknown)."""
    origin = request.headers.get("Origin")
    if origin:
        return normalize_origin(origin)
    referer = urlsplit(request.headers.get("Referer", ""))
    if referer.scheme in ("http", "https") and referer.netloc:
        return normalize_origin(f"{referer.scheme}://{referer.netloc.rpartition('@')[2]}")
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return normalize_origin(f"{request.scheme}://{request.get_host()}")
    return None


def embeddable(agent: Agent, origin: str | None) -> bool:
    """Whether a page of `origin` is answered `agent`'s config (nothing is counted: for previews)."""
    try:
        check_embed(agent=agent, origin=origin, strict=settings.WIDGET_AUTH_STRICT)
    except OriginNotAllowed:
        return stages.lets_through(agent)
    except WidgetAuthError:
        return False
    return True


def _unregistered(agent_id: uuid.UUID) -> Agent:
    """An agent as it will be registered (unsaved), known to have no policy (so nothing is read)."""
    agent = Agent(id=agent_id, organization_id=settings.SMOOTH_DEFAULT_ORG_ID, name=settings.SMOOTH_AGENT_NAME)
    Agent._meta.get_field("embed_policy").set_cached_value(agent, None)
    return agent


async def _allowed_agent(request: HttpRequest, agent_id: str, *, with_avatar: bool = False) -> Agent | None:
    """The agent, if the page that asks may embed it; None answers 404."""
    try:
        agent_uuid = uuid.UUID(agent_id)
    except ValueError:
        return None
    agent = await agent_for_widget(agent_uuid, with_avatar=with_avatar)
    if agent is None:
        if settings.WIDGET_AUTH_STRICT:
            return None
        # As the socket would take it (its first use registers it, there): Smooth's own look,
        # under the name it will register with. Nothing is stored here.
        return _unregistered(agent_uuid)
    origin = page_origin(request)
    try:
        check_embed(agent=agent, origin=origin, strict=settings.WIDGET_AUTH_STRICT)
    except OriginNotAllowed as exc:
        if not stages.lets_through(agent):
            metrics.refusals.labels(kind="origin", mode=metrics.ENFORCED).inc()
            logger.info("widget config refused for agent %s: %s", agent.id, exc.reason)
            return None
        reason = "widget config: " + ("not an allowed origin" if origin else "no Origin")
        await stages.report(agent=agent, kind="origin", reason=reason, origin=origin)
    except WidgetAuthError as exc:
        logger.info("widget config refused for agent %s: %s", agent.id, exc.reason)
        return None
    return agent


def _public(response: HttpResponse, request: HttpRequest, *, cache: str = "no-cache") -> HttpResponse:
    """The headers every answer carries, 404s included (so they differ in nothing)."""
    response["Cache-Control"] = cache
    patch_vary_headers(response, VARY)
    origin = request.headers.get("Origin")
    if origin:
        response["Access-Control-Allow-Origin"] = origin
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _public(HttpResponse(NOT_FOUND, status=404, content_type="application/json"), request)


@require_safe
async def config_view(request: HttpRequest, agent_id: str) -> HttpResponse:
    agent = await _allowed_agent(request, agent_id)
    if agent is None:
        return _not_found(request)
    lang = i18n.widget_language(request.GET.get("lang"), request.headers.get("Accept-Language"))
    etag = config_etag(agent, lang)
    asked = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in asked or "*" in asked:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = JsonResponse(widget_config(agent, lang), json_dumps_params={"ensure_ascii": False})
    response["ETag"] = etag
    response["Content-Language"] = lang
    return _public(response, request)


@require_safe
async def avatar_view(request: HttpRequest, agent_id: str) -> HttpResponse:
    agent = await _allowed_agent(request, agent_id, with_avatar=True)
    if agent is None or not agent.avatar:
        return _not_found(request)
    # The address carries the digest, so an answer is good for good; one asked under another
    # version (a page older than the change) is not kept.
    current = request.GET.get("v", agent.avatar_digest[:16]) == agent.avatar_digest[:16]
    response = HttpResponse(bytes(agent.avatar), content_type=agent.avatar_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _public(response, request, cache=AVATAR_CACHE if current else "no-cache")
