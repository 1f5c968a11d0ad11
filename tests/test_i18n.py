"""The visitor's language: which one is chosen, its direction, and catalogues that are
complete, faithful to their placeholders and compiled from what is committed."""

from __future__ import annotations

import ast
import gettext
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation.template import templatize

from chat import i18n
from chat.management.commands.widget_messages import merge_widget_messages, parse_po

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
SHIPPED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
MSGFMT = shutil.which("msgfmt")
# The placeholders a translation must keep: the widget's {name}, Django's %(name)s and %s.
PLACEHOLDER = re.compile(r"\{\w+\}|%\(\w+\)[sd]|%[sd]")
TEMPLATE_MSGID = re.compile(r"\b(n?p?gettext)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)")
TEMPLATE_LITERAL = re.compile(r"u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


class _Missing(gettext.NullTranslations):
    """The fallback a compiled catalogue reaches only for a msgid it lacks."""

    MARK = "\0missing\0"

    def gettext(self, message):
        return self.MARK

    def pgettext(self, context, message):
        return self.MARK

    def ngettext(self, singular, plural, n):
        return self.MARK

    def npgettext(self, context, singular, plural, n):
        return self.MARK


def compiled(lang: str) -> gettext.GNUTranslations:
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    catalogue.add_fallback(_Missing())
    return catalogue


def live_entries(lang: str):
    text = (LOCALE_DIR / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [entry for entry in parse_po(text) if entry.msgid and not entry.obsolete]


def page_messages() -> set[tuple[str, ...]]:
    """Every (function, *literals) a project template marks for translation, as makemessages reads them."""
    folders = [Path(settings.BASE_DIR) / "templates"]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs() if Path(app.path).parent == Path(settings.BASE_DIR)]
    found = set()
    for folder in folders:
        for template in folder.rglob("*.html"):
            source = templatize(template.read_text(encoding="utf-8"), origin=str(template))
            for match in TEMPLATE_MSGID.finditer(source):
                literals = [ast.literal_eval(literal) for literal in TEMPLATE_LITERAL.findall(match.group(2))]
                found.add((match.group(1), *literals))
    return found


def translate(catalogue: gettext.GNUTranslations, message: tuple[str, ...]) -> str:
    function, *literals = message
    count = [1] if function in ("ngettext", "npgettext") else []
    return getattr(catalogue, function)(*literals, *count)


def as_makemessages_leaves_it(po: Path) -> None:
    """The catalogue with the widget's strings set aside (#~), as makemessages leaves them."""
    entries = []
    for entry in parse_po(po.read_text(encoding="utf-8")):
        lines = entry.lines
        if entry.msgid in i18n.widget_msgids():
            lines = [line if line.startswith("#") else f"#~ {line}" for line in lines if not line.startswith("#:")]
        entries.append("\n".join(lines))
    po.write_text("\n\n".join(entries) + "\n", encoding="utf-8")


# --- Which language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "accept_language", "expected"),
    [
        ("de-AT", "es", "de"),  # a region falls back to its language; data-lang beats the browser
        ("de_AT", None, "de"),
        ("AR", None, "ar"),
        ("fr-CA, es", None, "es"),  # the next requested choice
        ("fr", "es-MX,es;q=0.9", "es"),  # nothing requested is supported: the browser's
        ("en-GB", "de", "en"),  # English is supported too
        (None, "fr;q=0.9, ar;q=0.8, de;q=0.5", "ar"),
        (None, "de;q=0.2, es;q=0.8", "es"),  # by q value, not by order
        (None, "*", "en"),
        (None, None, "en"),
        ("", "", "en"),
        ("<script>", "de", "de"),  # not a language tag
        ("x" * 500, "not a header ;;", "en"),
    ],
)
def test_the_widget_language_is_the_first_supported_choice(requested, accept_language, expected):
    assert i18n.widget_language(requested, accept_language) == expected


def test_arabic_is_written_right_to_left_and_the_others_left_to_right():
    assert i18n.text_direction("ar") == "rtl"
    assert [i18n.text_direction(lang) for lang in ("en", "de", "es")] == ["ltr", "ltr", "ltr"]
    assert i18n.text_direction("no-such-language") == "ltr"


# --- Finding the widget's strings ------------------------------------------------------------


def test_the_scan_reads_double_quoted_t_calls_and_decodes_their_escapes(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "a.js").write_text(
        '// Every string is t("English", {name}); see t(...) below.\n'
        'function t(text, values) { return text; } // not t("this")\n'
        '/* t("nor\n * t("this") */\n'
        'fetch("https://x/" + t("Yes"));\n'
        'emit("ready"); document.createElement("div");\n'
        'label.textContent = t("Say \\"hi\\" \\\\ caf\\u00e9\\nnow");\n'
        'const x = t( "Hello {name}", { name });\n',
        encoding="utf-8",
    )
    (tmp_path / "nested" / "b.js").write_text('box.t("Send"); t("")\nt(\'single\'); t(label); t(`tpl`)\n', encoding="utf-8")
    assert i18n.scan_widget_messages(tmp_path) == [
        i18n.WidgetMessage("Yes", "a.js", 5),
        i18n.WidgetMessage('Say "hi" \\ café\nnow', "a.js", 7),
        i18n.WidgetMessage("Hello {name}", "a.js", 8),
        i18n.WidgetMessage("Send", "nested/b.js", 1),
    ]
    assert i18n.unreadable_t_calls(tmp_path) == ["nested/b.js:2", "nested/b.js:2", "nested/b.js:2"]


def test_every_t_call_in_the_widget_has_a_literal_msgid():
    assert i18n.unreadable_t_calls() == [], "t() must take a double-quoted literal: chat/i18n.py cannot see these strings"


def test_the_widget_has_strings_to_translate():
    assert len(i18n.widget_msgids()) >= 10


# --- Complete catalogues --------------------------------------------------------------


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_widget_string_has_a_translation(lang):
    catalogue = compiled(lang)
    untranslated = [msgid for msgid in i18n.widget_msgids() if catalogue.gettext(msgid) in (_Missing.MARK, "")]
    assert untranslated == [], f"{lang}: run manage.py widget_messages, translate, compilemessages (docs/DEVELOPING.md)"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_page_string_has_a_translation(lang):
    catalogue = compiled(lang)
    untranslated = [message for message in page_messages() if translate(catalogue, message) in (_Missing.MARK, "")]
    assert untranslated == [], f"{lang}: run manage.py makemessages, translate, compilemessages (docs/DEVELOPING.md)"


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_catalogue_entry_is_translated_and_none_is_fuzzy(lang):
    assert [entry.msgid for entry in live_entries(lang) if not entry.is_header and not entry.translated] == []


@pytest.mark.parametrize("lang", SHIPPED)
def test_a_translation_keeps_exactly_the_placeholders_of_its_msgid(lang):
    wrong = {}
    for entry in live_entries(lang):
        if entry.is_header:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid or ""))
        for form in entry.msgstr.values():
            found = sorted(PLACEHOLDER.findall(form))
            # A plural form may leave the number out ("one message"), never add or drop another.
            numbers = {placeholder for placeholder in expected if placeholder.endswith("d")}
            if found != expected and not (
                entry.msgid_plural
                and [p for p in expected if p not in numbers] == [p for p in found if p not in numbers]
                and set(found) <= set(expected)
            ):
                wrong[entry.msgid] = form
    assert wrong == {}


def test_the_widget_is_served_its_strings_from_the_catalogue():
    assert i18n.widget_messages("en") == {}
    for lang in SHIPPED:
        messages = i18n.widget_messages(lang)
        catalogue = compiled(lang)
        assert messages == {msgid: catalogue.gettext(msgid) for msgid in i18n.widget_msgids()}
    messages["mutated"] = "by a caller"
    assert "mutated" not in i18n.widget_messages(lang)


def test_the_committed_catalogues_are_up_to_date_with_the_widget():
    call_command("widget_messages", "--check")  # raises CommandError when a t("...") is missing or untranslated


# --- Compiled as committed ------------------------------------------------------------------


@pytest.mark.parametrize("lang", SHIPPED)
def test_each_committed_mo_is_its_po_compiled(lang, tmp_path):
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"
    committed = compiled(lang)._catalog  # type: ignore[attr-defined]
    if MSGFMT:
        subprocess.run([MSGFMT, "--check-format", "-o", str(tmp_path / "django.mo"), str(po)], check=True)
        with open(tmp_path / "django.mo", "rb") as mo:
            assert committed == gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    else:  # no gettext tools: read the .po the way msgfmt would
        expected = {}
        for entry in parse_po(po.read_text(encoding="utf-8")):
            if entry.msgid and not entry.obsolete and entry.translated:
                for index, translation in entry.msgstr.items():
                    expected[(entry.catalogue_key, index) if entry.msgid_plural else entry.catalogue_key] = translation
        assert {key: value for key, value in committed.items() if key != ""} == expected


def test_the_catalogue_version_follows_the_compiled_catalogues(settings, tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    before = i18n.catalogue_version()
    assert re.fullmatch(r"[0-9a-f]{16}", before) and before == i18n.catalogue_version()
    mo = tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    mo.write_bytes(mo.read_bytes() + b"\0")
    assert i18n.catalogue_version() != before


# --- The translator's command -----------------------------------------------------------------

PO_AFTER_MAKEMESSAGES = """\
msgid ""
msgstr ""
"Language: de\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
#: templates/chat/page.html:20
msgid "Admin"
msgstr "Verwaltung"

#: chat/static/smooth/old.js
msgid "Gone from the widget"
msgstr "Nicht mehr im Widget"

#, fuzzy
#~| msgid "Send it"
#~ msgid "Send"
#~ msgstr "Senden"

#~ msgid "Unrelated"
#~ msgstr "Ohne Bezug"
"""


def test_the_command_brings_back_adds_and_sets_aside_widget_strings():
    merge = merge_widget_messages(PO_AFTER_MAKEMESSAGES, {"Send": ["ui.js"], 'Say "{name}"\nnow': ["ui.js", "cards.js"]})
    assert (merge.added, merge.revived, merge.retired) == (['Say "{name}"\nnow'], ["Send"], ["Gone from the widget"])
    assert merge.untranslated == ["Send", 'Say "{name}"\nnow']  # the fuzzy one must be looked at again
    assert merge.text == (
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: templates/chat/page.html:20\nmsgid "Admin"\nmsgstr "Verwaltung"\n\n'
        '#: chat/static/smooth/ui.js\n#, fuzzy\nmsgid "Send"\nmsgstr "Senden"\n\n'
        '#: chat/static/smooth/ui.js\n#: chat/static/smooth/cards.js\nmsgid ""\n"Say \\"{name}\\"\\n"\n"now"\nmsgstr ""\n\n'
        '#~ msgid "Gone from the widget"\n#~ msgstr "Nicht mehr im Widget"\n\n'
        '#~ msgid "Unrelated"\n#~ msgstr "Ohne Bezug"\n'
    )
    again = merge_widget_messages(merge.text, {"Send": ["ui.js"], 'Say "{name}"\nnow': ["ui.js", "cards.js"]})
    assert again.text == merge.text and (again.added, again.revived, again.retired) == ([], [], [])


def test_the_command_updates_each_languages_catalogue(settings, tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    po = tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"
    entries = parse_po(po.read_text(encoding="utf-8"))
    kept = next(entry for entry in entries if entry.msgid in i18n.widget_msgids())
    as_makemessages_leaves_it(po)
    with pytest.raises(CommandError, match="es: the catalogue is not up to date"):
        call_command("widget_messages", "--check", "-l", "es")
    call_command("widget_messages", "-l", "es", stdout=io.StringIO())
    revived = {entry.msgid: entry for entry in live_entries_at(po)}
    assert revived[kept.msgid].msgstr == kept.msgstr
    assert all(any(ref.startswith("chat/static/smooth/") for ref in revived[msgid].references) for msgid in i18n.widget_msgids())
    call_command("widget_messages", "--check", "-l", "es")
    with pytest.raises(CommandError, match="not a translated language"):
        call_command("widget_messages", "-l", "fr")


def live_entries_at(po: Path):
    return [entry for entry in parse_po(po.read_text(encoding="utf-8")) if entry.msgid and not entry.obsolete]


# --- The page in the visitor's language --------------------------------------------------------


@pytest.mark.django_db
def test_the_page_speaks_the_browsers_language(client):
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    page = german.content.decode()
    assert '<html lang="de" dir="ltr">' in page
    assert "Diesen Chat auf Ihrer Website einbinden" in page and 'data-lang="de"' in page
    assert german["Content-Language"] == "de" and "Accept-Language" in german["Vary"]
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in arabic and "أضف هذه الدردشة إلى موقعك" in arabic
    english = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in english and "Put this chat on your site" in english


@pytest.mark.django_db
def test_the_admin_works_and_speaks_the_browsers_language(client):
    assert "Log in" in client.get("/admin/login/").content.decode()
    assert "Anmelden" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
