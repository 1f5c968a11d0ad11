"""The cards a turn waits on, in a real browser, on the chat page and in the widget: a
write to allow, the contact form (a wrong email first), choice chips, and a one-time
code; all by keyboard, and at phone width."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from tests.browser.test_chat_page import open_chat
from tests.browser.test_widget import open_widget, publish
from tests.e2e.live import start_server_with_tools
from tests.fakegateway import FakeGateway
from tests.turns.scenario_tools import DELETE, ORDER

pytestmark = [pytest.mark.browser, pytest.mark.live]
PAGE_AGENT = "5e0e7a1c-0000-4000-8000-000000000001"  # SMOOTH_CHAT_AGENT_ID's default
WIDGET_AGENT = str(uuid.UUID(int=0xCA4D))
INTAKE = {
    "kind": "toolCall",
    "name": "request_identity_intake",
    "arguments": json.dumps(
        {"fields": [{"key": "name", "required": False}, {"key": "email", "required": True}], "reason": "to send you the quote"}
    ),
}
CHOICES = {
    "kind": "toolCall",
    "name": "request_choices",
    "arguments": json.dumps(
        {
            "questions": [{"question": "Which plan fits best?", "header": "Plan", "options": [{"label": "Starter"}, {"label": "Pro"}]}],
            "reason": "to quote",
        }
    ),
}


@pytest.fixture
def gateway():
    fake = FakeGateway().start()
    yield fake
    fake.stop()


@pytest.fixture
def smooth(tmp_path, gateway, http_server):
    server = start_server_with_tools(tmp_path / "smooth", gateway.url)
    assert server.manage("widget_policy", "set", "--agent", WIDGET_AGENT, "--origin", http_server.url).returncode == 0
    yield server
    server.stop()


async def say(chat, text: str):
    await chat.get_by_label("Your message").fill(text)
    await chat.get_by_label("Your message").press("Enter")


async def answered(chat, count: int) -> str:
    reply = chat.locator('.smooth-outbound[aria-busy="false"]').nth(count - 1)
    await reply.wait_for(timeout=15000)
    return await reply.locator(".smooth-text").inner_text()


async def the_three_cards(chat, page, gateway, screenshot, where: str):
    """Allow a write, fill the contact form, pick a chip: the keyboard only."""
    gateway.push(DELETE, {"kind": "text", "text": "Record 42 is deleted."})
    await say(chat, "delete record 42")
    card = chat.get_by_role("form", name="Allow this action?")
    await card.wait_for()
    assert 'delete_record {"id": "42"}' in await card.inner_text()
    allow = card.get_by_role("button", name="Allow", exact=True)
    assert await allow.evaluate("node => node === node.getRootNode().activeElement")  # focus moved to the card
    await screenshot(page, f"{where}-confirm")
    await page.keyboard.press("Enter")
    assert await answered(chat, 1) == "Record 42 is deleted."
    assert await card.count() == 0

    gateway.push(INTAKE, {"kind": "text", "text": "Thanks, the quote is on its way."})
    await say(chat, "send me a quote")
    form = chat.get_by_role("form", name="Your contact details")
    await form.wait_for()
    await page.keyboard.type("Ada")  # the first field has the focus
    await page.keyboard.press("Tab")
    await page.keyboard.type("ada@")
    await page.keyboard.press("Enter")
    email = form.get_by_label("Email")
    await form.get_by_text("must be a valid email address").wait_for()
    assert await email.get_attribute("aria-invalid") == "true"
    assert await email.evaluate("node => node === node.getRootNode().activeElement")
    assert await chat.locator(".smooth-working").inner_text() == ""  # the turn waits on the visitor, not the other way round
    await screenshot(page, f"{where}-identity-invalid")
    await email.fill("ada@example.com")
    await email.press("Enter")
    assert await answered(chat, 2) == "Thanks, the quote is on its way."

    gateway.push(CHOICES, {"kind": "text", "text": "Pro it is."})
    await say(chat, "which plan?")
    choices = chat.get_by_role("form", name="A quick question")
    await choices.wait_for()
    group = choices.get_by_role("group", name="Which plan fits best?")
    await page.keyboard.press("ArrowDown")  # the radio group has the focus: move to the second chip
    assert await group.get_by_role("radio", name="Pro").is_checked()
    await screenshot(page, f"{where}-choices")
    await page.keyboard.press("Enter")
    assert await answered(chat, 3) == "Pro it is."
    submitted = gateway.requests[-1]["messages"][-1]["content"]
    assert json.loads(submitted) == {"status": "submitted", "values": {"answers": [{"header": "Plan", "options": ["Pro"]}]}}


async def test_the_page_shows_each_card_and_a_visitor_answers_by_keyboard(browser, screenshot, smooth, gateway):
    page = await open_chat(browser, smooth.port)
    await the_three_cards(page, page, gateway, screenshot, "page")

    gateway.push(INTAKE)
    await say(page, "another quote")
    await page.get_by_role("form", name="Your contact details").wait_for()
    await page.set_viewport_size({"width": 375, "height": 720})  # a phone, with a card open
    assert await page.evaluate("document.documentElement.scrollWidth") <= 375
    await screenshot(page, "phone-card")
    await page.get_by_role("button", name="No thanks").click()
    await answered(page, 4)


async def test_the_page_takes_a_one_time_code(browser, screenshot, smooth, gateway):
    page = await open_chat(browser, smooth.port)
    gateway.push(INTAKE, {"kind": "text", "text": "Got it."})
    await say(page, "here are my details")
    form = page.get_by_role("form", name="Your contact details")
    await form.get_by_label("Email").fill("otp@example.com")
    await form.get_by_label("Email").press("Enter")
    await answered(page, 1)

    gateway.push(ORDER, {"kind": "text", "text": "I sent you a code."}, ORDER, {"kind": "text", "text": "Order A-17 shipped."})
    await say(page, "where is my order?")
    card = page.get_by_role("form", name="Verify it's you")
    await card.get_by_text("We sent a code to o***@example.com.").wait_for()
    await answered(page, 2)
    (mail,) = list(smooth.mail.iterdir())
    code = re.search(r"\b(\d{6})\b", mail.read_text()).group(1)
    await card.get_by_label("Code").fill("000000" if code != "000000" else "111111")
    await card.get_by_label("Code").press("Enter")
    await card.get_by_text("That code is not right. Tries left: 4.").wait_for()
    await card.get_by_label("Code").fill(code)
    await card.get_by_label("Code").press("Enter")
    await page.get_by_text("Verified. Ask your question again.").wait_for()
    await screenshot(page, "verified")
    await say(page, "where is my order now?")
    assert await answered(page, 3) == "Order A-17 shipped."


async def test_the_widget_shows_each_card_too(browser, screenshot, smooth, gateway, http_server):
    host = publish(
        http_server,
        "shop",
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script src="http://127.0.0.1:{smooth.port}/static/smooth/widget.js" data-agent-id="{WIDGET_AGENT}" async></script></body></html>""",
    )
    page = await browser.new_page()
    await page.goto(host)
    panel = await open_widget(page)
    await panel.get_by_text("Connected. Ask a question.").wait_for()
    await the_three_cards(panel, page, gateway, screenshot, "widget")

    gateway.push(INTAKE)
    await say(panel, "one more quote")
    await panel.get_by_role("form", name="Your contact details").wait_for()
    box, message = await panel.bounding_box(), await panel.get_by_label("Your message").bounding_box()
    assert message["y"] + message["height"] <= box["y"] + box["height"]  # the card fits the panel: the message box stays in it
    await screenshot(page, "widget-card-fits")
