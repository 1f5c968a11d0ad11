"""Runs the protocol's conformance scenarios (shared/spec/conformance/scenarios).

A scenario sends frames and expects events in order. Matchers: `type`,
`status` / `statusGte`, `assert` (dot paths, array indexes as `a[0]` or `a.0`,
numbers compared by value), `capture` into {{vars}}, and `repeat` +
`accumulate` + `assertAccumulated` for a run of events of one type. Only named
fields are compared.
"""

from __future__ import annotations

import re
from typing import Any

from chat.handlers import ACTIONS
from chat.interactions.tools import built_in_interaction_tools

# Actions of the spec that Smooth answers UNSUPPORTED_ACTION for now.
SPEC_ACTIONS = {
    "create_conversation_session",
    "send_message",
    "get_session",
    "get_conversation_messages",
    "confirm_tool_action",
    "verify_otp",
    "submit_interaction",
    "ping",
    "cancel",
}
_PATH_PART = re.compile(r"[^.\[\]]+")


def skip_reason(scenario: dict) -> str | None:
    """Why Smooth cannot run this scenario yet, or None when it can."""
    unserved = sorted({step["send"].get("action") for step in scenario["steps"]} & (SPEC_ACTIONS - set(ACTIONS)))
    if unserved:
        return f"uses {', '.join(unserved)}, which Smooth does not serve yet"
    provided = {"knowledge_search", *built_in_interaction_tools()} | {
        tool["name"] for tool in (scenario.get("server") or {}).get("tools", [])
    }
    missing = sorted({item["name"] for item in scenario.get("mockLlmScript", []) if item.get("kind") == "toolCall"} - provided)
    if missing:
        return f"its model calls {', '.join(missing)}, a built-in tool Smooth does not provide yet"
    unsupported_setup = set(scenario.get("server") or {}) - {"knowledge", "tools", "confirmTools"}
    if unsupported_setup:
        return f"needs server setup ({', '.join(sorted(unsupported_setup))}), which Smooth does not support yet"
    return None


def lookup(event: Any, path: str) -> Any:
    value = event
    for part in _PATH_PART.findall(path):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            raise AssertionError(f"path {path!r} is missing from {event}")
    return value


def substitute(value: Any, variables: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return re.sub(r"\{\{(\w+)\}\}", lambda match: str(variables[match.group(1)]), value)
    if isinstance(value, list):
        return [substitute(item, variables) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, variables) for key, item in value.items()}
    return value


class ScenarioRunner:
    def __init__(self, client):
        self.client = client
        self.variables: dict[str, Any] = {}
        self._pushed_back: list[dict] = []

    async def _next(self) -> dict:
        return self._pushed_back.pop() if self._pushed_back else await self.client.receive()

    async def run(self, scenario: dict) -> None:
        for index, step in enumerate(scenario["steps"]):
            await self.client.send(substitute(step["send"], self.variables))
            for expectation in step["expect"]:
                where = f"{scenario['name']} step {index} expecting {expectation['type']}"
                if expectation.get("repeat"):
                    await self._match_run(expectation, where)
                else:
                    self._match(await self._next(), expectation, where)

    async def _match_run(self, expectation: dict, where: str) -> None:
        events = []
        while True:
            event = await self._next()
            if event["type"] != expectation["type"]:
                self._pushed_back.append(event)
                break
            events.append(event)
        assert events, f"{where}: no {expectation['type']} event arrived"
        if "accumulate" in expectation:
            accumulated = "".join(str(lookup(event, expectation["accumulate"])) for event in events)
            assert accumulated == expectation["assertAccumulated"], f"{where}: accumulated {accumulated!r}"

    def _match(self, event: dict, expectation: dict, where: str) -> None:
        assert event["type"] == expectation["type"], f"{where}: got {event}"
        if "status" in expectation:
            assert event.get("status") == expectation["status"], f"{where}: status of {event}"
        if "statusGte" in expectation:
            assert event.get("status", 0) >= expectation["statusGte"], f"{where}: status of {event}"
        for path, expected in expectation.get("assert", {}).items():
            expected = substitute(expected, self.variables)
            assert lookup(event, path) == expected, f"{where}: {path} of {event}"
        for name, path in expectation.get("capture", {}).items():
            self.variables[name] = lookup(event, path)
