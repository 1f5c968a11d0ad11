"""`choices`: one to four multiple-choice questions (capability `choice_chips`).

Every question must be answered: with offered labels (exactly one unless it is
multi-select) or a free-text `other`, which is always allowed. Answers are keyed by
the question's `header`."""

from __future__ import annotations

from typing import Any

from chat.interactions import FieldError, InvalidRequest, InvalidSubmission, Kind, reason_of

MAX_QUESTIONS, MIN_OPTIONS, MAX_OPTIONS = 4, 2, 4
MAX_HEADER_CHARS = 12
MAX_TEXT_CHARS = 300


def _text(value, what: str, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"{what} must be a non-empty string")
    if len(value.strip()) > limit:
        raise InvalidRequest(f"{what} must be at most {limit} characters")
    return value.strip()


class Choices(Kind):
    kind = "choices"
    capability = "choice_chips"
    raise_tool = "request_choices"
    tool_description = (
        "Ask the visitor one to four multiple-choice questions, each with two to four options, when a clear pick "
        "helps (a plan, a product, a time). The visitor may always answer in their own words instead."
    )
    tool_parameters = {
        "type": "object",
        "properties": {
            "questions": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_QUESTIONS,
                "items": {
                    "type": "object",
                    "properties": {
                        "question": {"type": "string"},
                        "header": {"type": "string", "maxLength": MAX_HEADER_CHARS, "description": "a short label, unique"},
                        "options": {
                            "type": "array",
                            "minItems": MIN_OPTIONS,
                            "maxItems": MAX_OPTIONS,
                            "items": {
                                "type": "object",
                                "properties": {"label": {"type": "string"}, "description": {"type": "string"}},
                                "required": ["label"],
                            },
                        },
                        "multiSelect": {"type": "boolean"},
                    },
                    "required": ["question", "header", "options"],
                },
            },
            "reason": {"type": "string", "description": "why you ask, shown to the visitor"},
        },
        "required": ["questions", "reason"],
    }

    def parse_request(self, arguments: dict) -> tuple[dict, str]:
        questions = arguments.get("questions")
        if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
            raise InvalidRequest(f"'questions' must be a list of 1 to {MAX_QUESTIONS} questions")
        spec, headers = [], set()
        for question in questions:
            if not isinstance(question, dict):
                raise InvalidRequest("each question must be an object")
            header = _text(question.get("header"), "a question's header", MAX_HEADER_CHARS)
            if header in headers:
                raise InvalidRequest(f"the header {header!r} is used twice")
            headers.add(header)
            options = question.get("options")
            if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
                raise InvalidRequest(f"question {header!r} needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
            spec_options, labels = [], set()
            for option in options:
                label = _text(option.get("label") if isinstance(option, dict) else None, f"an option of {header!r}")
                if label in labels:
                    raise InvalidRequest(f"question {header!r} offers {label!r} twice")
                labels.add(label)
                entry = {"label": label}
                description = option.get("description")
                if isinstance(description, str) and description.strip():
                    entry["description"] = description.strip()[:MAX_TEXT_CHARS]
                spec_options.append(entry)
            spec.append(
                {
                    "question": _text(question.get("question"), f"the question of {header!r}"),
                    "header": header,
                    "options": spec_options,
                    "multiSelect": question.get("multiSelect") is True,
                }
            )
        return {"questions": spec}, reason_of(arguments)

    def validate(self, spec: dict | None, values: Any) -> dict:
        answers = values.get("answers") if isinstance(values, dict) else None
        if not isinstance(answers, list) or not all(isinstance(answer, dict) for answer in answers):
            raise InvalidSubmission([FieldError("answers", "must be a list of {header, options, other}")])
        questions = {question["header"]: question for question in (spec or {}).get("questions", [])}
        errors: list[FieldError] = []
        canonical: dict[str, dict] = {}
        for answer in answers:
            header = answer.get("header")
            if not isinstance(header, str) or (questions and header not in questions):
                errors.append(FieldError(str(header)[:MAX_HEADER_CHARS], "is not one of the questions asked"))
                continue
            picked = answer.get("options", [])
            other = answer.get("other")
            if not isinstance(picked, list) or not all(isinstance(label, str) for label in picked):
                errors.append(FieldError(header, "options must be a list of the offered labels"))
                continue
            if other is not None and not isinstance(other, str):
                errors.append(FieldError(header, "other must be a string"))
                continue
            picked = [label.strip() for label in picked if label.strip()]
            other = (other or "").strip()[:MAX_TEXT_CHARS]
            question = questions.get(header)
            if question is not None:
                offered = {option["label"] for option in question["options"]}
                unknown = [label for label in picked if label not in offered]
                if unknown:
                    errors.append(FieldError(header, f"{unknown[0]!r} is not one of the options"))
                    continue
                if not question["multiSelect"] and len(picked) + bool(other) > 1:
                    errors.append(FieldError(header, "pick exactly one option, or answer in your own words"))
                    continue
            if not picked and not other:
                errors.append(FieldError(header, "pick an option, or answer in your own words"))
                continue
            canonical[header] = {"header": header, "options": picked, **({"other": other} if other else {})}
        errors += [
            FieldError(header, "this question needs an answer")
            for header in questions
            if header not in canonical and not _has(errors, header)
        ]
        if not errors and not canonical:
            errors.append(FieldError("answers", "answer at least one question"))
        if errors:
            raise InvalidSubmission(errors)
        order = list(questions) or list(canonical)
        return {"answers": [canonical[header] for header in order if header in canonical]}

    def fallback_directive(self, spec: dict, reason: str) -> str:
        asks = "; ".join(
            f"{question['header']}: {question['question']} ({' / '.join(option['label'] for option in question['options'])}"
            f"{', more than one allowed' if question['multiSelect'] else ''})"
            for question in spec["questions"]
        )
        return (
            f"This visitor's app cannot show choice buttons, so ask in the conversation, {reason}. {asks}. "
            "List each question with its options; the visitor may also answer in their own words. Then call "
            'submit_interaction with {"kind": "choices", "values": {"answers": [{"header": ..., "options": [...], "other": ...}]}}, '
            'or {"kind": "choices", "declined": true} if the visitor would rather not say.'
        )


def _has(errors: list[FieldError], header: str) -> bool:
    return any(error.field == header for error in errors)
