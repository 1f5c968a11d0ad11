from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

RATE_SETTINGS = (
    "SMOOTH_LIMIT_CONNECTIONS_PER_IP",
    "SMOOTH_LIMIT_SESSIONS_PER_IP",
    "SMOOTH_LIMIT_MESSAGES_PER_SESSION",
    "SMOOTH_LIMIT_MESSAGES_PER_AGENT",
    "SMOOTH_LIMIT_FRAMES_PER_SOCKET",
    "SMOOTH_OTP_SENDS_PER_ADDRESS",
)
CAP_SETTINGS = ("SMOOTH_BUDGET_PER_SESSION", "SMOOTH_BUDGET_PER_VISITOR_DAY", "SMOOTH_BUDGET_PER_AGENT_DAY", "SMOOTH_BUDGET_PER_ORG_MONTH")


class LimitsConfig(AppConfig):
    name = "limits"
    verbose_name = "Limits"

    def ready(self) -> None:
        check_settings()
        check_registered()


def check_settings() -> None:
    """Stop start-up on a rate or a budget that is not one, naming the variable (settings
    hold them as text: the parsers are this app's)."""
    from limits.amounts import parse_cap
    from limits.rates import parse_rate

    for names, parse in ((RATE_SETTINGS, parse_rate), (CAP_SETTINGS, parse_cap)):
        for name in names:
            try:
                parse(getattr(settings, name))
            except ValidationError as exc:
                raise ImproperlyConfigured(f"{name}: {exc.messages[0]}") from None


# What this app registers with chat; without them an installed limits would enforce nothing.
REGISTERED = {
    "SMOOTH_TURN_STAGES": ("limits.stages.Rates", "limits.stages.Budgets"),
    "SMOOTH_SOCKET_MIDDLEWARE": ("limits.admission.Admission",),
}


def check_registered() -> None:
    """Stop start-up when limits is installed but a list leaves out what it registers: a
    limit is switched off by its setting ("0"), never by a missing line."""
    for setting, paths in REGISTERED.items():
        missing = [path for path in paths if path not in getattr(settings, setting)]
        if missing:
            raise ImproperlyConfigured(
                f"{setting} leaves out {', '.join(missing)}: limits is installed, so its limits would not apply. "
                "Add them, or leave limits out of INSTALLED_APPS."
            )
