"""What the apps above courses know about a learner's courses, for pages that show courses.

A course card, a course page and My learning show a learner's credit hours (hours), certificate
(certificates) and required courses (assignments). courses must not import those apps, and its
templates must not load their template tags, so each of them registers with two Wagtail hooks
(in its wagtail_hooks.py) and courses asks through this module:

- ``learner_course_facts``: a provider marked ``@provides("fact", …)``, called as
  ``provider(user, courses) -> {course id: {fact: value}}`` with one query for the whole list. A
  page queries a provider only when it shows one of its facts; a value may be a callable without
  arguments, which a template calls only where it shows it.
- ``my_learning_sections``: ``section(request) -> html or None``, sections the provider renders
  with its own templates at the top of My learning (required courses).

Every fact has one source, the provider's selectors; the pages only look them up."""

from collections.abc import Callable, Iterable

from django.utils.safestring import SafeString
from wagtail import hooks

COURSE_FACTS_HOOK = "learner_course_facts"
MY_LEARNING_SECTIONS_HOOK = "my_learning_sections"


def provides(*names: str) -> Callable:
    """Marks a learner_course_facts provider with the facts it supplies."""

    def mark(provider):
        provider.provides = frozenset(names)
        return provider

    return mark


class LearnerCourseFacts:
    """{course id: facts} of one learner, read in templates as
    `{% with facts=course_facts|lookup:course.pk %}{{ facts.earned_hours }}`. A provider is called
    the first time one of its facts is read, once for all the courses."""

    def __init__(self, user, courses: Iterable):
        self._user = user
        self._courses = courses
        self._provided: dict[Callable, dict] = {}

    def get(self, course_id, default=None) -> "CourseFacts":
        return CourseFacts(self, course_id)

    def fact(self, course_id, name: str):
        for provider in hooks.get_hooks(COURSE_FACTS_HOOK):
            if name in provider.provides:
                if provider not in self._provided:
                    self._provided[provider] = self._ask(provider)
                return self._provided[provider].get(course_id, {}).get(name)
        return None

    def _ask(self, provider) -> dict:
        if not getattr(self._user, "is_authenticated", False):
            return {}
        courses = list(self._courses)  # a queryset the page iterates is evaluated once
        return provider(self._user, courses) if courses else {}


class CourseFacts:
    """The facts of one course; a fact nobody provides reads as None."""

    def __init__(self, table: LearnerCourseFacts, course_id):
        self._table = table
        self._course_id = course_id

    def __getitem__(self, name: str):
        return self._table.fact(self._course_id, name)


def learner_course_facts(*, user, courses: Iterable) -> LearnerCourseFacts:
    return LearnerCourseFacts(user, courses)


def my_learning_sections(request) -> list[SafeString]:
    """The sections the apps above courses add to My learning, rendered, in hook order."""
    sections = (section(request) for section in hooks.get_hooks(MY_LEARNING_SECTIONS_HOOK))
    return [html for html in sections if html]  # render_to_string's output: escaped, safe
