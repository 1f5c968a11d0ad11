"""The embeddable widget in a real browser, on host pages served from other
origins (other local ports): allowed by the agent's embed policy it chats and
passes the host's signed authContext; refused, it is not shown; a forged
authContext is refused in plain words."""

from __future__ import annotations

import json
import time
import uuid

import pytest

from tests.e2e.live import start_server
from tests.httpserver import FakeHttpServer, Reply
from widget_auth.signatures import sign_hmac_sha256

pytestmark = [pytest.mark.browser, pytest.mark.live]

AGENT = str(uuid.UUID(int=0x7E57))
SECRET = "host-backend-shared-secret"


def host_page(server, *, auth_context: dict | None = None) -> str:
    # What a site owner pastes, plus (optionally) the function that hands the widget
    # the authContext the site's own backend signed.
    provider = f"<script>window.smoothAuthContext = async () => ({json.dumps(auth_context)});</script>" if auth_context else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme shop</title>
<style>body {{ font-family: serif; background: #fffbe6; }} button {{ background: hotpink; }}</style></head>
<body><h1>Acme shop</h1><p>Our products.</p>{provider}
<script src="http://127.0.0.1:{server.port}/static/smooth/widget.js" data-agent-id="{AGENT}" async></script>
</body></html>"""


def publish(site: FakeHttpServer, name: str, html: str) -> str:
    """Serve a host page from a site on its own port (its own origin); return its address."""
    site.routes[f"/{name}"] = Reply(body=html, content_type="text/html; charset=utf-8")
    return f"{site.url}/{name}"


@pytest.fixture
def smooth(tmp_path, http_server):
    server = start_server(tmp_path / "smooth", SMOOTH_AGENT_LLM="offline", SMOOTH_AGENT_SEED_KB="1", SMOOTH_SESSION_RESUME="token")
    result = server.manage(
        "widget_policy",
        "set",
        "--agent",
        AGENT,
        "--origin",
        http_server.url,
        "--scheme",
        "hmac-sha256",
        "--hmac-secret-file",
        "-",
        stdin=SECRET,
    )
    assert result.returncode == 0, result.stderr
    yield server
    server.stop()


async def open_widget(page, launcher: str = "Chat with us"):
    """Click the widget's launcher; return its panel."""
    await page.get_by_role("button", name=launcher).click()
    return page.get_by_role("dialog")


async def test_the_widget_chats_from_an_allowed_origin_and_sends_the_hosts_auth_context(browser, screenshot, smooth, http_server):
    timestamp = int(time.time())
    # The bound format: this agent, on this site (the host page's origin).
    signature = sign_hmac_sha256(SECRET, "shopper-42", timestamp, agent_id=AGENT, origin=http_server.url)
    context = {"userId": "shopper-42", "timestamp": timestamp, "signature": signature}
    page = await browser.new_page()
    await page.goto(publish(http_server, "shop.html", host_page(smooth, auth_context=context)))
    panel = await open_widget(page)
    await panel.get_by_text("Connected. Ask a question.").wait_for()
    assert await panel.get_by_label("Your message").evaluate("node => node === node.getRootNode().activeElement")  # focus moved in

    await panel.get_by_label("Your message").fill("How long is the return window?")
    await panel.get_by_label("Your message").press("Enter")
    reply = panel.locator('.smooth-outbound[aria-busy="false"]')
    await reply.wait_for(timeout=15000)
    assert "17 days" in await reply.inner_text()
    assert await reply.locator(".smooth-citation").count() >= 1
    # The host page's own styles did not leak into the widget (its shadow root).
    assert await panel.get_by_role("button", name="Send").evaluate("node => getComputedStyle(node).backgroundColor") != "rgb(255, 105, 180)"
    await screenshot(page, "open")

    script = (
        "from chat.models import Session; import json; s = Session.objects.get();"
        "print(json.dumps([s.agent_id.hex, [s.verified_user_id, s.verified_format], s.user_participant.browser_info]))"
    )
    stored = smooth.manage("shell", "-c", script)
    agent_hex, verified, browser_info = json.loads(stored.stdout.strip().splitlines()[-1])
    assert agent_hex == uuid.UUID(AGENT).hex
    assert verified == ["shopper-42", "v2"]  # the verified identity, from the host's authContext
    assert browser_info["origin"] == http_server.url  # the socket spoke from the host page's origin

    # A reload opens a new connection to the verified visitor's session: the widget's
    # resume token carries it back (the host's context, already used, could not).
    session_id = await page.evaluate("window.smoothWidgetClient.sessionId")
    await page.reload()
    panel = await open_widget(page)
    await panel.get_by_text("Reconnected.").wait_for()  # resumed, not a new session
    assert await page.evaluate("window.smoothWidgetClient.sessionId") == session_id
    assert "17 days" in await panel.locator(".smooth-outbound").first.inner_text()

    await page.keyboard.press("Escape")
    assert await panel.is_hidden()
    assert await page.get_by_role("button", name="Chat with us").evaluate("node => node === node.getRootNode().activeElement")


async def test_the_widget_on_an_origin_the_policy_does_not_list_is_not_shown(browser, smooth):
    # Its config answers 404, as for an agent that does not exist: no launcher, no session,
    # and a line in the console for the site's developer.
    elsewhere = FakeHttpServer().start()  # another port: another origin, not on the list
    try:
        page = await browser.new_page()
        async with page.expect_console_message(lambda message: "Smooth widget" in message.text) as logged:
            await page.goto(publish(elsewhere, "shop.html", host_page(smooth)))
        assert "answered 404" in (await logged.value).text
        assert await page.locator(".smooth-widget-host").count() == 0
    finally:
        elsewhere.stop()
    stored = smooth.manage("shell", "-c", "from chat.models import Session; print(Session.objects.count())")
    assert stored.stdout.strip().splitlines()[-1] == "0"  # nothing was written for the refused origin


async def test_a_forged_auth_context_is_refused_in_plain_words(browser, smooth, http_server):
    timestamp = int(time.time())
    forged = {"userId": "admin", "timestamp": timestamp, "signature": sign_hmac_sha256("not-the-secret", "admin", timestamp)}
    page = await browser.new_page()
    await page.goto(publish(http_server, "forged.html", host_page(smooth, auth_context=forged)))
    panel = await open_widget(page)
    await panel.get_by_role("alert").get_by_text("We could not confirm who you are.").wait_for()
    assert await panel.get_by_label("Your message").is_disabled()
