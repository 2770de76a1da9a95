"""Checks a browser's answers before anything is stored (pure: no ORM).

Anything the browser sends that is not an answer to a question of this attempt, in the shape
that question type takes, is refused as a whole: nothing is partly saved."""

from collections.abc import Mapping

from .specs import QuestionSpec, QuestionType, match_answers, match_subquestions

MAX_ANSWERS_PER_REQUEST = 200
MAX_TEXT_LENGTH = 500
# An essay's longest response unless its question sets a shorter one (fits the 64 KB autosave).
ESSAY_MAX_LENGTH = 10000


class ResponseInvalid(ValueError):
    """A clear, user-facing reason why a payload was refused."""


def clean_response(spec: QuestionSpec, response: object) -> dict:
    """The stored form of one answer, or ResponseInvalid."""
    if not isinstance(response, Mapping):
        raise ResponseInvalid("An answer must be an object.")
    keys = [choice.key for choice in spec.choices]
    qtype = spec.qtype
    if not response:
        return {}
    if qtype in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        _only_fields(response, {"choice"})
        choice = response.get("choice")
        if choice in (None, ""):
            return {}
        if not isinstance(choice, str) or choice not in keys:
            raise ResponseInvalid("The chosen option does not belong to this question.")
        return {"choice": choice}
    if qtype == QuestionType.MULTIPLE:
        _only_fields(response, {"choices"})
        choices = response.get("choices", [])
        if not isinstance(choices, list) or not all(isinstance(key, str) for key in choices):
            raise ResponseInvalid("Chosen options must be a list.")
        if len(set(choices)) != len(choices):
            raise ResponseInvalid("An option was chosen twice.")
        if any(key not in keys for key in choices):
            raise ResponseInvalid("A chosen option does not belong to this question.")
        return {"choices": [key for key in keys if key in choices]}
    if qtype == QuestionType.DESCRIPTION:
        raise ResponseInvalid("A description has nothing to answer.")
    # Numerical: any text is kept as typed; grading parses it (a non-number scores 0 and the review says why).
    if qtype in (QuestionType.FILL_BLANK, QuestionType.NUMERICAL):
        _only_fields(response, {"text"})
        text = response.get("text", "")
        if not isinstance(text, str):
            raise ResponseInvalid("The answer must be text.")
        if len(text) > MAX_TEXT_LENGTH:
            raise ResponseInvalid(f"The answer is longer than {MAX_TEXT_LENGTH} characters.")
        return {"text": text}
    if qtype == QuestionType.ORDERING:
        _only_fields(response, {"order"})
        order = response.get("order", [])
        if not isinstance(order, list) or sorted(order) != sorted(keys) or len(order) != len(keys):
            raise ResponseInvalid("The order must list every item exactly once.")
        return {"order": list(order)}
    if qtype == QuestionType.ESSAY:
        _only_fields(response, {"text"})
        text = response.get("text", "")
        if not isinstance(text, str):
            raise ResponseInvalid("The answer must be text.")
        limit = essay_max_length(spec)
        if len(text) > limit:
            raise ResponseInvalid(f"The answer is longer than {limit} characters.")
        return {"text": text}
    if qtype == QuestionType.MATCHING:
        _only_fields(response, {"matches"})
        matches = response.get("matches", {})
        if not isinstance(matches, Mapping):
            raise ResponseInvalid("The matches must be an object.")
        subquestions = {pair.key for pair in match_subquestions(spec)}
        answers = match_answers(spec)
        cleaned = {}
        for key, answer in matches.items():
            if key not in subquestions:
                raise ResponseInvalid("A sub-question does not belong to this question.")
            if answer in (None, ""):  # "Choose…" again: no answer to that sub-question
                continue
            if not isinstance(answer, str) or answer not in answers:
                raise ResponseInvalid("A chosen answer does not belong to this question.")
            cleaned[key] = answer
        if not cleaned:
            return {}
        # In the sub-questions' order, so that equal answers store equal rows.
        return {"matches": {pair.key: cleaned[pair.key] for pair in match_subquestions(spec) if pair.key in cleaned}}
    raise ResponseInvalid("Unknown question type.")


def essay_max_length(spec: QuestionSpec) -> int:
    return min(spec.response_max_length or ESSAY_MAX_LENGTH, ESSAY_MAX_LENGTH)


def _only_fields(response: Mapping, allowed: set[str]) -> None:
    unexpected = set(response) - allowed
    if unexpected:
        # Scores, correctness flags or deadlines sent by a browser are never accepted.
        raise ResponseInvalid(f"Unexpected field: {sorted(unexpected)[0]}.")


def clean_answers(specs_by_position: Mapping[int, QuestionSpec], answers: object) -> dict[int, dict]:
    """{"<position>": <answer>, ...} → {position: cleaned answer}; all or nothing."""
    if not isinstance(answers, Mapping):
        raise ResponseInvalid("Answers must be an object keyed by question number.")
    if len(answers) > MAX_ANSWERS_PER_REQUEST:
        raise ResponseInvalid("Too many answers in one request.")
    cleaned: dict[int, dict] = {}
    for raw_position, response in answers.items():
        try:
            position = int(raw_position)
        except (TypeError, ValueError):
            raise ResponseInvalid(f"“{raw_position}” is not a question number.") from None
        if position not in specs_by_position:
            raise ResponseInvalid(f"Question {position} is not part of this attempt.")
        if position in cleaned:
            raise ResponseInvalid(f"Question {position} was answered twice.")
        try:
            cleaned[position] = clean_response(specs_by_position[position], response)
        except ResponseInvalid as error:
            raise ResponseInvalid(f"Question {position}: {error}") from None
    return cleaned
