"""The widget's colours (WCAG contrast) and its avatar image checks (agents.appearance)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from agents import appearance
from agents.appearance import contrast_ratio, relative_luminance, text_color_for
from tests.agents.images import JPEG, PNG, SVG, WEBP


@pytest.mark.parametrize(
    "foreground, background, published",
    [
        ("#000000", "#ffffff", 21.0),
        ("#777777", "#ffffff", 4.48),  # the classic near miss
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
        ("#00ff00", "#000000", 15.3),
        ("#ffffff", "#ffffff", 1.0),
    ],
)
def test_contrast_ratios_match_the_published_ones(foreground, background, published):
    assert round(contrast_ratio(foreground, background), 2 if published < 10 else 1) == published
    assert contrast_ratio(background, foreground) == contrast_ratio(foreground, background)  # either order


def test_relative_luminance_runs_from_black_to_white():
    assert (relative_luminance("#000000"), relative_luminance("#FFFFFF")) == (0.0, 1.0)
    with pytest.raises(ValueError, match="not a colour"):
        relative_luminance("blue")


# Every channel in 18 steps (0, 15, ..., 255), every grey, and the band where white and black tie.
GRID = [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in itertools.product(range(0, 256, 15), repeat=3)]
GREYS = [f"#{v:02x}{v:02x}{v:02x}" for v in range(256)]
TIES = [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in itertools.product(range(96, 176, 4), range(96, 136, 2), range(0, 256, 51))]


def test_the_chosen_text_colour_reaches_aa_on_every_brand_colour():
    worst = min(contrast_ratio(brand, text_color_for(brand)) for brand in GRID + GREYS + TIES)
    assert worst >= appearance.AA_NORMAL_TEXT
    assert worst < 4.7  # the grid reaches close to the tie, so the bound above is tested where it is tight


def test_the_chosen_text_colour_is_the_one_that_contrasts_more():
    for brand in GRID:
        other = appearance.DARK_TEXT if text_color_for(brand) == appearance.LIGHT_TEXT else appearance.LIGHT_TEXT
        assert contrast_ratio(brand, text_color_for(brand)) >= contrast_ratio(brand, other)
    assert (text_color_for("#1f5fbf"), text_color_for("#ffd400"), text_color_for("#000080")) == ("#ffffff", "#000000", "#ffffff")


def test_a_lighter_near_black_could_not_promise_aa():
    """Why the dark text is black: with #111111 some brand colours reach 4.5:1 with neither."""
    failing = [
        brand
        for brand in GREYS + TIES
        if max(contrast_ratio(brand, "#ffffff"), contrast_ratio(brand, "#111111")) < appearance.AA_NORMAL_TEXT
    ]
    assert failing


def test_a_blank_brand_colour_is_smooths_blue_from_the_stylesheet():
    css = (Path(__file__).resolve().parents[2] / "chat" / "static" / "smooth" / "chat.css").read_text()
    assert re.search(r"--smooth-accent:\s*(#[0-9a-fA-F]{6})", css).group(1).lower() == appearance.DEFAULT_BRAND_COLOR
    colors = appearance.Colors.of("")
    assert (colors.brand, colors.text) == (appearance.DEFAULT_BRAND_COLOR, "#ffffff") and colors.contrast >= 4.5
    assert appearance.Colors.of("#FFD400").brand == "#ffd400"


@pytest.mark.parametrize("image, content_type", [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")])
def test_avatars_are_told_apart_by_their_first_bytes(image, content_type):
    assert appearance.avatar_type(image) == content_type
    fields = appearance.avatar_fields(image)
    assert (fields["avatar_type"], len(fields["avatar_digest"]), fields["avatar"]) == (content_type, 64, image)


@pytest.mark.parametrize(
    "data, words",
    [
        (SVG, "must be a PNG, JPEG or WebP image (SVG is not accepted)"),
        (b"GIF89a" + b"\0" * 20, "must be a PNG, JPEG or WebP"),
        (b"RIFF\0\0\0\0WAVEfmt ", "must be a PNG, JPEG or WebP"),  # a RIFF that is not WebP
        (PNG + b"\0" * (256 * 1024), "at most 256 KB"),
    ],
)
def test_other_files_and_large_ones_are_not_avatars(data, words):
    with pytest.raises(ValidationError, match=re.escape(words)):
        appearance.avatar_type(data)


def test_no_avatar_clears_its_type_and_digest():
    assert appearance.avatar_fields(None) == {"avatar": None, "avatar_type": "", "avatar_digest": ""}


# --- the admin: the Widget fieldset ---------------------------------------------------------

AGENT_FORM = {"name": "Acme bot", "enabled": "on", "organization_id": "acme"}


@pytest.fixture
def acme_change_page(admin_client):
    from tests.factories import make_agent

    agent = make_agent(organization_id="acme", name="Acme bot")
    return agent, f"/admin/agents/agent/{agent.id}/change/"


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")  # the claimed type is not trusted


@pytest.mark.django_db
def test_staff_make_the_widget_theirs_in_the_admin(admin_client, acme_change_page):
    agent, url = acme_change_page
    form = {
        **AGENT_FORM,
        "brand_color": "#FFD400",
        "launcher_label": "Ask Acme",
        "panel_title": "Acme help",
        "position": "bottom-left",
        "theme": "dark",
        "greeting": "Hi!",
        "suggested_questions": "Where is my order?\n\n  How do I return a thing?  \n",
        "visitor_erasure": "audited",
        "avatar_upload": _upload("face.webp", WEBP),
    }
    saved = admin_client.post(url, form)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    agent.refresh_from_db()
    assert (agent.brand_color, agent.launcher_label, agent.panel_title, agent.position, agent.theme, agent.greeting) == (
        "#ffd400",
        "Ask Acme",
        "Acme help",
        "bottom-left",
        "dark",
        "Hi!",
    )
    assert (agent.suggested_questions, agent.visitor_erasure) == (["Where is my order?", "How do I return a thing?"], "audited")
    assert (bytes(agent.avatar), agent.avatar_type) == (WEBP, "image/webp")
    assert agent.avatar_digest == appearance.avatar_fields(WEBP)["avatar_digest"]

    page = admin_client.get(url).content.decode()
    assert "text #000000 on #ffd400: contrast 14.67:1" in page  # shown next to the brand colour
    assert f'href="/embed?agent={agent.id}"' in page
    assert "Where is my order?\nHow do I return a thing?</textarea>" in page  # one per line
    assert 'src="data:image/webp;base64,' in page  # the current avatar

    kept = admin_client.post(url, {**AGENT_FORM, "brand_color": "#ffd400", "suggested_questions": ""})  # no upload: the avatar stays
    assert kept.status_code == 302
    agent.refresh_from_db()
    assert bytes(agent.avatar) == WEBP and agent.suggested_questions == []  # an empty box: none
    removed = admin_client.post(url, {**AGENT_FORM, "remove_avatar": "on"})
    assert removed.status_code == 302
    agent.refresh_from_db()
    assert (agent.avatar, agent.avatar_type, agent.avatar_digest) == (None, "", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, words",
    [
        ({"avatar_upload": ("face.svg", SVG)}, "must be a PNG, JPEG or WebP image (SVG is not accepted)"),
        ({"avatar_upload": ("big.png", PNG + b"\0" * 256 * 1024)}, "at most 256 KB"),
        ({"avatar_upload": ("face.png", PNG), "remove_avatar": "on"}, "upload an avatar or remove it, not both"),
        ({"suggested_questions": "1\n2\n3\n4\n5"}, "a list of at most 4 questions"),
        ({"suggested_questions": "x" * 121}, "each question must be a non-empty string of at most 120 characters"),
        ({"brand_color": "blue"}, "a colour as #RRGGBB"),
        ({"position": "top-left"}, "Select a valid choice"),
    ],
)
def test_the_admin_refuses_a_bad_look_with_the_models_words(admin_client, acme_change_page, change, words):
    agent, url = acme_change_page
    if "avatar_upload" in change:
        change = {**change, "avatar_upload": _upload(*change["avatar_upload"])}
    refused = admin_client.post(url, {**AGENT_FORM, **change})
    assert refused.status_code == 200 and words in refused.content.decode()
    agent.refresh_from_db()
    assert (agent.avatar_digest, agent.suggested_questions, agent.brand_color, agent.position) == ("", [], "", "bottom-right")


def test_a_colour_stored_by_hand_that_is_not_one_falls_back_to_smooths_blue():
    assert appearance.Colors.of("blue") == appearance.Colors.of("")
