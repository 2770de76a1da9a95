from dataclasses import dataclass

from django.dispatch import Signal

# Sent inside the grading transaction with attempt= and grade= (an AttemptGrade).
# The courses app listens to complete a quiz step when the attempt passes.
attempt_graded = Signal()


@dataclass(frozen=True)
class ResultLink:
    """A way on from a quiz result, offered by an app that places quizzes somewhere (a course).
    note: a sentence shown above the links (for example that the course is now completed).
    label and note are escaped when shown, unless already safe (config.language.sentence_with_content
    marks Chinese content inside them)."""

    label: str
    url: str
    primary: bool = False
    note: str = ""


# Sent while a learner's result page is built, with attempt=, user=, request= and next_url= (the
# page of this site the learner came from, or ""). Each receiver returns a list of ResultLink (or
# None): quizzes knows nothing of courses, the courses app says where the learner goes next.
attempt_result_links = Signal()

# Sent while an open attempt's page is built, with attempt=, user=, request= and next_url=. A
# receiver returns the page's heartbeat (the dict studytime.services.page_view_start makes) or None:
# quizzes knows no steps, so the app that placed the quiz says which step the time counts for.
attempt_study_beat = Signal()
