"""Django's makemessages, without msgmerge's fuzzy matching.

Every run sets the widget's strings aside (#~) until `widget_messages` brings them back,
and msgmerge matches a new msgid against set-aside ones: it would hand a widget string's
translation to an unrelated new msgid as a fuzzy guess, and take it from the widget."""

from __future__ import annotations

from django.core.management.commands.makemessages import Command as MakeMessages


class Command(MakeMessages):
    msgmerge_options = [*MakeMessages.msgmerge_options, "--no-fuzzy-matching"]
