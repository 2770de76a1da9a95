"""Translating what the question-bank formats say (quizzes.formats stays Django-free).

The formats give Message objects: English text plus a gettext_noop-marked template and its
parameters. Here the template is translated and filled in again, translating any parameter that
is itself a Message (a location, a list of details); other parameters are what the file said
and are shown as they are.
"""

from django.utils.translation import gettext

from .formats.common import Message


def translated(message) -> str:
    """The message in the active language; plain strings (e.g. texts already translated by the
    services) go through gettext as they are."""
    if isinstance(message, Message):
        template = gettext(message.template)
        if not message.params:
            return template
        return template % {
            name: translated(value) if isinstance(value, Message) else value for name, value in message.params.items()
        }
    text = str(message)
    # gettext("") would return the catalogue's header.
    return gettext(text) if text else text


def translated_problems(problems) -> list[dict]:
    """ImportProblems as the import pages show them."""
    return [
        {"location": translated(problem.location), "message": translated(problem.message), "skipped": problem.skipped}
        for problem in problems
    ]
