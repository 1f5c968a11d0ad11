"""In a real browser: the working line from the 202 until the first token (and a tool's
line), which ends on an answer, an error, a Stop, a dropped connection and a resume, and is
announced once; and the widget's menu: a download whose content matches the history, and a
delete (confirmed in the panel) after which the history is empty."""

from __future__ import annotations

import html
import json
import uuid

import pytest

from tests.browser.test_chat_page import QUESTION, ask, open_chat
from tests.browser.test_widget import publish
from tests.browser.test_widget_look import dress, keep, panel_of, widget_page
from tests.e2e.live import start_server

pytestmark = [pytest.mark.browser, pytest.mark.live]

WORKING = "Working on it…"
AGENT = str(uuid.UUID(int=0xDA7A))
# Every text the working line takes, in order ("" when it ends), from before the question on.
WATCH_WORKING = """() => {
  window.workingTexts = [];
  const line = document.querySelector('.smooth-working');
  new MutationObserver(() => window.workingTexts.push(line.textContent))
    .observe(line, {subtree: true, childList: true, characterData: true});
}"""
SEARCH = {"kind": "toolCall", "name": "knowledge_search", "arguments": json.dumps({"query": "return window"})}
HISTORY = """async () => {
  const client = window.smoothClient || window.smoothWidgetClient;
  const page = await client.request({action: "get_conversation_messages", sessionId: client.sessionId, limit: 100});
  return page.data.messages.map((message) => message.content.text);
}"""


@pytest.fixture
def with_model(tmp_path, fake_gateway):
    server = start_server(
        tmp_path / "smooth", SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-test", SMOOTH_AGENT_GATEWAY_RETRIES="0"
    )
    yield server
    server.stop()


async def asked(browser, server, question: str = QUESTION):
    """The chat page, watching its working line, with `question` sent."""
    page = await open_chat(browser, server.port)
    await page.evaluate(WATCH_WORKING)
    await page.get_by_label("Your message").fill(question)
    await page.get_by_label("Your message").press("Enter")
    return page


def working_line(page):
    return page.locator(".smooth-working")


async def test_the_working_line_shows_until_the_first_token_and_is_announced_once(browser, screenshot, with_model, fake_gateway):
    fake_gateway.push({"kind": "slow", "text": "Returns are accepted within 17 days of delivery.", "delay": 0.4})
    page = await asked(browser, with_model)
    line = working_line(page)
    await line.get_by_text(WORKING).wait_for()
    assert await line.get_attribute("role") == "status"  # a polite live region
    assert await page.locator(".smooth-outbound").is_hidden()  # the line stands for the empty reply
    await screenshot(page, "working")
    await page.locator('.smooth-outbound[aria-busy="false"]').wait_for(timeout=15000)
    assert await line.inner_text() == ""
    assert await page.locator(".smooth-chat[data-working]").count() == 0
    # Shown once, ended once: the tokens that streamed in between did not touch it.
    assert await page.evaluate("window.workingTexts") == [WORKING, ""]


async def test_a_tool_call_shows_its_line(browser, with_model, fake_gateway):
    fake_gateway.push(SEARCH, {"kind": "slow", "text": "Within 17 days.", "delay": 0.3})
    page = await asked(browser, with_model)
    # The turn's end, then every text the line took: a line shown for a moment is not missed.
    await page.locator('.smooth-outbound[aria-busy="false"], [role="alert"]:not(:empty)').first.wait_for(timeout=30000)
    assert await page.evaluate("window.workingTexts") == [WORKING, "Searching the help centre…", ""]


async def test_the_working_line_ends_on_an_error(browser, with_model, fake_gateway):
    fake_gateway.push({"kind": "status", "status": 500})
    page = await asked(browser, with_model)
    await page.get_by_role("alert").get_by_text("The assistant could not answer just now.").wait_for()
    assert await (working_line(page)).inner_text() == ""
    texts = await page.evaluate("window.workingTexts")
    assert texts[-1] == "" and WORKING in texts


async def test_the_working_line_ends_on_stop(browser, with_model, fake_gateway):
    fake_gateway.push({"kind": "hang"})
    page = await asked(browser, with_model)
    line = working_line(page)
    await line.get_by_text(WORKING).wait_for()
    await page.get_by_role("button", name="Stop").click()
    await page.get_by_text("Stopped.").wait_for()
    assert await line.inner_text() == ""


async def test_the_working_line_ends_on_a_dropped_connection_and_stays_off_after_the_resume(browser, screenshot, with_model, fake_gateway):
    fake_gateway.push({"kind": "hang"})  # the model never answers: only the drop can end the line
    page = await asked(browser, with_model)
    line = working_line(page)
    await line.get_by_text(WORKING).wait_for()
    await page.evaluate("window.smoothClient.socket.close()")  # the network drops
    await page.get_by_text("Connection lost. Reconnecting…").wait_for()
    assert await line.inner_text() == ""
    await page.get_by_text("Reconnected.").wait_for(timeout=10000)  # the turn is resumed
    assert await line.inner_text() == ""
    assert await page.locator(".smooth-chat[data-working]").count() == 0
    assert await page.locator('.smooth-outbound[aria-busy="true"]').is_visible()  # the answer under way still shows
    await screenshot(page, "resumed")


async def test_the_working_line_does_not_move_for_visitors_who_ask_for_less_motion(browser, with_model, fake_gateway):
    fake_gateway.push({"kind": "hang"})
    page = await browser.new_page(reduced_motion="reduce")
    await page.goto(f"http://127.0.0.1:{with_model.port}/")
    await page.get_by_text("Connected. Ask a question.").wait_for()
    await page.get_by_label("Your message").fill(QUESTION)
    await page.get_by_label("Your message").press("Enter")
    line = page.locator(".smooth-working")
    await line.get_by_text(WORKING).wait_for()
    animation = "node => getComputedStyle(node, '::before').animationName"
    assert await line.evaluate(animation) == "none"
    await page.emulate_media(reduced_motion="no-preference")
    assert await line.evaluate(animation) == "smooth-blink"


@pytest.fixture
def offline(tmp_path, http_server):
    server = start_server(tmp_path / "smooth", SMOOTH_AGENT_LLM="offline", SMOOTH_AGENT_SEED_KB="1")
    assert server.manage("widget_policy", "set", "--agent", AGENT, "--origin", http_server.url).returncode == 0
    assert server.manage("agent", "set", "--agent", AGENT, "--name", "Acme help").returncode == 0
    yield server
    server.stop()


async def test_the_page_downloads_the_conversation_as_text_and_html(browser, offline):
    page = await open_chat(browser, offline.port)
    await ask(page, QUESTION)
    await ask(page, "How long does shipping take?")
    history = await page.evaluate(HISTORY)
    assert len(history) == 4
    for item, extension in (("Download conversation", ".txt"), ("Download as HTML", ".html")):
        await page.get_by_role("button", name="Conversation options").click()
        async with page.expect_download() as started:
            await page.get_by_role("button", name=item).click()
        download = await started.value
        assert download.suggested_filename.startswith("conversation-") and download.suggested_filename.endswith(extension)
        content = (await download.path()).read_text(encoding="utf-8")
        if extension == ".html":
            content = html.unescape(content)
        for text in history:  # every message of the history, each question and each answer
            assert text in content, (text, content[:500])
        assert content.index(QUESTION) < content.index("How long does shipping take?")  # in order
        assert await page.get_by_role("button", name="Conversation options").get_attribute("aria-expanded") == "false"


async def test_the_widget_deletes_the_conversation_after_a_confirmation_in_the_panel(browser, screenshot, offline, http_server):
    dress(offline, AGENT, visitor_erasure="audited", greeting="Hello! How can I help?")
    page = await browser.new_page(viewport={"width": 1100, "height": 760})
    await page.goto(publish(http_server, "shop.html", widget_page(offline, agent=AGENT)))
    panel = await panel_of(page, "Chat with us")
    await ask(panel, QUESTION)
    assert len(await page.evaluate(HISTORY)) == 2

    options = panel.get_by_role("button", name="Conversation options")
    await options.click()
    assert await options.get_attribute("aria-expanded") == "true"
    assert await panel.get_by_role("button", name="Download conversation").evaluate("node => node === node.getRootNode().activeElement")
    keep(await screenshot(page, "menu"), "widget-menu")
    await page.keyboard.press("Escape")  # the menu closes, the panel stays
    assert await panel.get_by_role("button", name="Delete conversation").count() == 0
    assert await panel.is_visible()
    assert await options.evaluate("node => node === node.getRootNode().activeElement")

    await options.click()
    await panel.get_by_role("button", name="Delete conversation").click()
    confirm = panel.get_by_role("form", name="Delete this conversation?")
    await confirm.get_by_text("Its messages are erased for good.").wait_for()
    cancel = confirm.get_by_role("button", name="Cancel")
    assert await cancel.evaluate("node => node === node.getRootNode().activeElement")  # the safe answer has the focus
    await cancel.click()  # nothing happens
    await confirm.wait_for(state="detached")
    assert await panel.locator(".smooth-inbound").count() == 1

    await options.click()
    await panel.get_by_role("button", name="Delete conversation").click()
    await screenshot(page, "confirm-delete")
    await confirm.get_by_role("button", name="Delete", exact=True).click()
    await panel.get_by_text("Conversation deleted.").wait_for()
    assert await panel.locator(".smooth-inbound, .smooth-outbound").count() == 0
    assert await panel.locator(".smooth-greeting").count() == 1  # the greeting stays
    assert await confirm.count() == 0
    assert await page.evaluate(HISTORY) == []  # get_conversation_messages returns nothing
    await screenshot(page, "deleted")
    stored = offline.manage(
        "shell", "-c", "from chat.models import ConversationErasure as E; print(list(E.objects.values_list('messages', flat=True)))"
    )
    assert stored.stdout.strip().splitlines()[-1] == "[2]"  # the audit record, without content

    # The conversation goes on in the same panel.
    reply = await ask(panel, "How long does shipping take?")
    assert "business days" in await reply.inner_text()


async def test_the_delete_entry_is_not_offered_when_the_site_owner_turned_it_off(browser, offline, http_server):
    dress(offline, AGENT, visitor_erasure="off")
    page = await browser.new_page()
    await page.goto(publish(http_server, "shop.html", widget_page(offline, agent=AGENT)))
    panel = await panel_of(page, "Chat with us")
    await panel.get_by_role("button", name="Conversation options").click()
    await panel.get_by_role("button", name="Download conversation").wait_for()
    assert await panel.get_by_role("button", name="Delete conversation").count() == 0
