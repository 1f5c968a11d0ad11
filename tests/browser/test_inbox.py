"""The operator inbox and the visitor's chat in two real Chromium pages against one real
`manage.py serve`: the visitor asks for a person, the conversation shows up waiting in
the inbox, the operator opens it, takes it over, answers, and hands it back; each page
shows its side (the visitor: "A person has joined", the operator's name on the reply,
"The assistant is back")."""

from __future__ import annotations

import pytest

from tests.e2e.live import start_server
from tests.e2e.test_handoff import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def server(tmp_path, fake_gateway):
    live = start_server(tmp_path / "s", SMOOAI_GATEWAY_URL=fake_gateway.url, SMOOAI_GATEWAY_KEY="sk-inbox", SMOOTH_AGENT_SEED_KB="1")
    code = (
        "from django.contrib.auth.models import Group, Permission, User\n"
        "u = User.objects.create_user('alex', password='pw-alex', first_name='Alex', last_name='Rivera', is_staff=True)\n"
        "u.groups.add(Group.objects.get_or_create(name='org:default')[0])\n"
        "u.user_permissions.set(Permission.objects.filter(content_type__app_label='chat', codename__startswith='view_'))"
    )
    assert live.manage("shell", "-v", "0", "-c", code).returncode == 0
    yield live
    live.stop()


async def test_a_person_takes_over_from_the_inbox_and_both_pages_show_it(browser, screenshot, server, fake_gateway):
    base = f"http://127.0.0.1:{server.port}"
    visitor = await browser.new_page()
    await visitor.goto(f"{base}/")
    await visitor.get_by_text("Connected. Ask a question.").wait_for()

    operator_context = await browser.new_context()
    await operator_context.add_cookies([{"name": "sessionid", "value": signed_in(server, "alex"), "url": base}])
    inbox = await operator_context.new_page()
    await inbox.goto(f"{base}/inbox/")
    await inbox.get_by_text("Connected.").wait_for()

    # The visitor asks for a person: the inbox lists the conversation, waiting, first.
    await visitor.get_by_label("Your message").fill("Can I talk to a human?")
    await visitor.get_by_label("Your message").press("Enter")
    await visitor.locator('.smooth-outbound[aria-busy="false"]').first.wait_for()
    row = inbox.locator('.inbox-row[data-state="waiting"]').first
    await row.get_by_text("Waiting for a person").wait_for()
    assert "Can I talk to a human?" in await row.inner_text()  # the visitor's last message
    await screenshot(inbox, "waiting")

    # Opened, taken over: the visitor is told, in their log.
    await row.get_by_role("button").click()
    await inbox.locator(".inbox-transcript").get_by_text("Can I talk to a human?").wait_for()
    await inbox.get_by_role("button", name="Take over", exact=True).click()
    await inbox.get_by_text("Held by you").wait_for()
    await visitor.get_by_text("A person has joined: Alex Rivera").wait_for()

    # The visitor writes; the operator reads it live and answers; the visitor sees the name.
    await visitor.get_by_label("Your message").fill("My parcel never arrived.")
    await visitor.get_by_label("Your message").press("Enter")
    await inbox.locator(".inbox-transcript").get_by_text("My parcel never arrived.").wait_for()
    await inbox.get_by_label("Your reply").fill("Sorry to hear that, I am checking with the courier.")
    await inbox.get_by_label("Your reply").press("Enter")
    reply = visitor.locator(".smooth-person").first
    await reply.get_by_text("Sorry to hear that, I am checking with the courier.").wait_for()
    assert await reply.locator(".smooth-speaker").inner_text() == "Alex Rivera"
    assert await visitor.locator(".smooth-outbound .smooth-text:text-is('')").count() == 0  # no empty bubble
    assert len(fake_gateway.requests) == 0  # the AI never answered
    sent = inbox.locator(".inbox-transcript .smooth-message", has_text="Sorry to hear that")
    assert await sent.locator(".smooth-speaker").inner_text() == "Alex Rivera"  # the operator's name, live, in the inbox too
    assert "Visitor " in await inbox.locator(".inbox-row").first.inner_text()  # a visitor with no name, told apart by session
    await screenshot(visitor, "answered-by-a-person")
    await screenshot(inbox, "holding")

    # Reloaded, the page reads it all back from the history, and knows who holds the conversation.
    await visitor.reload()
    await visitor.get_by_text("Reconnected.").wait_for()
    assert await visitor.get_by_text("A person has joined: Alex Rivera").count() == 1
    assert await visitor.locator(".smooth-person .smooth-speaker").first.inner_text() == "Alex Rivera"
    await visitor.get_by_label("Your message").fill("Any news?")
    await visitor.get_by_label("Your message").press("Enter")
    await inbox.locator(".inbox-transcript").get_by_text("Any news?").wait_for()
    assert await visitor.get_by_text("Stopped.").count() == 0  # a message to a person ends quietly

    # Handed back: the assistant answers again.
    await inbox.get_by_role("button", name="Hand back to the assistant").click()
    await visitor.get_by_text("The assistant is back").wait_for()
    fake_gateway.push({"kind": "text", "text": "Couriers usually deliver within five days."})
    await visitor.get_by_label("Your message").fill("How long do couriers take?")
    await visitor.get_by_label("Your message").press("Enter")
    await visitor.get_by_text("Couriers usually deliver within five days.").wait_for()
    await inbox.locator(".inbox-transcript").get_by_text("Couriers usually deliver within five days.").wait_for()
    await screenshot(visitor, "handed-back")

    # The admin lists the conversation by its first question, with its count and status.
    admin = await operator_context.new_page()
    await admin.goto(f"{base}/admin/chat/conversation/")
    row = admin.locator("#result_list tbody tr").first
    assert "Can I talk to a human?" in await row.inner_text()
    assert await admin.locator("#site-name").inner_text() == "Smooth administration"
    await screenshot(admin, "admin-conversations")
    await operator_context.close()
