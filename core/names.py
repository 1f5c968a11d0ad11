"""The one mapping between the models' snake_case and the APIs' camelCase (the admin API's
fields, its error keys, the `agent` command's JSON): written once, here, not by hand."""

from __future__ import annotations

import re

_CAPITAL = re.compile(r"(?<!^)(?=[A-Z])")


def camel(name: str) -> str:
    """system_prompt -> systemPrompt"""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """systemPrompt -> system_prompt"""
    return _CAPITAL.sub("_", name).lower()


def camel_keys(errors: dict) -> dict:
    """A model's validation errors, keyed as the API names the fields."""
    return {camel(key): value for key, value in errors.items()}
