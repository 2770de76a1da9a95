"""Workflow and task names that the admin shows in its own language.

"Course review" and "Reviewer approval" are database rows that ``courses.authoring`` finds by
name, so their stored names stay as they are. Wagtail prints ``workflow.name`` and ``task.name``
in many places (dashboard panels, the status side panel, lock messages, workflow history, the
workflows admin, notification e-mails), so the translation is attached to the value itself: when a
Workflow or Task with a known name is loaded, its name becomes a ``DisplayName``, a ``str`` whose
characters are the stored name (what the database, JSON, comparisons and look-ups see) but which
renders in the active language wherever text is made of it: ``str()``, templates and
%-formatting. Log entries keep the names as stored and are shown through ``translated_log_entry``;
a form that sends a shown translation back saves the stored name again (``keep_stored_name``)."""

import copy

from django.conf import settings
from django.db.models.signals import post_init, pre_save
from django.utils.html import conditional_escape
from django.utils.translation import override

from .authoring import DISPLAY_NAMES


class DisplayName(str):
    __slots__ = ()

    def __str__(self) -> str:
        return str(DISPLAY_NAMES[str.__str__(self)])

    def __html__(self) -> str:
        return conditional_escape(str(self))

    def __format__(self, format_spec: str) -> str:
        return format(str(self), format_spec)


def display_name(name):
    """The name as the admin shows it: wrapped if it is one of ours, else unchanged."""
    if isinstance(name, str) and not isinstance(name, DisplayName) and name in DISPLAY_NAMES:
        return DisplayName(name)
    return name


def stored_name(text: str) -> str | None:
    """The stored name ``text`` shows as in some language, if it is one of ours."""
    for name, translated in DISPLAY_NAMES.items():
        if text == name:
            return name
        for code, _label in settings.LANGUAGES:
            with override(code):
                if text == str(translated):
                    return name
    return None


def wrap_name(sender, instance, **kwargs):
    name = instance.__dict__.get("name")  # absent when the field was deferred
    if name is not None:
        instance.__dict__["name"] = display_name(name)


def keep_stored_name(sender, instance, **kwargs):
    name = stored_name(str.__str__(instance.name)) if isinstance(instance.name, str) else None
    if name is not None:
        instance.name = DisplayName(name)


def connect(models) -> None:
    for model in models:
        post_init.connect(wrap_name, sender=model, dispatch_uid=f"courses.workflow_names.wrap.{model._meta.label}")
        pre_save.connect(
            keep_stored_name, sender=model, dispatch_uid=f"courses.workflow_names.keep.{model._meta.label}"
        )


def translated_log_entry(log_entry):
    """A copy of a workflow log entry whose stored workflow and task titles show translated."""
    data = copy.deepcopy(log_entry.data)
    workflow = data.get("workflow")
    if isinstance(workflow, dict):
        workflow["title"] = display_name(workflow.get("title"))
        for key in ("task", "next"):
            if isinstance(workflow.get(key), dict):
                workflow[key]["title"] = display_name(workflow[key].get("title"))
    entry = copy.copy(log_entry)
    entry.data = data
    return entry
