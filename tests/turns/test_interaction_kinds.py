"""The interaction kinds' own rules: what a raise tool may ask, and what a submission must be."""

from __future__ import annotations

import pytest

from chat.interactions import KINDS, InvalidRequest, InvalidSubmission
from chat.interactions.identity_intake import BAD_EMAIL, BAD_PHONE, REQUIRED

INTAKE, CHOICES = KINDS["identity_intake"], KINDS["choices"]
EMAIL_REQUIRED = {"fields": [{"key": "name", "required": False}, {"key": "email", "required": True}]}
PLAN = {
    "questions": [
        {"question": "Which plan?", "header": "Plan", "options": [{"label": "Starter"}, {"label": "Pro"}], "multiSelect": False},
        {"question": "Which add-ons?", "header": "Add-ons", "options": [{"label": "SSO"}, {"label": "Audit"}], "multiSelect": True},
    ]
}


def errors_of(kind, spec, values) -> list[tuple[str, str]]:
    with pytest.raises(InvalidSubmission) as caught:
        kind.validate(spec, values)
    return [(error.field, error.message) for error in caught.value.errors]


def test_identity_values_are_trimmed_and_normalised(settings):
    settings.SMOOTH_PHONE_DEFAULT_REGION = "GB"
    values = {"name": "  Alice Example ", "email": "Alice@Example.COM", "phone": "020 7946 0958"}
    assert INTAKE.validate(EMAIL_REQUIRED, values) == {"name": "Alice Example", "email": "Alice@example.com", "phone": "+442079460958"}
    assert INTAKE.validate(None, {"phone": "+1 (202) 555-0143"}) == {"phone": "+12025550143"}  # a number in any region, with its code


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"name": "Alice"}, [("email", REQUIRED)]),
        ({"email": "   "}, [("email", REQUIRED)]),
        ({"email": "not-an-email"}, [("email", BAD_EMAIL)]),
        ({"email": "still bad@"}, [("email", BAD_EMAIL)]),
        ({"email": "a@b.com", "phone": "12"}, [("phone", BAD_PHONE)]),
        ({"email": "a@b.com", "phone": "+44 20 7946 09589999"}, [("phone", BAD_PHONE)]),
        ({"email": 42}, [("email", "must be a string")]),
        ({"name": "x" * 256, "email": "a@b.com"}, [("name", "must be at most 255 characters")]),
        ({"name": 1, "email": "bad", "phone": "0"}, [("name", "must be a string"), ("email", BAD_EMAIL), ("phone", BAD_PHONE)]),
    ],
)
def test_identity_submissions_name_every_field_that_fails(values, expected):
    assert errors_of(INTAKE, EMAIL_REQUIRED, values) == expected


def test_an_identity_submission_must_be_an_object_with_something_in_it():
    assert errors_of(INTAKE, None, ["alice@example.com"]) == [("values", "must be an object of name, email and phone")]
    assert errors_of(INTAKE, None, {}) == [("values", "give at least one of name, email and phone")]


@pytest.mark.parametrize(
    "arguments, words",
    [
        ({"fields": [], "reason": "r"}, "'fields' must be a non-empty list"),
        ({"fields": [{"key": "address", "required": True}], "reason": "r"}, "must be one of name, email, phone"),
        ({"fields": [{"key": "email", "required": True}, {"key": "email", "required": False}]}, "each once"),
        ({"fields": [{"key": "email", "required": True}], "reason": 5}, "'reason' must be a string"),
    ],
)
def test_an_identity_ask_that_makes_no_card_is_refused(arguments, words):
    with pytest.raises(InvalidRequest, match=words):
        INTAKE.parse_request(arguments)


def test_an_identity_ask_is_normalised():
    spec, reason = INTAKE.parse_request({"fields": [{"key": "email", "required": "yes", "label": " Work email "}]})
    assert (spec, reason) == ({"fields": [{"key": "email", "required": False, "label": "Work email"}]}, "to help you")


def test_choices_take_offered_labels_or_words_of_the_visitors_own():
    answers = {"answers": [{"header": "Plan", "options": [" Pro "]}, {"header": "Add-ons", "options": ["SSO", "Audit"], "other": "  "}]}
    assert CHOICES.validate(PLAN, answers) == {
        "answers": [{"header": "Plan", "options": ["Pro"]}, {"header": "Add-ons", "options": ["SSO", "Audit"]}]
    }
    own_words = {"answers": [{"header": "Add-ons", "other": "whatever is cheapest"}, {"header": "Plan", "options": ["Starter"]}]}
    assert CHOICES.validate(PLAN, own_words)["answers"] == [
        {"header": "Plan", "options": ["Starter"]},
        {"header": "Add-ons", "options": [], "other": "whatever is cheapest"},
    ]


@pytest.mark.parametrize(
    "answers, expected",
    [
        (
            [{"header": "Plan", "options": ["Enterprise"]}],
            [("Plan", "'Enterprise' is not one of the options"), ("Add-ons", "this question needs an answer")],
        ),
        (
            [{"header": "Plan", "options": ["Starter", "Pro"]}, {"header": "Add-ons", "options": ["SSO"]}],
            [("Plan", "pick exactly one option, or answer in your own words")],
        ),
        (
            [{"header": "Plan", "options": ["Pro"], "other": "and a discount"}, {"header": "Add-ons", "options": ["SSO"]}],
            [("Plan", "pick exactly one option, or answer in your own words")],
        ),
        (
            [{"header": "Plan", "other": " "}, {"header": "Add-ons", "options": ["SSO"]}],
            [("Plan", "pick an option, or answer in your own words")],
        ),
        (
            [{"header": "Colour", "options": ["Red"]}],
            [
                ("Colour", "is not one of the questions asked"),
                ("Plan", "this question needs an answer"),
                ("Add-ons", "this question needs an answer"),
            ],
        ),
        (
            [{"header": "Plan", "options": "Pro"}, {"header": "Add-ons", "options": ["SSO"]}],
            [("Plan", "options must be a list of the offered labels")],
        ),
    ],
)
def test_choices_that_do_not_answer_what_was_asked_are_refused(answers, expected):
    assert errors_of(CHOICES, PLAN, {"answers": answers}) == expected


def test_choices_need_a_list_of_answers():
    assert errors_of(CHOICES, PLAN, {"answers": "Pro"}) == [("answers", "must be a list of {header, options, other}")]
    assert errors_of(CHOICES, None, {"answers": []}) == [("answers", "answer at least one question")]


@pytest.mark.parametrize(
    "questions, words",
    [
        ([], "1 to 4 questions"),
        ([{"question": "Q?", "header": "A very long header", "options": [{"label": "a"}, {"label": "b"}]}], "at most 12 characters"),
        ([{"question": "Q?", "header": "H", "options": [{"label": "a"}]}], "needs 2 to 4 options"),
        ([{"question": "Q?", "header": "H", "options": [{"label": "a"}, {"label": "a"}]}], "offers 'a' twice"),
        ([{"question": "Q?", "header": "H", "options": [{"label": "a"}, {"label": "b"}]}] * 2, "used twice"),
        ([{"question": " ", "header": "H", "options": [{"label": "a"}, {"label": "b"}]}], "must be a non-empty string"),
    ],
)
def test_a_choices_ask_that_makes_no_card_is_refused(questions, words):
    with pytest.raises(InvalidRequest, match=words):
        CHOICES.parse_request({"questions": questions, "reason": "to help"})


def test_each_kind_tells_a_text_only_channel_how_to_ask():
    intake = INTAKE.fallback_directive(EMAIL_REQUIRED, "to send you the quote")
    assert "to send you the quote: name (optional), email (required)" in intake and "submit_interaction" in intake
    choices = CHOICES.fallback_directive(PLAN, "to route you")
    assert "Plan: Which plan? (Starter / Pro)" in choices and "Add-ons: Which add-ons? (SSO / Audit, more than one allowed)" in choices
