"""Why an embed was refused; each carries the protocol's error code.

`message` is what the client is told; `reason` what the log says. For a refused
agent they differ: an agent that is not registered, disabled, another
organisation's or missing its policy must all look the same from outside.
"""


class WidgetAuthError(Exception):
    error_code = "AGENT_NOT_AUTHORIZED"
    public_message: str | None = None

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return self.public_message or self.reason


class AgentNotAuthorized(WidgetAuthError):
    error_code = "AGENT_NOT_AUTHORIZED"
    public_message = "this agent is not available"


class OriginNotAllowed(WidgetAuthError):
    error_code = "ORIGIN_NOT_ALLOWED"


class AuthContextInvalid(WidgetAuthError):
    error_code = "AUTH_CONTEXT_INVALID"
