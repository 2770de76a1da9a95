"""Deleting a snippet that other records still need is refused with a message, never a 500.

Records that must outlive what they point at (a learner's attempt keeps the question version it
asked; an attempt keeps its quiz; a question keeps its category) hold it with on_delete=PROTECT.
Wagtail's delete views only know the references its own index tracks, so deleting, say, a
published question raised ProtectedError from the database layer. This asks Django's deletion
collector first, as the delete itself would, for every snippet delete view (single and bulk:
the `before_delete_snippet` hook, run on GET and on POST) and answers with the reason instead."""

from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages
from wagtail.models import DraftStateMixin


def blocking_records(instances) -> list:
    """The records that stop these instances from being deleted (empty when they can be)."""
    if not instances:
        return []
    collector = Collector(using=router.db_for_write(type(instances[0])))
    try:
        collector.collect(list(instances))
    except ProtectedError as error:
        return list(error.protected_objects)
    except RestrictedError as error:
        return list(error.restricted_objects)
    return []


def refusal_message(instances, blocking) -> str:
    kinds = sorted({str(type(record)._meta.verbose_name_plural) for record in blocking})
    names = ", ".join(str(instance) for instance in instances[:3]) + ("…" if len(instances) > 3 else "")
    message = ngettext(
        "“%(names)s” cannot be deleted: %(count)s record still needs it (%(kinds)s).",
        "“%(names)s” cannot be deleted: %(count)s records still need it (%(kinds)s).",
        len(blocking),
    ) % {"names": names, "count": len(blocking), "kinds": ", ".join(kinds)}
    if all(isinstance(instance, DraftStateMixin) for instance in instances):
        message += " " + _("Unpublish it instead, so that it is no longer used.")
    return capfirst(message)


def refuse_protected_snippet_delete(request, instances):
    """`before_delete_snippet`: back to the snippet (or the listing, for several) with the reason."""
    blocking = blocking_records(instances)
    if not blocking:
        return None
    messages.error(request, refusal_message(instances, blocking))
    viewset = type(instances[0]).snippet_viewset
    if len(instances) == 1:
        return HttpResponseRedirect(reverse(viewset.get_url_name("edit"), args=[instances[0].pk]))
    return HttpResponseRedirect(reverse(viewset.get_url_name("list")))
