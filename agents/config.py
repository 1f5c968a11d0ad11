"""What an agent's turn runs with: its own settings, or the server's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from core.defaults import own_or_server

DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful customer-support agent. Answer briefly and politely. "
    "For anything specific to this organisation (policies, prices, products, procedures), rely on the "
    "[Relevant knowledge] given to you, and call the knowledge_search tool when it is not enough. "
    "If the knowledge base has nothing on the question, say so plainly instead of guessing."
)


@dataclass(frozen=True)
class AgentConfig:
    model: str
    system_prompt: str
    max_iterations: int
    tools: tuple[str, ...] | None = None  # the tools it may call; None: every registered one
    confirm_tools: tuple[str, ...] = ()  # names or glob patterns of the tools that wait for approval
    end_user_tools: tuple[str, ...] = ()  # names or glob patterns of the tools only a verified visitor may run

    def may_use(self, tool_name: str) -> bool:
        return self.tools is None or tool_name in self.tools

    def needs_confirmation(self, tool_name: str) -> bool:
        return any(fnmatchcase(tool_name, pattern) for pattern in self.confirm_tools)

    def needs_verified_visitor(self, tool_name: str) -> bool:
        return any(fnmatchcase(tool_name, pattern) for pattern in self.end_user_tools)

    @classmethod
    def of(cls, agent) -> AgentConfig:
        """The agent's effective settings; a blank one falls back to the server's."""
        return cls(
            model=own_or_server(agent.model, "SMOOTH_AGENT_MODEL"),
            system_prompt=own_or_server(agent.system_prompt, "SMOOTH_AGENT_SYSTEM_PROMPT") or DEFAULT_SYSTEM_PROMPT,
            max_iterations=own_or_server(agent.max_iterations, "SMOOTH_AGENT_MAX_ITERATIONS"),
            tools=None if agent.tools is None else tuple(agent.tools),
            confirm_tools=tuple(own_or_server(agent.confirm_tools, "SMOOTH_AGENT_CONFIRM_TOOLS")),  # [] is its own: none
            end_user_tools=tuple(own_or_server(agent.end_user_tools, "SMOOTH_AGENT_END_USER_TOOLS")),
        )
