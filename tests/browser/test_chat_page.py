"""The chat page at / in a real browser: a question, its answer streaming in, its
citation; plain-words errors; phone width; and re-attaching after the server is
killed and restarted mid-conversation."""

from __future__ import annotations

import json

import pytest

from chat.turns.offline import NOTHING_FOUND
from tests.e2e.live import free_port, start_server

pytestmark = [pytest.mark.browser, pytest.mark.live]

OFFLINE = {"SMOOTH_AGENT_LLM": "offline", "SMOOTH_AGENT_SEED_KB": "1"}
QUESTION = "How long is the return window?"

# Records every text the streaming reply shows, so the test sees tokens arrive one by one.
WATCH_REPLIES = """() => {
  window.replyTexts = [];
  new MutationObserver(() => {
    const busy = document.querySelector('.smooth-outbound[aria-busy="true"] .smooth-text');
    if (busy && busy.textContent) window.replyTexts.push(busy.textContent);
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


async def open_chat(browser, port: int):
    """A new tab on the chat page at /, once it says it is connected."""
    page = await browser.new_page()
    await page.goto(f"http://127.0.0.1:{port}/")
    await page.get_by_text("Connected. Ask a question.").wait_for()
    return page


async def ask(chat, question: str):
    """Type a question into a chat (a page, or the widget's panel), send it with the
    keyboard, and return the finished reply's list item."""
    answered = await chat.locator('.smooth-outbound[aria-busy="false"]').count()
    await chat.get_by_label("Your message").fill(question)
    await chat.get_by_label("Your message").press("Enter")
    reply = chat.locator('.smooth-outbound[aria-busy="false"]').nth(answered)
    await reply.wait_for(timeout=15000)
    return reply


async def test_a_question_streams_its_answer_and_shows_the_citation(browser, screenshot, tmp_path):
    server = start_server(tmp_path / "smooth", **OFFLINE)
    try:
        page = await open_chat(browser, server.port)
        await page.evaluate(WATCH_REPLIES)
        reply = await ask(page, QUESTION)

        text = await reply.locator(".smooth-text").inner_text()
        assert "17 days" in text
        streamed = await page.evaluate("window.replyTexts")
        assert len(set(streamed)) >= 3, streamed  # shown growing, before it was complete
        assert all(text.startswith(partial) for partial in streamed)
        sources = reply.locator(".smooth-citation")
        assert await sources.count() >= 1
        assert "Returns" in await sources.first.inner_text()
        assert await page.locator(".smooth-inbound .smooth-text").inner_text() == QUESTION
        assert await page.get_by_role("log", name="Conversation").get_attribute("aria-live") == "polite"
        assert await page.get_by_label("Your message").evaluate("node => node === document.activeElement")
        await screenshot(page, "answered")

        await page.set_viewport_size({"width": 375, "height": 720})  # a phone
        assert await page.evaluate("document.documentElement.scrollWidth") <= 375
        await screenshot(page, "phone")
    finally:
        server.stop()


async def test_offline_the_page_quotes_the_fact_and_says_plainly_when_nothing_fits(browser, screenshot, tmp_path):
    server = start_server(tmp_path / "smooth", **OFFLINE)
    try:
        page = await open_chat(browser, server.port)
        answer = await ask(page, "how much does expedited shipping cost")
        text = await answer.locator(".smooth-text").inner_text()
        assert text.startswith("From Shipping policy: ") and "15 dollars" in text
        assert "**" not in text and "#" not in text
        assert "Shipping" in await answer.locator(".smooth-citation").first.inner_text()
        assert "Quoted from our help articles: no AI wrote this answer." in await answer.inner_text()  # offline, said plainly

        hours = await ask(page, "What are your opening hours?")
        assert "9 am to 6 pm" in await hours.locator(".smooth-text").inner_text()
        assert "Contacting support" in await hours.locator(".smooth-citation").first.inner_text()

        for question in ("how do I cancel my gym membership", "Do you accept PayPal?"):
            refusal = await ask(page, question)
            assert await refusal.locator(".smooth-text").inner_text() == NOTHING_FOUND
            assert await refusal.locator(".smooth-citation").count() == 0
        await screenshot(page, "answered-and-refused")
    finally:
        server.stop()


async def test_an_agent_failure_is_shown_in_plain_words_and_the_chat_goes_on(browser, screenshot, tmp_path, fake_gateway):
    fake_gateway.push({"kind": "status", "status": 500})  # one call: retries are off
    server = start_server(
        tmp_path / "smooth", SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-test", SMOOTH_AGENT_GATEWAY_RETRIES="0"
    )
    try:
        page = await open_chat(browser, server.port)
        await page.get_by_label("Your message").fill(QUESTION)
        await page.get_by_label("Your message").press("Enter")
        alert = page.get_by_role("alert")
        await alert.get_by_text("The assistant could not answer just now. Please try again.").wait_for()
        assert "500" not in await alert.inner_text()  # the server's words stay in its log
        await screenshot(page, "agent-error")

        fake_gateway.push({"kind": "text", "text": "Here is an answer after all."})
        reply = await ask(page, "Try again?")
        assert await reply.locator(".smooth-text").inner_text() == "Here is an answer after all."
        assert await alert.is_hidden()
    finally:
        server.stop()


async def test_a_spent_budget_is_shown_in_the_servers_words_for_visitors(browser, screenshot, tmp_path, fake_gateway):
    fake_gateway.push({"kind": "text", "text": "Thirty days."})
    server = start_server(
        tmp_path / "smooth", SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-test", SMOOTH_BUDGET_PER_SESSION="15 tokens"
    )
    try:
        page = await open_chat(browser, server.port)
        reply = await ask(page, QUESTION)
        assert await reply.locator(".smooth-text").inner_text() == "Thirty days."
        await page.get_by_label("Your message").fill("And for sale items?")
        await page.get_by_label("Your message").press("Enter")
        alert = page.get_by_role("alert")
        await alert.get_by_text("This conversation has used all it may: start a new conversation to go on.").wait_for()
        assert len(fake_gateway.requests) == 1
        await screenshot(page, "budget-exceeded")
        # A new conversation has an allowance of its own.
        fake_gateway.push({"kind": "text", "text": "Sale items too."})
        await page.get_by_role("button", name="Start a new conversation").click()
        # The new conversation's transcript starts empty (the click returns before the new session is made).
        await page.wait_for_function("() => document.querySelectorAll('.smooth-inbound').length === 0")
        assert await page.get_by_role("button", name="Start a new conversation").is_hidden()
        reply = await ask(page, "And for sale items?")
        assert await reply.locator(".smooth-text").inner_text() == "Sale items too."
        assert await alert.is_hidden()
    finally:
        server.stop()


async def test_the_page_reattaches_to_its_session_after_the_server_restarts(browser, screenshot, tmp_path):
    # Token mode, as "Embedding securely" recommends: the page re-attaches with its resume
    # token, or it would be refused and start a new session (the id check below).
    port = free_port()
    workdir = tmp_path / "smooth"
    env = {**OFFLINE, "SMOOTH_SESSION_RESUME": "token"}
    server = start_server(workdir, port=port, **env)
    try:
        page = await open_chat(browser, port)
        first = await ask(page, QUESTION)
        assert "17 days" in await first.inner_text()
        session_id = await page.evaluate("window.smoothClient.sessionId")

        server.process.kill()  # no goodbye: the socket just drops
        server.process.wait()
        await page.get_by_text("Connection lost. Reconnecting…").wait_for()
        assert await page.get_by_label("Your message").is_disabled()
        await screenshot(page, "reconnecting")

        server = start_server(workdir, port=port, **env)
        await page.get_by_text("Reconnected.").wait_for(timeout=20000)
        assert await page.evaluate("window.smoothClient.sessionId") == session_id
        # The conversation so far is read back from the server, its citation included.
        assert await page.locator(".smooth-inbound").count() == 1
        assert "17 days" in await page.locator(".smooth-outbound").first.inner_text()
        assert await page.locator(".smooth-outbound .smooth-citation").count() >= 1

        second = await ask(page, "How long does shipping take?")
        assert "business days" in await second.inner_text()
        await screenshot(page, "continued")

        # A reload of the tab is a new connection too: the stored token carries it back.
        await page.reload()
        await page.get_by_text("Reconnected.").wait_for()  # resumed, not a new session
        assert await page.evaluate("window.smoothClient.sessionId") == session_id
        assert await page.locator(".smooth-inbound").count() == 2

        stored = server.manage(
            "shell",
            "-c",
            "from chat.models import Session, Message; import json; print(json.dumps([Session.objects.count(), Message.objects.count()]))",
        )
        assert json.loads(stored.stdout.strip().splitlines()[-1]) == [1, 4]  # one session, two exchanges
    finally:
        server.stop()


async def test_the_embed_demo_page_shows_the_snippet_and_runs_it(browser, screenshot, tmp_path):
    server = start_server(tmp_path / "smooth", **OFFLINE)
    try:
        page = await browser.new_page()
        await page.goto(f"http://127.0.0.1:{server.port}/embed")
        snippet = await page.locator("#snippet").inner_text()
        assert snippet.startswith(f'<script src="http://127.0.0.1:{server.port}/static/smooth/widget.js" data-agent-id="')
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # the snippet wraps
        await page.get_by_role("button", name="Chat with us").click()
        reply = await ask(page.get_by_role("dialog"), QUESTION)
        assert "17 days" in await reply.inner_text()
        await screenshot(page, "embed-demo")
    finally:
        server.stop()


async def test_a_server_without_a_model_says_so_and_stops_taking_messages(browser, tmp_path):
    server = start_server(tmp_path / "smooth", SMOOTH_AGENT_LLM="gateway")  # and no SMOOAI_GATEWAY_KEY
    try:
        page = await open_chat(browser, server.port)
        await page.get_by_label("Your message").fill(QUESTION)
        await page.get_by_role("button", name="Send").click()
        await page.get_by_role("alert").get_by_text("The assistant is offline right now.").wait_for()
        assert "SMOOAI_GATEWAY_KEY" not in await page.content()  # the operator's words stay in the log
        assert await page.get_by_label("Your message").is_disabled()
        assert await page.locator(".smooth-outbound").count() == 0  # no empty reply left behind
    finally:
        server.stop()


async def test_a_graceful_restart_mid_answer_finishes_the_answer_then_reattaches(browser, screenshot, tmp_path, fake_gateway):
    import signal

    reply = "Returns are accepted within 17 days of delivery, for a full refund."
    fake_gateway.push({"kind": "slow", "text": reply, "delay": 0.2})
    port = free_port()
    env = {"SMOOAI_GATEWAY_URL": fake_gateway.url, "SMOOAI_GATEWAY_KEY": "sk-test"}
    server = start_server(tmp_path / "smooth", port=port, **env)
    try:
        page = await open_chat(browser, port)
        await page.get_by_label("Your message").fill(QUESTION)
        await page.get_by_label("Your message").press("Enter")
        await page.locator('.smooth-outbound[aria-busy="true"] .smooth-text').filter(has_text="Returns").wait_for()

        server.process.send_signal(signal.SIGTERM)  # mid-answer: the process drains
        await page.locator('.smooth-outbound[aria-busy="false"]').wait_for(timeout=15000)
        assert await page.locator(".smooth-outbound .smooth-text").inner_text() == reply
        await page.get_by_text("Connection lost. Reconnecting…").wait_for()
        assert server.process.wait(10) == 0

        server = start_server(tmp_path / "smooth", port=port, **env)
        await page.get_by_text("Reconnected.").wait_for(timeout=20000)
        assert await page.locator(".smooth-outbound .smooth-text").inner_text() == reply  # stored, read back
        assert await page.get_by_role("alert").is_hidden()
        await screenshot(page, "after-restart")
    finally:
        server.stop()


SLOW_REPLY = "Returns are accepted within 17 days of delivery, for a full refund, no questions asked at all."


def serve_with_model(tmp_path, fake_gateway, *replies: dict):
    """A live Smooth answering through the fake gateway, which plays `replies` in turn."""
    fake_gateway.push(*replies)
    return start_server(tmp_path / "smooth", SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-test")


async def test_stop_ends_the_answer_and_the_chat_goes_on(browser, screenshot, tmp_path, fake_gateway):
    server = serve_with_model(
        tmp_path, fake_gateway, {"kind": "slow", "text": SLOW_REPLY, "delay": 0.25}, {"kind": "text", "text": "A short one."}
    )
    try:
        page = await open_chat(browser, server.port)
        await page.get_by_label("Your message").fill(QUESTION)
        await page.get_by_label("Your message").press("Enter")
        await page.locator('.smooth-outbound[aria-busy="true"] .smooth-text').filter(has_text="Returns").wait_for()
        assert await page.get_by_role("button", name="Send").is_disabled()  # one answer at a time
        await screenshot(page, "answering")
        await page.get_by_role("button", name="Stop").click()
        await page.get_by_text("Stopped.").wait_for()
        assert await page.locator(".smooth-outbound").count() == 0  # the partial answer is not kept
        assert await page.locator(".smooth-inbound").count() == 1  # the question is
        assert await page.get_by_role("button", name="Stop").is_hidden()
        reply = await ask(page, "And now?")
        assert await reply.locator(".smooth-text").inner_text() == "A short one."
    finally:
        server.stop()


async def test_a_second_tab_of_the_session_streams_the_answer_live(browser, screenshot, tmp_path, fake_gateway):
    server = serve_with_model(tmp_path, fake_gateway, {"kind": "slow", "text": SLOW_REPLY, "delay": 0.15})
    try:
        first = await open_chat(browser, server.port)
        stored = await first.evaluate("JSON.stringify(Object.fromEntries(Object.entries(sessionStorage)))")
        # A duplicated tab: the same session (and its resume token) in its sessionStorage.
        second = await (await browser.new_context()).new_page()
        await second.add_init_script(f"for (const [k, v] of Object.entries({stored})) sessionStorage.setItem(k, v);")
        await second.goto(f"http://127.0.0.1:{server.port}/")
        await second.get_by_text("Reconnected.").wait_for()
        assert await second.evaluate("window.smoothClient.sessionId") == await first.evaluate("window.smoothClient.sessionId")
        await second.evaluate(WATCH_REPLIES)

        await first.get_by_label("Your message").fill(QUESTION)
        await first.get_by_label("Your message").press("Enter")
        live = second.locator('.smooth-outbound[aria-busy="true"] .smooth-text')
        await live.filter(has_text="Returns").wait_for()  # streaming in the tab that did not ask
        assert await second.locator(".smooth-inbound .smooth-text").inner_text() == QUESTION  # with the question
        assert await second.get_by_role("button", name="Stop").is_visible()
        await screenshot(second, "watching")
        done = second.locator('.smooth-outbound[aria-busy="false"] .smooth-text')
        await done.wait_for(timeout=20000)
        assert await done.inner_text() == SLOW_REPLY
        assert len(set(await second.evaluate("window.replyTexts"))) >= 3  # it grew, token by token
    finally:
        server.stop()


async def test_a_dropped_connection_mid_answer_continues_the_same_answer(browser, screenshot, tmp_path, fake_gateway):
    server = serve_with_model(tmp_path, fake_gateway, {"kind": "slow", "text": SLOW_REPLY, "delay": 0.15})
    try:
        page = await open_chat(browser, server.port)
        await page.evaluate(WATCH_REPLIES)
        await page.get_by_label("Your message").fill(QUESTION)
        await page.get_by_label("Your message").press("Enter")
        streaming = page.locator('.smooth-outbound[aria-busy="true"] .smooth-text')
        await streaming.filter(has_text="within").wait_for()
        before = await streaming.inner_text()
        await page.evaluate("window.smoothClient.socket.close()")  # the network drops
        await page.get_by_text("Reconnected.").wait_for(timeout=10000)
        done = page.locator('.smooth-outbound[aria-busy="false"] .smooth-text')
        await done.wait_for(timeout=20000)
        assert await done.inner_text() == SLOW_REPLY
        assert await page.locator(".smooth-outbound").count() == 1 and await page.get_by_role("alert").is_hidden()
        texts = await page.evaluate("window.replyTexts")
        after_drop = [text for text in texts if len(text) > len(before)]
        assert len(set(after_drop)) >= 2 and all(text.startswith(before) for text in after_drop)  # streamed on, not re-read at the end
        await screenshot(page, "resumed")
    finally:
        server.stop()


IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight + 1 && box.height > 0;
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 720}, {"width": 375, "height": 667}], ids=["desktop", "phone"])
async def test_after_ten_questions_the_newest_answer_and_the_message_box_stay_in_view(
    browser, screenshot, tmp_path, viewport, fake_gateway
):
    answer = "Returns are accepted within 17 days of delivery, with the receipt, for a full refund to the card you paid with."
    fake_gateway.push(*[{"kind": "text", "text": answer} for _ in range(10)])
    server = start_server(tmp_path / "smooth", SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-page")
    try:
        page = await browser.new_page(viewport=viewport)
        await page.goto(f"http://127.0.0.1:{server.port}/")
        await page.get_by_text("Connected. Ask a question.").wait_for()
        for number in range(10):
            await ask(page, f"{QUESTION} ({number + 1})")
        assert await page.evaluate(IN_VIEW, ".smooth-outbound:last-of-type")  # the newest answer
        assert await page.evaluate(IN_VIEW, "textarea")  # the message box
        # The page itself does not scroll: the transcript does, inside its pane.
        assert await page.evaluate("document.documentElement.scrollHeight") <= viewport["height"] + 1
        transcript = page.get_by_role("log", name="Conversation")
        assert await transcript.evaluate("node => node.scrollHeight > node.clientHeight")
        assert "no AI wrote this answer" not in await page.locator(".smooth-outbound").last.inner_text()  # a model's answer
        await screenshot(page, "ten-questions")
    finally:
        server.stop()
