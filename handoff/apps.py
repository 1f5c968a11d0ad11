from django.apps import AppConfig


class HandoffConfig(AppConfig):
    name = "handoff"
    verbose_name = "Handoff to people"

    def ready(self) -> None:
        # The model's way to ask for a person (its turn stage is named in SMOOTH_TURN_STAGES).
        from chat.turns.tools import register_tool
        from handoff.tools import EscalateToHuman

        register_tool(EscalateToHuman())
