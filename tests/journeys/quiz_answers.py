"""Answering an attempt in the browser the way a learner who knows the answers would, from the
question versions the attempt was drawn with (the page itself never says which answer is right)."""

from quizzes.models import Attempt


def attempt_from_url(url: str) -> Attempt:
    attempt_id = int(url.split("/quiz/attempts/")[1].split("/")[0])
    return Attempt.objects.get(pk=attempt_id)


def answer_shown_questions(page, attempt: Attempt) -> list[int]:
    """Answer every question on the current page correctly; returns their positions."""
    answered = []
    for question in attempt.questions.select_related("version").order_by("position"):
        position = question.position
        if page.locator(f"#question-{position}").count() == 0:
            continue
        spec = question.version.spec
        qtype = spec["qtype"]
        if qtype in ("single", "truefalse"):
            key = next(choice["key"] for choice in spec["choices"] if choice["correct"])
            page.check(f"#q{position}-{key}")
        elif qtype == "multiple":
            for choice in spec["choices"]:
                page.set_checked(f"#q{position}-{choice['key']}", bool(choice["correct"]))
        elif qtype == "fillblank":
            page.fill(f"#q{position}-text", spec["accepted_answers"][0])
        elif qtype == "ordering":
            for place, choice in enumerate(spec["choices"], start=1):
                page.select_option(f"#q{position}-pos-{choice['key']}", str(place))
        answered.append(position)
    return answered
