"""Answer feedback end to end, in a real browser against a real `manage.py serve`
(offline answers from the seeded help centre): a visitor rates an answer 👎 with a
comment on the chat page and another rates one 👍 in the widget, with the keyboard; the
rows in the database say so, a reload shows the rating, and the operator's view in the
admin counts them."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.browser.test_chat_page import OFFLINE, QUESTION, ask, open_chat
from tests.browser.test_widget import open_widget, publish
from tests.e2e.live import start_server
from tests.e2e.test_handoff import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

WIDGET_AGENT = str(uuid.UUID(int=0xFEED))
COMMENT = "It does not say whether sale items count."
STORED = (
    "from chat.models import Message; import json\n"
    "rated = Message.objects.exclude(feedback='').order_by('feedback_at')\n"
    "print(json.dumps([[m.text[:200], str(m.session.agent_id), m.direction, m.feedback, m.feedback_comment, m.feedback_at is not None]"
    " for m in rated]))"
)


@pytest.fixture
def smooth(tmp_path, http_server):
    server = start_server(tmp_path / "smooth", **OFFLINE)
    policy = server.manage("widget_policy", "set", "--agent", WIDGET_AGENT, "--origin", http_server.url)
    assert policy.returncode == 0, policy.stderr
    named = server.manage("agent", "set", "--agent", WIDGET_AGENT, "--name", "Shop assistant")
    assert named.returncode == 0, named.stderr
    staff = (
        "from django.contrib.auth.models import Group, Permission, User\n"
        "u = User.objects.create_user('alex', password='pw-alex', is_staff=True)\n"
        "u.groups.add(Group.objects.get_or_create(name='org:default')[0])\n"
        "u.user_permissions.set(Permission.objects.filter(content_type__app_label='chat', codename__startswith='view_'))"
    )
    assert server.manage("shell", "-v", "0", "-c", staff).returncode == 0
    yield server
    server.stop()


def widget_page(server) -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme shop</title></head>
<body><h1>Acme shop</h1>
<script src="http://127.0.0.1:{server.port}/static/smooth/widget.js" data-agent-id="{WIDGET_AGENT}" async></script>
</body></html>"""


async def test_visitors_rate_answers_on_the_page_and_in_the_widget_and_the_rows_say_so(browser, screenshot, smooth, http_server):
    page = await open_chat(browser, smooth.port)
    answer = await ask(page, QUESTION)
    assert "17 days" in await answer.locator(".smooth-text").inner_text()
    rating = answer.get_by_role("group", name="Rate this answer")
    assert await rating.get_by_role("button", name="Helpful", exact=True).get_attribute("aria-pressed") == "false"

    await rating.get_by_role("button", name="Not helpful").click()
    await rating.get_by_text("Thanks for your feedback.").wait_for()
    assert await rating.get_by_role("button", name="Not helpful").get_attribute("aria-pressed") == "true"
    await rating.get_by_label("Tell us more (optional)").fill(COMMENT)
    await rating.get_by_role("button", name="Send comment").click()
    await rating.get_by_text("Thanks, your comment was sent.").wait_for()
    assert await rating.get_by_label("Tell us more (optional)").count() == 0  # the box is gone
    # Focus went back to the rating given, not lost with the box.
    assert await rating.get_by_role("button", name="Not helpful").evaluate("node => node === document.activeElement")
    nothing = await ask(page, "how do I cancel my gym membership")  # found nothing: for the operator's list
    assert await nothing.get_by_role("button", name="Helpful", exact=True).count() == 1  # every answer may be rated
    await screenshot(page, "page-rated")

    # A reload reads the conversation back: the answer shows as rated.
    await page.reload()
    await page.get_by_text("Reconnected.").wait_for()
    first = page.locator(".smooth-outbound").first
    assert await first.get_by_role("button", name="Not helpful").get_attribute("aria-pressed") == "true"
    assert await first.get_by_role("button", name="Helpful", exact=True).get_attribute("aria-pressed") == "false"

    # The widget, on another site, rated with the keyboard alone.
    shop = await browser.new_page()
    await shop.goto(publish(http_server, "shop.html", widget_page(smooth)))
    panel = await open_widget(shop)
    await panel.get_by_text("Connected. Ask a question.").wait_for()
    reply = await ask(panel, "How long does shipping take?")
    helpful = reply.get_by_role("button", name="Helpful", exact=True)
    await helpful.focus()
    await shop.keyboard.press("Enter")
    await reply.get_by_text("Thanks for your feedback.").wait_for()
    assert await helpful.get_attribute("aria-pressed") == "true"
    assert await reply.get_by_label("Tell us more (optional)").is_visible()  # offered, never required
    await screenshot(shop, "widget-rated")

    stored = json.loads(smooth.manage("shell", "-c", STORED).stdout.strip().splitlines()[-1])
    page_agent = await page.evaluate("document.getElementById('smooth-chat').dataset.agentId")
    assert [row[1:] for row in stored] == [
        [page_agent, "outbound", "down", COMMENT, True],
        [WIDGET_AGENT, "outbound", "up", "", True],
    ]
    assert "17 days" in stored[0][0] and "business days" in stored[1][0]

    # The operator's view counts them, and lists the question that found nothing.
    context = await browser.new_context()
    base = f"http://127.0.0.1:{smooth.port}"
    await context.add_cookies([{"name": "sessionid", "value": signed_in(smooth, "alex"), "url": base}])
    admin = await context.new_page()
    await admin.goto(f"{base}/admin/")
    await screenshot(admin, "admin-index")
    await admin.get_by_role("link", name="How agents did", exact=True).click()
    days = await admin.locator("#agent-days tbody").inner_text()
    assert "Shop assistant" in days and "Smooth" in days
    # Totals: conversations, turns, found nothing, escalations, 👍, 👎 (offline: no tokens, no cost).
    totals = await admin.locator("#agent-days tfoot").inner_text()
    assert " ".join(totals.split()) == "All days shown 2 3 1 0 1 1 0 $0.00"
    assert "how do I cancel my gym membership" in await admin.locator("#found-nothing-list").inner_text()
    await screenshot(admin, "operator-view")
    await context.close()
