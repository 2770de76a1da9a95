"""Moving files that were kept in public media (or, for certificates, in CERTIFICATE_ROOT) into
the private storage under random names. Called by the owning apps' data migrations, so a deploy
that runs `migrate` leaves nothing personal behind in MEDIA_ROOT. Running it again moves nothing."""

import logging
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from .storage import private_storage, random_name


def public_media() -> FileSystemStorage:
    """MEDIA_ROOT, where these files used to be kept."""
    return FileSystemStorage(location=settings.MEDIA_ROOT)

logger = logging.getLogger(__name__)


def move_to_private(model, field: str, *, source: FileSystemStorage, folder: str) -> int:
    """Copy each row's file from `source` into the private storage under a random name, point the
    row at the copy, and delete the original once the transaction has committed. A row whose file
    is already private, or missing everywhere, is left as it is. Returns the number moved."""
    target = private_storage()
    moved: list[str] = []
    for pk, name in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
        if target.exists(name) or not source.exists(name):
            continue
        with source.open(name, "rb") as handle:
            new_name = target.save(random_name(folder, name), handle)
        model.objects.filter(pk=pk).update(**{field: new_name})
        moved.append(name)
    transaction.on_commit(lambda: [source.delete(name) for name in moved])
    if moved:
        logger.info("moved %d %s files into the private storage", len(moved), folder)
    return len(moved)


def clear_folder(source: FileSystemStorage, folder: str) -> None:
    """Once the transaction has committed (the moves are kept), delete every file left under
    `folder` of `source`: files no row names, such as the exports of deleted rows, are personal
    data in a published folder."""
    transaction.on_commit(lambda: _clear(Path(source.location) / folder))


def _clear(root: Path) -> int:
    private_root = Path(private_storage().location)
    if not root.is_dir() or root.resolve().is_relative_to(private_root.resolve()):
        return 0  # never the private storage itself, whatever the settings say
    removed = 0
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
            removed += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    if not any(root.iterdir()):
        root.rmdir()
    return removed
