"""Required learning on My learning (a page of courses, which does not import assignments)."""

from django.template.loader import render_to_string
from wagtail import hooks

from courses.facets import MY_LEARNING_SECTIONS_HOOK, learner_course_facts

from .selectors import learner_required


@hooks.register(MY_LEARNING_SECTIONS_HOOK)
def required_learning_section(request) -> str | None:
    """The learner's required courses, open ones first; nothing when none is assigned."""
    items = learner_required(user=request.user)
    if not items:
        return None
    facts = learner_course_facts(user=request.user, courses=[item["course"] for item in items])
    return render_to_string(
        "assignments/_my_learning_section.html", {"items": items, "course_facts": facts}, request=request
    )
