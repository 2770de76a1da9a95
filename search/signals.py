"""Index upkeep on commit. Wagtail's own handlers (modelsearch's) index a page or a question inside
the transaction that saves it; here every save or delete of an indexed object queues
``search.tasks.refresh_index_entry`` with ``transaction.on_commit`` (through the outbox, so a
broker that is down does not fail the save). The task reads the committed row, so a rolled-back
save leaves the index alone and two queued refreshes of one object agree.

``disable_wagtail_index_handlers`` runs in ``SearchConfig.ready``, before ``wagtail.search``'s own
``ready`` connects its handlers (INSTALLED_APPS order; tests/search/test_upkeep.py checks it)."""

from django.db.models.signals import post_delete, post_save
from modelsearch.index import get_indexed_models

from outbox.services import enqueue_on_commit


def _queue_refresh(sender, instance, **kwargs):
    if kwargs.get("raw", False):  # loaddata: update_index afterwards
        return
    if instance.pk is None:
        return
    from .tasks import refresh_index_entry

    enqueue_on_commit(refresh_index_entry, sender._meta.label, str(instance.pk))


def disable_wagtail_index_handlers() -> None:
    """``search_auto_update = False`` is modelsearch's switch for its post_save/post_delete handlers,
    read when wagtail.search becomes ready. Set on every indexed model (Page, and so every page
    type, Question, Image, Document): ours replace them."""
    for model in get_indexed_models():
        model.search_auto_update = False


def connect_index_upkeep() -> None:
    for model in get_indexed_models():
        post_save.connect(_queue_refresh, sender=model, dispatch_uid=f"search-upkeep-save-{model._meta.label}")
        post_delete.connect(_queue_refresh, sender=model, dispatch_uid=f"search-upkeep-delete-{model._meta.label}")
