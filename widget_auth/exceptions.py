"""Why an embed was refused; each carries the protocol's error code."""


class WidgetAuthError(Exception):
    error_code = "AGENT_NOT_AUTHORIZED"


class AgentNotAuthorized(WidgetAuthError):
    error_code = "AGENT_NOT_AUTHORIZED"


class OriginNotAllowed(WidgetAuthError):
    error_code = "ORIGIN_NOT_ALLOWED"


class AuthContextInvalid(WidgetAuthError):
    error_code = "AUTH_CONTEXT_INVALID"
