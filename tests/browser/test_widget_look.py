"""The widget as a site owner made it, in a real browser: their brand colour, avatar,
greeting and suggested questions (one clicked and answered), light, dark and the
visitor's system, German from data-lang (a refusal's words too), Arabic laid out right to left; and an origin
the embed policy does not list, which gets no widget at all. Nothing is fetched from
any host but the Smooth server (and the host page's own)."""

from __future__ import annotations

import json
import shutil
import uuid
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.test_widget import publish
from tests.e2e.live import REPO, start_server
from tests.httpserver import FakeHttpServer

pytestmark = [pytest.mark.browser, pytest.mark.live]

AGENT = str(uuid.UUID(int=0xB2A4D))
BRAND = "#7a1fa2"
GREETING = "Hi! I'm Acme's assistant. Ask me about returns, shipping or your order."
SUGGESTED = ["How long is the return window?", "How long does shipping take?", "What are your opening hours?"]
SCREENSHOTS = REPO / "docs" / "screenshots"


def png(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (255, 183, 0)) -> bytes:
    """A small one-colour PNG (the avatar), made without an image library."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def dress(server, agent: str, *, avatar: bytes | None = None, **fields) -> None:
    """Set the agent's widget fields (as the admin would) and save it."""
    code = (
        "import json, sys; from agents.models import Agent; from agents import appearance\n"
        f"agent = Agent.objects.get(id={agent!r})\n"
        f"fields = json.loads({json.dumps(json.dumps(fields))})\n"
        f"avatar = bytes.fromhex({(avatar or b'').hex()!r})\n"
        "fields.update(appearance.avatar_fields(avatar) if avatar else {})\n"
        "for name, value in fields.items(): setattr(agent, name, value)\n"
        "agent.full_clean(); agent.save()"
    )
    result = server.manage("shell", "-v", "0", "-c", code)
    assert result.returncode == 0, result.stderr


def widget_page(server, *, lang: str | None = None, agent: str = AGENT) -> str:
    tag_lang = f' data-lang="{lang}"' if lang else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme shop</title>
<style>body {{ font-family: serif; background: #fffbe6; margin: 2rem; }}</style></head>
<body><h1>Acme shop</h1><p>Garden furniture, delivered.</p>
<script src="http://127.0.0.1:{server.port}/static/smooth/widget.js" data-agent-id="{agent}"{tag_lang} async></script>
</body></html>"""


@pytest.fixture
def smooth(tmp_path, http_server):
    server = start_server(tmp_path / "smooth", SMOOTH_AGENT_LLM="offline", SMOOTH_AGENT_SEED_KB="1")
    policy = server.manage("widget_policy", "set", "--agent", AGENT, "--origin", http_server.url)
    assert policy.returncode == 0, policy.stderr
    named = server.manage("agent", "set", "--agent", AGENT, "--name", "Acme help")
    assert named.returncode == 0, named.stderr
    yield server
    server.stop()


def keep(path: Path, name: str) -> None:
    """Keep a screenshot for the docs (docs/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, SCREENSHOTS / f"{name}.png")


async def panel_of(page, label: str):
    await page.get_by_role("button", name=label).click()
    panel = page.get_by_role("dialog")
    await panel.locator('.smooth-status[data-state="ready"]').wait_for()
    return panel


async def test_a_branded_widget_greets_offers_questions_and_answers_the_one_clicked(browser, screenshot, smooth, http_server):
    dress(
        smooth,
        AGENT,
        brand_color=BRAND,
        launcher_label="Ask Acme",
        panel_title="Acme help centre",
        position="bottom-left",
        theme="light",
        greeting=GREETING,
        suggested_questions=SUGGESTED,
        avatar=png(),
    )
    page = await browser.new_page(viewport={"width": 1100, "height": 760})
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    await page.goto(publish(http_server, "shop.html", widget_page(smooth)))
    launcher = page.get_by_role("button", name="Ask Acme")
    await launcher.wait_for()
    # The brand colour, and the text colour the server chose for contrast.
    assert await launcher.evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(122, 31, 162)"
    assert await launcher.evaluate("node => getComputedStyle(node).color") == "rgb(255, 255, 255)"
    box = await launcher.bounding_box()
    assert box["x"] < 100  # bottom-left

    panel = await panel_of(page, "Ask Acme")
    assert await panel.get_attribute("aria-label") == "Acme help centre"
    assert await panel.get_by_role("heading", name="Acme help centre").is_visible()
    avatar = panel.locator("img.smooth-avatar")
    assert await avatar.evaluate("node => node.complete && node.naturalWidth") == 8  # loaded, from the Smooth server
    greeting = panel.locator(".smooth-greeting")
    assert await greeting.locator(".smooth-text").inner_text() == GREETING
    questions = panel.get_by_role("group", name="Suggested questions")
    assert [await button.inner_text() for button in await questions.get_by_role("button").all()] == SUGGESTED
    await screenshot(page, "branded")
    keep(await screenshot(page, "branded"), "widget-branded")

    await questions.get_by_role("button", name=SUGGESTED[0]).click()
    reply = panel.locator('.smooth-outbound[aria-busy="false"]')
    await reply.wait_for(timeout=15000)
    assert "17 days" in await reply.inner_text()
    assert await panel.locator(".smooth-inbound .smooth-text").inner_text() == SUGGESTED[0]
    assert await questions.is_hidden()  # they go once the conversation has a message
    assert await panel.locator(".smooth-greeting").count() == 1  # the greeting stays on top
    assert await panel.get_by_role("button", name="Send").evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(122, 31, 162)"
    await screenshot(page, "branded-answered")

    # A reload reads the conversation back: the greeting first, no suggestions.
    await page.reload()
    panel = await panel_of(page, "Ask Acme")
    assert await panel.locator(".smooth-transcript > li").count() == 3
    assert await panel.get_by_role("group", name="Suggested questions").is_hidden()

    smooth_host = f"127.0.0.1:{smooth.port}"
    assert hosts <= {smooth_host, urlsplit(http_server.url).netloc}, hosts  # nothing from elsewhere
    assert smooth_host in hosts


SURFACE = "node => getComputedStyle(node).backgroundColor"


async def surface_of(browser, smooth, http_server, scheme: str):
    page = await browser.new_page(color_scheme=scheme)
    await page.goto(publish(http_server, f"shop-{scheme}.html", widget_page(smooth)))
    panel = await panel_of(page, "Chat with us")
    return page, await panel.locator(".smooth-chat").evaluate(SURFACE)


async def test_dark_light_and_the_visitors_system(browser, screenshot, smooth, http_server):
    white, dark = "rgb(255, 255, 255)", "rgb(28, 33, 40)"
    # auto (the default) follows the visitor's system.
    page, surface = await surface_of(browser, smooth, http_server, "light")
    assert surface == white
    page, surface = await surface_of(browser, smooth, http_server, "dark")
    assert surface == dark
    dress(smooth, AGENT, theme="light")
    page, surface = await surface_of(browser, smooth, http_server, "dark")
    assert surface == white
    dress(smooth, AGENT, theme="dark", greeting=GREETING, suggested_questions=SUGGESTED[:2])
    page, surface = await surface_of(browser, smooth, http_server, "light")
    assert surface == dark
    panel = page.get_by_role("dialog")
    assert await panel.locator(".smooth-text").first.evaluate("node => getComputedStyle(node).color") == "rgb(230, 237, 243)"
    await panel.get_by_label("Your message").fill("How long does shipping take?")
    await panel.get_by_label("Your message").press("Enter")
    await panel.locator('.smooth-outbound[aria-busy="false"]').wait_for(timeout=15000)
    keep(await screenshot(page, "dark"), "widget-dark")


async def test_german_from_data_lang(browser, screenshot, smooth, http_server):
    dress(smooth, AGENT, messages_per_session="1/h")  # the second question is refused: in German too
    page = await browser.new_page(locale="en-US")
    await page.goto(publish(http_server, "shop-de.html", widget_page(smooth, lang="de")))
    panel = await panel_of(page, "Chat starten")
    chat = panel.locator(".smooth-chat")
    assert await chat.get_attribute("lang") == "de"
    await panel.get_by_text("Verbunden. Stellen Sie Ihre Frage.").wait_for()
    assert await panel.get_by_role("button", name="Senden").is_visible()
    await panel.get_by_label("Ihre Nachricht").fill("Wie lange ist die Rückgabefrist?")
    await panel.get_by_label("Ihre Nachricht").press("Enter")
    reply = panel.locator('.smooth-outbound[aria-busy="false"]')
    await reply.wait_for(timeout=15000)
    assert await reply.locator(".smooth-speaker").inner_text() == "Assistent"
    await panel.get_by_label("Ihre Nachricht").fill("Und die Versandkosten?")
    await panel.get_by_label("Ihre Nachricht").press("Enter")
    alert = panel.get_by_role("alert")
    await alert.filter(has_text="Zu viele Nachrichten: versuchen Sie es in").wait_for()
    assert (await alert.inner_text()).endswith("in 60 Min. noch einmal.")  # the hour's wait, rounded up
    assert await panel.get_by_label("Ihre Nachricht").input_value() == "Und die Versandkosten?"  # not sent: given back
    await screenshot(page, "german")


async def test_arabic_lays_out_right_to_left(browser, screenshot, smooth, http_server):
    dress(smooth, AGENT, greeting="مرحبًا! كيف يمكنني مساعدتك؟", suggested_questions=["ما هي مدة الإرجاع؟", "How long does shipping take?"])
    page = await browser.new_page(viewport={"width": 1100, "height": 760})
    await page.goto(publish(http_server, "shop-ar.html", widget_page(smooth, lang="ar")))
    launcher = page.locator(".smooth-widget-host")
    assert await launcher.get_attribute("dir") == "rtl"
    label = await page.locator(".smooth-launcher").inner_text()
    assert label != "Chat with us"
    box = await page.locator(".smooth-launcher").bounding_box()
    assert box["x"] < 100  # bottom-right in a left-to-right language is bottom-left in Arabic
    panel = await panel_of(page, label)
    chat = panel.locator(".smooth-chat")
    assert [await chat.get_attribute("lang"), await chat.get_attribute("dir")] == ["ar", "rtl"]
    text = panel.locator(".smooth-greeting .smooth-text")
    assert await text.evaluate("node => getComputedStyle(node).direction") == "rtl"
    assert await text.evaluate("node => getComputedStyle(node).textAlign") in ("start", "right")
    bubble, chat_box = await panel.locator(".smooth-greeting").bounding_box(), await chat.bounding_box()
    assert bubble["x"] + bubble["width"] > chat_box["x"] + chat_box["width"] - 30  # the agent's bubble on the right
    send = await panel.locator(".smooth-form button[type=submit]").bounding_box()
    message = await panel.locator(".smooth-form textarea").bounding_box()
    assert send["x"] + send["width"] <= message["x"]  # the send button on the left of the message box
    menu_button, title = (
        await panel.locator(".smooth-head .smooth-icon").first.bounding_box(),
        await panel.locator(".smooth-title").bounding_box(),
    )
    assert menu_button["x"] < title["x"]  # the header mirrored too
    keep(await screenshot(page, "arabic"), "widget-arabic")

    await panel.locator(".smooth-form textarea").fill("How long is the return window?")
    await panel.locator(".smooth-form textarea").press("Enter")
    reply = panel.locator('.smooth-outbound[aria-busy="false"]')
    await reply.wait_for(timeout=15000)
    question, answer = await panel.locator(".smooth-inbound").bounding_box(), await reply.bounding_box()
    assert question["x"] < answer["x"]  # the visitor's own message on the left, the answer on the right
    assert (
        await reply.locator(".smooth-text").evaluate("node => getComputedStyle(node).direction") == "ltr"
    )  # an English answer reads left to right
    await screenshot(page, "arabic-answered")


async def test_a_site_the_policy_does_not_list_gets_no_widget_and_a_console_message(browser, smooth):
    elsewhere = FakeHttpServer().start()  # another port: another origin, not on the list
    try:
        page = await browser.new_page()
        statuses = []
        page.on("response", lambda response: "/config" in response.url and statuses.append(response.status))
        async with page.expect_console_message(lambda message: "Smooth widget" in message.text) as logged:
            await page.goto(publish(elsewhere, "shop.html", widget_page(smooth)))
        assert "not shown" in (await logged.value).text
        assert statuses == [404]  # the same answer as an agent that does not exist
        assert await page.locator(".smooth-widget-host").count() == 0
        assert await page.get_by_role("button").count() == 0
    finally:
        elsewhere.stop()
    stored = smooth.manage("shell", "-c", "from chat.models import Session; print(Session.objects.count())")
    assert stored.stdout.strip().splitlines()[-1] == "0"  # nothing was written for the refused origin


async def test_the_chat_page_wears_its_agents_look_too(browser, tmp_path):
    server = start_server(tmp_path / "page", SMOOTH_AGENT_LLM="offline", SMOOTH_AGENT_SEED_KB="1")
    try:
        page = await browser.new_page()
        await page.goto(f"http://127.0.0.1:{server.port}/")
        await page.get_by_text("Connected. Ask a question.").wait_for()  # its first session registers the agent
        agent = await page.evaluate("document.getElementById('smooth-chat').dataset.agentId")
        dress(server, agent, brand_color=BRAND, greeting=GREETING, suggested_questions=SUGGESTED[:1], theme="dark")
        await page.reload()
        await page.get_by_text("Reconnected.").wait_for()
        assert await page.locator(".smooth-greeting .smooth-text").inner_text() == GREETING
        assert (
            await page.get_by_role("button", name="Send").evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(122, 31, 162)"
        )
        assert await page.locator(".smooth-chat").evaluate(SURFACE) == "rgb(28, 33, 40)"  # dark
        # The conversation has no message yet (the first session asked nothing): the suggestion is offered.
        await page.get_by_role("button", name=SUGGESTED[0]).click()
        reply = page.locator('.smooth-outbound[aria-busy="false"]')
        await reply.wait_for(timeout=15000)
        assert "17 days" in await reply.inner_text()
    finally:
        server.stop()
