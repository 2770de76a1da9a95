from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from operations.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database, the public media and the private files into a new folder, with a "
        "manifest (checksums, migrations). Restore it with `manage.py restore FOLDER`."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder to create (must not exist).")

    def handle(self, *args, folder, **options):
        try:
            outcome = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        parts = outcome.manifest["parts"]
        sizes = ", ".join(f"{name} {part['size'] / 1e6:.1f} MB" for name, part in parts.items())
        self.stdout.write(self.style.SUCCESS(f"Backup written to {outcome.folder} in {outcome.seconds:.1f} s ({sizes})."))
        if getattr(settings, "STORAGE_BACKEND", "filesystem") == "s3":
            # The files are objects of the buckets, not of MEDIA_ROOT and PRIVATE_ROOT (README, "Object storage").
            self.stderr.write(
                "STORAGE_BACKEND=s3: media and private files are in their buckets, not in this backup; "
                "back the buckets up with the object store's own versioning or replication."
            )
