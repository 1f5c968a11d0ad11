"""The visitor's language for the widget: which one, which direction, and its words.

The widget's JavaScript marks every string a visitor sees as `t("English text")` (a
double-quoted literal, `{name}` placeholders interpolated by the JavaScript). The
msgids are found here by scanning those files, so the catalogue and the code cannot
drift; their translations live with the pages' own strings in Django's catalogues,
`locale/<lang>/LC_MESSAGES/django.po` (docs/DEVELOPING.md, "Translations").
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info, get_supported_language_variant

# Django's own parser (q values, the length cap against abuse); it lives in trans_real only.
from django.utils.translation.trans_real import parse_accept_lang_header

# Every file a visitor's browser loads for the widget and the chat page lives here.
WIDGET_JS_DIR = Path(__file__).resolve().parent / "static" / "smooth"

# `t("...")` with a double-quoted literal first argument. Not `emit("...")` or
# `createElement("...")`: the `t` must not end a longer name.
_T_CALL = re.compile(r'(?<![\w$])t\(\s*"((?:[^"\\\n]|\\.)*)"')
# A `t(` whose first argument is not a double-quoted literal (a variable, a template,
# single quotes): a string the scan cannot see. A definition (`function t(`) is not a call.
_T_CALL_UNREADABLE = re.compile(r'(?<![\w$])(?<!function )t\((?!\s*")')
_JS_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|.)", re.DOTALL)
_JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
# A language tag as a browser or a site owner writes it: "de", "de-AT", "zh_Hant_TW".
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(?:[-_][a-zA-Z0-9]{1,8})*$")
# A page names a few languages at most; the rest of a longer list is not read.
_MOST_REQUESTED = 16


@dataclass(frozen=True)
class WidgetMessage:
    """One `t("...")` call: its msgid and where it is (a path under chat/static/smooth/, a line)."""

    msgid: str
    file: str
    line: int


def decode_js_string(body: str) -> str:
    """The value of a JavaScript string literal's body (between the quotes)."""

    def unescape(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape.startswith("u{"):
            return chr(int(escape[2:-1], 16))
        if escape[0] in "ux" and len(escape) > 1:
            return chr(int(escape[1:], 16))
        if escape in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
            return ""  # a line continuation
        return _JS_SIMPLE_ESCAPES.get(escape, escape)

    decoded = _JS_ESCAPE.sub(unescape, body)
    # "\ud83d\ude00" arrives as two halves of a surrogate pair: join them.
    return decoded.encode("utf-16", "surrogatepass").decode("utf-16")


def _in_comment(source: str, position: int) -> bool:
    """Whether `position` is in a `//` comment or on a block comment's line (`/*`, ` * `):
    a `t("...")` written there to explain the convention is no string to translate."""
    prefix = source[source.rfind("\n", 0, position) + 1 : position]
    return bool(re.search(r"(^|\s)//", prefix)) or prefix.lstrip().startswith(("/*", "*"))


def scan_widget_messages(directory: Path | None = None) -> list[WidgetMessage]:
    """Every `t("...")` call in the widget's JavaScript, in file and line order."""
    directory = directory or WIDGET_JS_DIR
    found = []
    for path in sorted(directory.rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        for match in _T_CALL.finditer(source):
            if _in_comment(source, match.start()):
                continue
            msgid = decode_js_string(match.group(1))
            if msgid:
                line = source.count("\n", 0, match.start()) + 1
                found.append(WidgetMessage(msgid, path.relative_to(directory).as_posix(), line))
    return found


def unreadable_t_calls(directory: Path | None = None) -> list[str]:
    """`file:line` of each `t(` call whose msgid the scan cannot read (not a double-quoted literal)."""
    directory = directory or WIDGET_JS_DIR
    found = []
    for path in sorted(directory.rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        for match in _T_CALL_UNREADABLE.finditer(source):
            if _in_comment(source, match.start()):
                continue
            found.append(f"{path.relative_to(directory).as_posix()}:{source.count(chr(10), 0, match.start()) + 1}")
    return found


@functools.cache
def widget_msgids() -> tuple[str, ...]:
    """The widget's msgids, each once, in the order they first appear."""
    return tuple(dict.fromkeys(message.msgid for message in scan_widget_messages()))


def _supported(tag: str) -> str | None:
    tag = tag.strip()
    if not _LANGUAGE_TAG.match(tag):
        return None
    try:
        return get_supported_language_variant(tag.replace("_", "-").lower())
    except LookupError:
        return None


def widget_language(requested: str | None, accept_language: str | None) -> str:
    """The language to speak: the first supported of `requested` (data-lang or ?lang=,
    one tag or several comma-separated, in order), else of Accept-Language (by q value),
    else English. A regional tag falls back to its language ("de-AT" is "de")."""
    for tag in (requested or "").split(",")[:_MOST_REQUESTED]:
        if lang := _supported(tag.split(";")[0]):
            return lang
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        if tag == "*":
            break
        if lang := _supported(tag):
            return lang
    return settings.LANGUAGE_CODE


def socket_language(scope: dict) -> str:
    """The language of a /ws socket's own words (its refusals): `?lang=` as the widget
    sends it, else English. Not Accept-Language: a client that did not ask keeps the
    protocol's English."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return widget_language((query.get("lang") or [None])[0], None)


def text_direction(lang: str) -> str:
    """Which way `lang` is written: "rtl" (Arabic, Hebrew, …) or "ltr"."""
    try:
        return "rtl" if get_language_info(lang)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def widget_messages(lang: str) -> dict[str, str]:
    """msgid -> translation for every string the widget's JavaScript shows ({} for the
    source language, English, whose msgids are the text). A msgid the catalogue lacks
    maps to itself. Placeholders such as `{name}` stay for the JavaScript to fill."""
    return dict(_translated(lang))


@functools.cache
def _translated(lang: str) -> tuple[tuple[str, str], ...]:
    if lang == settings.LANGUAGE_CODE or lang not in dict(settings.LANGUAGES):
        return ()
    with translation.override(lang):
        return tuple((msgid, translation.gettext(msgid)) for msgid in widget_msgids())


def catalogue_version() -> str:
    """A digest of the compiled catalogues and the widget's msgids (16 hex digits)."""
    digest = hashlib.sha256()
    for locale_dir in map(Path, settings.LOCALE_PATHS):
        for mo in sorted(locale_dir.glob("*/LC_MESSAGES/django.mo")):
            digest.update(mo.relative_to(locale_dir).as_posix().encode())
            digest.update(mo.read_bytes())
    digest.update("\0".join(widget_msgids()).encode())
    return digest.hexdigest()[:16]


# Changes when any compiled catalogue or the widget's msgids change (the config's ETag).
# Computed once: a process serves the catalogues it loaded at start.
CATALOGUE_VERSION: str = catalogue_version()
